// verifyWebhook against signatures made independently with node:crypto, as a Standard Webhooks sender would.
import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, WebhookVerificationError } from "./webhooks.ts";

const newSecret = () => `whsec_${randomBytes(24).toString("base64")}`;
const SECRET = newSecret();
const NOW = new Date("2027-03-01T09:00:00Z");
const ts = (d: Date) => String(Math.floor(d.getTime() / 1000));
const event = { id: "evt_1", type: "booking.created", createdAt: NOW.toISOString(), data: { bookingId: "bkg_1" } };
const payload = JSON.stringify(event);

function signature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

function headersFor(opts: { secret?: string; at?: Date; body?: string; signatures?: string } = {}) {
  const timestamp = ts(opts.at ?? NOW);
  return {
    "webhook-id": "msg_1",
    "webhook-timestamp": timestamp,
    "webhook-signature": opts.signatures ?? signature(opts.secret ?? SECRET, "msg_1", timestamp, opts.body ?? payload),
  };
}

async function rejection(p: Promise<unknown>): Promise<WebhookVerificationError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return error as WebhookVerificationError;
}

describe("verifyWebhook", () => {
  it("accepts a valid webhook and returns the parsed event (plain object or Headers)", async () => {
    const verified = await verifyWebhook(payload, headersFor(), SECRET, { now: NOW });
    expect(verified).toEqual(event);
    expect(verified.data.bookingId).toBe("bkg_1");
    const viaHeaders = await verifyWebhook(payload, new Headers(headersFor()), SECRET, { now: NOW });
    expect(viaHeaders.type).toBe("booking.created");
  });

  it("rejects a tampered payload, a tampered id and a wrong secret", async () => {
    const tampered = payload.replace("bkg_1", "bkg_2");
    expect((await rejection(verifyWebhook(tampered, headersFor(), SECRET, { now: NOW }))).code).toBe(
      "WEBHOOK_INVALID_SIGNATURE",
    );
    const otherId = { ...headersFor(), "webhook-id": "msg_2" };
    await rejection(verifyWebhook(payload, otherId, SECRET, { now: NOW }));
    await rejection(verifyWebhook(payload, headersFor(), newSecret(), { now: NOW }));
  });

  it("rejects timestamps outside the tolerance, either way, and honours a custom tolerance", async () => {
    const old = new Date(NOW.getTime() - 301_000);
    const future = new Date(NOW.getTime() + 301_000);
    expect((await rejection(verifyWebhook(payload, headersFor({ at: old }), SECRET, { now: NOW }))).code).toBe(
      "WEBHOOK_TIMESTAMP",
    );
    await rejection(verifyWebhook(payload, headersFor({ at: future }), SECRET, { now: NOW }));
    await expect(
      verifyWebhook(payload, headersFor({ at: old }), SECRET, { now: NOW, toleranceSeconds: 600 }),
    ).resolves.toBeTruthy();
    await expect(
      verifyWebhook(payload, headersFor({ at: new Date(NOW.getTime() - 299_000) }), SECRET, { now: NOW }),
    ).resolves.toBeTruthy();
  });

  it("accepts any of several secrets while a key is rotated", async () => {
    const next = newSecret();
    const signedWithNext = headersFor({ secret: next });
    await expect(verifyWebhook(payload, signedWithNext, [SECRET, next], { now: NOW })).resolves.toBeTruthy();
    await rejection(verifyWebhook(payload, signedWithNext, [SECRET], { now: NOW }));
  });

  it("accepts a header with several signatures when one matches, ignoring other versions", async () => {
    const timestamp = ts(NOW);
    const signatures = [
      "v1a,bm90IGEgcmVhbCBlZDI1NTE5IHNpZ25hdHVyZQ==",
      signature(newSecret(), "msg_1", timestamp, payload),
      signature(SECRET, "msg_1", timestamp, payload),
    ].join(" ");
    await expect(verifyWebhook(payload, headersFor({ signatures }), SECRET, { now: NOW })).resolves.toBeTruthy();
    const none = [signature(newSecret(), "msg_1", timestamp, payload), "v2,garbage"].join(" ");
    await rejection(verifyWebhook(payload, headersFor({ signatures: none }), SECRET, { now: NOW }));
  });

  it("rejects missing headers and a non-numeric timestamp", async () => {
    const { "webhook-signature": _, ...unsigned } = headersFor();
    expect((await rejection(verifyWebhook(payload, unsigned, SECRET, { now: NOW }))).code).toBe(
      "WEBHOOK_MISSING_HEADERS",
    );
    await rejection(verifyWebhook(payload, { ...headersFor(), "webhook-timestamp": "1.8e9" }, SECRET, { now: NOW }));
  });

  it("signWebhook produces headers a Standard Webhooks verifier accepts", async () => {
    const headers = await signWebhook(payload, SECRET, { id: "msg_9", timestamp: NOW });
    expect(headers["webhook-signature"]).toBe(signature(SECRET, "msg_9", ts(NOW), payload));
    await expect(verifyWebhook(payload, headers, SECRET, { now: NOW })).resolves.toBeTruthy();
  });
});
