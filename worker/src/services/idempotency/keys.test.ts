import { describe, expect, it } from "vitest";
import { idempotencyRequest, requestHash } from "./keys.ts";

describe("requestHash: the one hash of both idempotency strategies", () => {
  it("is the same for the same JSON in another key order, nested objects included", async () => {
    const a = { name: "Cut", price: { amount: 4500, currency: "EUR" }, tags: ["b", "a"] };
    const b = { tags: ["b", "a"], price: { currency: "EUR", amount: 4500 }, name: "Cut" };
    expect(await requestHash("POST /v1/admin/services", a)).toBe(await requestHash("POST /v1/admin/services", b));
  });

  it("differs when the target, a value or the order of an array differs", async () => {
    const body = { tags: ["a", "b"] };
    const base = await requestHash("POST /v1/admin/staff/stf_1/links", body);
    expect(await requestHash("POST /v1/admin/staff/stf_2/links", body)).not.toBe(base);
    expect(await requestHash("POST /v1/admin/staff/stf_1/links", { tags: ["b", "a"] })).not.toBe(base);
    expect(await requestHash("POST /v1/admin/staff/stf_1/links", { tags: ["a", "c"] })).not.toBe(base);
  });

  it("hashes an absent body as empty: not the same request as a JSON null or an empty object", async () => {
    const none = await requestHash("POST /v1/admin/outbox/evt_1/retry", undefined);
    expect(none).toMatch(/^[0-9a-f]{64}$/);
    expect(await requestHash("POST /v1/admin/outbox/evt_1/retry", null)).not.toBe(none);
    expect(await requestHash("POST /v1/admin/outbox/evt_1/retry", {})).not.toBe(none);
  });

  it("gives the booking path the same hash for the same input in another key order", async () => {
    const first = await idempotencyRequest("k", "public.bookings.create", { serviceId: "svc_1", start: "x" });
    const again = await idempotencyRequest("k", "public.bookings.create", { start: "x", serviceId: "svc_1" });
    expect(again).toEqual(first);
    expect(first?.requestHash).toBe(await requestHash("public.bookings.create", { serviceId: "svc_1", start: "x" }));
    expect(await idempotencyRequest(undefined, "public.bookings.create", {})).toBeUndefined();
  });
});
