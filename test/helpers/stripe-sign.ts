// Signs a payload as Stripe does (`t=<seconds>,v1=<HMAC-SHA256 of "t.payload">`), with node:crypto: an independent
// signer for tests of the webhook route (the worker checks with the `stripe` package).
import { createHmac } from "node:crypto";

export async function signStripePayload(secret: string, payload: string, timestampSeconds: number): Promise<string> {
  return `t=${timestampSeconds},v1=${createHmac("sha256", secret).update(`${timestampSeconds}.${payload}`).digest("hex")}`;
}
