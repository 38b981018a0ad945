// Request bodies: at most MAX_BODY_BYTES are ever read, whatever the framing (a chunked body has no Content-Length),
// before authentication and on any path; a route that needs no body never reads one.
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../worker/src/app.ts";
import { TEST_STRIPE_WEBHOOK_SECRET, useTestApp } from "./helpers/app.ts";
import { signStripePayload } from "./helpers/stripe-sign.ts";

const t = useTestApp();

const CHUNK = 16 * 1024;
const HUNDRED_MB = 100 * 1024 * 1024;

/** A body of `total` bytes of JSON-ish filler, produced on demand; `pulled` says how much anyone read of it. */
function countingBody(total: number, fill = "a") {
  const chunk = new TextEncoder().encode(fill.repeat(CHUNK));
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled >= total) return controller.close();
        const part = chunk.subarray(0, Math.min(CHUNK, total - counter.pulled));
        counter.pulled += part.byteLength;
        controller.enqueue(part);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

async function send(path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const req = new Request(`http://bookra.test${path}`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
    duplex: "half",
  } as RequestInit);
  const res = await t.app.request(req);
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

describe("request bodies over the limit", () => {
  const paths = [
    ["a public route", async () => `/v1/public/${(await t.createTenant()).slug}/bookings`],
    ["an admin route without a key", async () => "/v1/admin/staff"],
    ["an unknown path", async () => "/v1/no-such-route"],
  ] as const;

  for (const [name, pathOf] of paths) {
    it(`refuses a chunked 100 MB body on ${name} with 413, having read only about the limit`, async () => {
      const path = await pathOf();
      const { stream, counter } = countingBody(HUNDRED_MB);
      const res = await send(path, stream);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
      expect(counter.pulled).toBeGreaterThan(MAX_BODY_BYTES);
      expect(counter.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * CHUNK);
    });
  }

  it("refuses a declared Content-Length over the limit without reading a byte", async () => {
    const { stream, counter } = countingBody(HUNDRED_MB);
    const res = await send("/v1/admin/staff", stream, { "content-length": String(HUNDRED_MB) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(counter.pulled).toBe(0);
  });
});

describe("routes that need no body", () => {
  it("never read the body they are sent", async () => {
    const tenant = await t.createTenant();
    const { stream, counter } = countingBody(1024);
    const req = new Request("http://bookra.test/v1/admin/staff/stf_00000000000000000000", {
      method: "DELETE",
      body: stream,
      headers: {
        authorization: `Bearer ${tenant.apiKey}`,
        "content-type": "application/json",
        "content-length": "1024",
      },
      duplex: "half",
    } as RequestInit);
    const res = await t.app.request(req);
    expect(res.status).toBe(404);
    expect(counter.pulled).toBe(0);
  });
});

describe("bodies within the limit", () => {
  it("still refuse NUL characters in any JSON string, where the JSON is parsed", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("POST", "/v1/admin/webhook-endpoints", {
      key: tenant.apiKey,
      headers: { "idempotency-key": crypto.randomUUID() },
      body: { url: "https://example.com/hook", description: "a\u0000b" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    const list = await t.request("GET", "/v1/admin/webhook-endpoints", { key: tenant.apiKey });
    expect(list.body.data).toEqual([]);
  });

  it("give the Stripe webhook its raw body, even chunked", async () => {
    const payload = JSON.stringify({
      id: `evt_${crypto.randomUUID()}`,
      type: "customer.created",
      data: { object: {} },
    });
    const seconds = Math.floor(t.clock.now.getTime() / 1000);
    const signature = await signStripePayload(TEST_STRIPE_WEBHOOK_SECRET, payload, seconds);
    const bytes = new TextEncoder().encode(payload);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 10));
        controller.enqueue(bytes.subarray(10));
        controller.close();
      },
    });
    const res = await send("/v1/webhooks/stripe", stream, { "stripe-signature": signature });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, result: "ignored" });
  });
});
