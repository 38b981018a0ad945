// POST/GET /v1/admin/bookings/{id}/refunds and the retry (issue 13 item 5): the happy path, every 4xx with nothing
// stored, Idempotency-Key replays, and the security cases (no key, another tenant's booking, staff and manager).
import { describe, expect, it } from "vitest";
import { TEST_NOW, useTestApp } from "../../../../test/helpers/app.ts";
import { addMember } from "../../../../test/helpers/auth.ts";
import { paidBooking } from "../../../../test/helpers/paid-booking.ts";
import { snapshotRows } from "../../../../test/helpers/rows.ts";
import { createSalon } from "../../../../test/helpers/salon.ts";
import { Refund, RefundList } from "../../schemas/refund.ts";

const t = useTestApp();
const TABLES = ["refunds", "journal_entries", "journal_lines", "outbox", "idempotency_keys"];

async function setup() {
  t.clock.now = TEST_NOW;
  const s = await createSalon(t);
  const b = await paidBooking(t, s, "2027-03-03T10:00:00Z", { amount: 2000 });
  const post = (body: unknown, opts: { key?: string; headers?: Record<string, string>; id?: string } = {}) =>
    t.request("POST", `/v1/admin/bookings/${opts.id ?? b.id}/refunds`, {
      key: opts.key ?? s.tenant.apiKey,
      body,
      ...(opts.headers && { headers: opts.headers }),
    });
  return { s, b, post };
}

describe("POST /v1/admin/bookings/{id}/refunds", () => {
  it("refunds part, lists it, and refunds the rest when no amount is given", async () => {
    const { s, b, post } = await setup();
    const first = await post({ amount: 750, reason: "Goodwill" });
    expect(first.status).toBe(201);
    expect(Refund.parse(first.body)).toMatchObject({
      bookingId: b.id,
      amount: { amount: 750, currency: "EUR" },
      status: "pending",
      attempt: 1,
      origin: "manual",
    });
    expect(first.body.id).toMatch(/^rfd_/);
    const rest = await post({ reason: "The rest", currency: "EUR" });
    expect(rest.status).toBe(201);
    expect(rest.body.amount.amount).toBe(1250);
    const list = await t.request("GET", `/v1/admin/bookings/${b.id}/refunds`, { key: s.tenant.apiKey });
    expect(list.status).toBe(200);
    expect(
      RefundList.parse(list.body)
        .refunds.map((r) => r.amount.amount)
        .sort(),
    ).toEqual([1250, 750]);
  });

  it("lists what was paid, what is still refundable and what a customer's cancellation would refund now", async () => {
    const { s, b, post } = await setup();
    expect((await post({ amount: 750, reason: "Goodwill" })).status).toBe(201);
    const read = async () =>
      RefundList.parse((await t.request("GET", `/v1/admin/bookings/${b.id}/refunds`, { key: s.tenant.apiKey })).body);
    const eur = (amount: number) => ({ amount, currency: "EUR" });
    expect(await read()).toMatchObject({
      paid: eur(2000),
      refundable: eur(1250),
      cancellation: { rule: "free_window", refund: eur(1250), fee: eur(0), freeUntil: "2027-03-02T10:00:00.000Z" },
    });
    t.clock.now = new Date("2027-03-02T12:00:00Z"); // late: the default policy keeps everything
    expect((await read()).cancellation).toMatchObject({ rule: "late_cancellation", refund: eur(0), fee: eur(1250) });
  });

  it("replays the same Idempotency-Key with one refund, and refuses it with another body", async () => {
    const { s, post } = await setup();
    const headers = { "idempotency-key": `k-${crypto.randomUUID()}` };
    const a = await post({ amount: 300, reason: "Once" }, { headers });
    const again = await post({ amount: 300, reason: "Once" }, { headers });
    expect(a.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(a.body.id);
    const other = await post({ amount: 301, reason: "Once" }, { headers });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    const rows = await t.database.admin("SELECT id FROM refunds WHERE tenant_id = $1", [s.tenant.id]);
    expect(rows).toHaveLength(1);
  });

  it.each([
    ["above what was paid", { amount: 2001, reason: "Too much" }, 422, "REFUND_EXCEEDS_REFUNDABLE"],
    ["a negative amount", { amount: -5, reason: "Negative" }, 400, "VALIDATION_FAILED"],
    ["a fractional amount", { amount: 10.5, reason: "Fraction" }, 400, "VALIDATION_FAILED"],
    ["zero", { amount: 0, reason: "Zero" }, 400, "VALIDATION_FAILED"],
    ["an amount given as a string", { amount: "100", reason: "String" }, 400, "VALIDATION_FAILED"],
    ["another currency", { amount: 100, currency: "USD", reason: "Dollars" }, 400, "VALIDATION_FAILED"],
    ["an unknown currency", { amount: 100, currency: "XYZ", reason: "Nope" }, 400, "VALIDATION_FAILED"],
    ["no reason", { amount: 100 }, 400, "VALIDATION_FAILED"],
    ["a blank reason", { amount: 100, reason: "   " }, 400, "VALIDATION_FAILED"],
    ["an unknown field", { amount: 100, reason: "x", refundAll: true }, 400, "VALIDATION_FAILED"],
  ])("refuses %s and stores nothing", async (_n, body, status, code) => {
    const { s, post } = await setup();
    const before = await snapshotRows(t, s.tenant.id, TABLES);
    const res = await post(body, { headers: { "idempotency-key": `k-${crypto.randomUUID()}` } });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await snapshotRows(t, s.tenant.id, TABLES)).toEqual(before);
  });

  it("refuses a second refund beyond what remains, counting pending refunds", async () => {
    const { post } = await setup();
    expect((await post({ amount: 1500, reason: "Most" })).status).toBe(201);
    const res = await post({ amount: 501, reason: "Beyond" });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("REFUND_EXCEEDS_REFUNDABLE");
    expect((await post({ amount: 500, reason: "Exactly the rest" })).status).toBe(201);
  });

  it("two racing refunds that together exceed what was paid: one 201, one 422", async () => {
    const { s, post } = await setup();
    const results = await Promise.all([post({ amount: 1500, reason: "A" }), post({ amount: 1500, reason: "B" })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    const rows = await t.database.admin("SELECT amount FROM refunds WHERE tenant_id = $1", [s.tenant.id]);
    expect(rows.map((r) => Number(r.amount))).toEqual([1500]);
  });

  it("answers 401 without a key, 404 for another tenant's or an unknown booking, 403 for staff and managers", async () => {
    const { s, b, post } = await setup();
    const staff = await addMember(t, s.tenant, "staff", s.staffIds[0]);
    const manager = await addMember(t, s.tenant, "manager");
    const before = await snapshotRows(t, s.tenant.id, TABLES);
    const none = await t.request("POST", `/v1/admin/bookings/${b.id}/refunds`, { body: { reason: "x" } });
    expect(none.status).toBe(401);
    const other = await t.createTenant();
    expect((await post({ reason: "x" }, { key: other.apiKey })).status).toBe(404);
    expect((await post({ reason: "x" }, { id: "bkg_00000000000000000000" })).status).toBe(404);
    for (const who of [staff, manager]) {
      const res = await t.request("POST", `/v1/admin/bookings/${b.id}/refunds`, who.as({ body: { reason: "x" } }));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
      const list = await t.request("GET", `/v1/admin/bookings/${b.id}/refunds`, who.as());
      expect(list.status).toBe(403);
    }
    expect(await snapshotRows(t, s.tenant.id, TABLES)).toEqual(before);
  });
});

describe("POST /v1/admin/bookings/{id}/refunds/{refundId}/retry", () => {
  it("shows a failed refund in the timeline and retries only a failed refund: 409 while pending, 404 for an unknown one", async () => {
    const { s, b, post } = await setup();
    const refund = await post({ amount: 100, reason: "Retry me" });
    const path = `/v1/admin/bookings/${b.id}/refunds/${refund.body.id}/retry`;
    const pending = await t.request("POST", path, { key: s.tenant.apiKey });
    expect(pending.status).toBe(409);
    expect(pending.body.error.code).toBe("CONFLICT");
    await t.database.admin(
      "UPDATE refunds SET status = 'failed', failure_reason = 'expired_or_canceled_card' WHERE id = $1",
      [refund.body.id],
    );
    const failed = await t.request("GET", `/v1/admin/bookings/${b.id}/refunds`, { key: s.tenant.apiKey });
    expect(failed.body.refunds[0]).toMatchObject({ status: "failed", failureReason: "expired_or_canceled_card" });
    const timeline = await t.request("GET", `/v1/admin/bookings/${b.id}/timeline`, { key: s.tenant.apiKey });
    expect(timeline.body.entries.filter((e: { kind: string }) => e.kind === "refund")).toEqual([
      expect.objectContaining({
        source: { table: "refunds", id: refund.body.id },
        status: "failed",
        attempt: 1,
        amount: { amount: 100, currency: "EUR" },
      }),
    ]);
    const retried = await t.request("POST", path, { key: s.tenant.apiKey });
    expect(retried.status).toBe(200);
    expect(Refund.parse(retried.body)).toMatchObject({ status: "pending", attempt: 2 });
    const unknown = await t.request("POST", `/v1/admin/bookings/${b.id}/refunds/rfd_00000000000000000000/retry`, {
      key: s.tenant.apiKey,
    });
    expect(unknown.status).toBe(404);
  });
});
