// @bookra/sdk/webhooks — verifies the tenant webhooks Bookra sends (Standard Webhooks: HMAC-SHA256 over
// "id.timestamp.payload", secrets `whsec_<base64>`), with rotation-friendly multiple secrets and signatures.
import { BookraError } from "./errors.ts";
import type { WebhookEndpointCreate } from "./generated/openapi.ts";

/** The event types an endpoint can subscribe to (from the contract). */
export type WebhookEventType = NonNullable<WebhookEndpointCreate["eventTypes"]>[number];

/**
 * The body Bookra POSTs. `id` is the event id, the same on every redelivery (deduplicate on it); `data` carries the
 * `bookingId` and the event's details.
 */
export interface WebhookEvent<T = { bookingId: string; [key: string]: unknown }> {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  data: T;
}

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** How far `webhook-timestamp` may be from now, either way, in seconds. @default 300 */
  toleranceSeconds?: number;
  /** The current time (for tests and replays). */
  now?: Date;
}

/** The payload is not a genuine, fresh webhook; `code` says why. Answer it with a 400 and do not act on it. */
export class WebhookVerificationError extends BookraError {
  override name = "WebhookVerificationError";
}

const fail = (code: string, message: string) => new WebhookVerificationError(message, { code });
const encoder = new TextEncoder();

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const found = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = found === undefined ? undefined : record[found];
  return Array.isArray(value) ? value.join(" ") : value;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
  try {
    return Uint8Array.from(atob(secret.replace(/^whsec_/, "")), (c) => c.charCodeAt(0));
  } catch {
    throw fail("WEBHOOK_BAD_SECRET", "The webhook secret is not whsec_<base64>");
  }
}

async function sign(secret: string, content: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", secretBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(content))));
}

/** Compares two strings in time that depends only on their length. */
function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Checks a webhook's signature and age, then returns its parsed body. Pass the raw body text exactly as received
 * (not re-serialised JSON), and every current secret while rotating them.
 * @example
 * const event = await verifyWebhook(await request.text(), request.headers, env.BOOKRA_WEBHOOK_SECRET);
 * if (event.type === "booking.created") …
 */
export async function verifyWebhook<T = WebhookEvent["data"]>(
  payload: string,
  headers: WebhookHeaders,
  secret: string | string[],
  options: VerifyOptions = {},
): Promise<WebhookEvent<T>> {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures)
    throw fail("WEBHOOK_MISSING_HEADERS", "Missing webhook-id, webhook-timestamp or webhook-signature");
  const seconds = Number(timestamp);
  const now = (options.now ?? new Date()).getTime() / 1000;
  if (!/^\d+$/.test(timestamp) || Math.abs(now - seconds) > (options.toleranceSeconds ?? 300))
    throw fail("WEBHOOK_TIMESTAMP", "The webhook timestamp is missing or outside the tolerance");
  const offered = signatures
    .split(" ")
    .filter((s) => s.startsWith("v1,"))
    .map((s) => s.slice(3));
  const content = `${id}.${timestamp}.${payload}`;
  let valid = false;
  for (const s of Array.isArray(secret) ? secret : [secret]) {
    const expected = await sign(s, content);
    for (const candidate of offered) valid = timingSafeEqual(expected, candidate) || valid;
  }
  if (!valid) throw fail("WEBHOOK_INVALID_SIGNATURE", "No webhook signature matches the secret");
  try {
    return JSON.parse(payload) as WebhookEvent<T>;
  } catch {
    throw fail("WEBHOOK_INVALID_PAYLOAD", "The webhook payload is not JSON");
  }
}

/**
 * The headers Bookra would send with `payload`: for testing your own webhook handler.
 * @example
 * const headers = await signWebhook(body, "whsec_…", { id: "msg_1" });
 * await handler(new Request(url, { method: "POST", body, headers }));
 */
export async function signWebhook(
  payload: string,
  secret: string,
  { id, timestamp = new Date() }: { id: string; timestamp?: Date },
): Promise<Record<string, string>> {
  const seconds = String(Math.floor(timestamp.getTime() / 1000));
  return {
    "webhook-id": id,
    "webhook-timestamp": seconds,
    "webhook-signature": `v1,${await sign(secret, `${id}.${seconds}.${payload}`)}`,
  };
}
