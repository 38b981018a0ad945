// Stripe's webhook signature scheme (`Stripe-Signature: t=…,v1=…`): HMAC-SHA256 of "t.payload", checked on the raw body.
import { keyedHashHex, timingSafeEqual } from "../lib/crypto.ts";

/** The header Stripe would send for this payload (used by the local checkout to send real-format webhooks). */
export async function signStripePayload(secret: string, payload: string, timestampSeconds: number): Promise<string> {
  return `t=${timestampSeconds},v1=${keyedHashHex(secret, `${timestampSeconds}.${payload}`)}`;
}

/** True when one v1 signature matches and the timestamp is within the tolerance (replays of old events fail). */
export async function verifyStripeSignature(
  payload: string,
  header: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  const parts = header.split(",").map((p) => p.trim().split("="));
  const timestamp = Number(parts.find(([k]) => k === "t")?.[1]);
  const signatures = parts.filter(([k, v]) => k === "v1" && v).map(([, v]) => v as string);
  if (!Number.isInteger(timestamp) || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = keyedHashHex(secret, `${timestamp}.${payload}`);
  return signatures.some((s) => timingSafeEqual(s, expected));
}
