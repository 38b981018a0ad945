// POST /v1/admin/bookings/{id}/complete with desk payments, and GET …/completion: the happy path with its ledger
// entries, each refusal (nothing stored), idempotent completion, the body-less completion of existing callers, and
// another tenant's booking.
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_NOW, useTestApp } from "../../../../test/helpers/app.ts";
import { snapshotRows } from "../../../../test/helpers/rows.ts";
import { createSalon, customer } from "../../../../test/helpers/salon.ts";
import { depositPaid } from "../../domain/ledger.ts";
import { CompletedBooking, CompletionQuote } from "../../schemas/completion.ts";
import type { ServiceConfig } from "../../services/context.ts";
import { postEntry } from "../../services/ledger/post.ts";

const t = useTestApp();
beforeEach(() => {
  t.clock.now = TEST_NOW;
});

const TABLES = ["bookings", "booking_completions", "desk_payments", "journal_entries", "journal_lines"];

/** A salon (price 5000 EUR, commission 30 %) with one confirmed booking, optionally holding a deposit in the ledger. */
async function booked(opts: { deposit?: number; staff?: number } = {}) {
  const s = await createSalon(t, { staff: opts.staff ?? 1 });
  const key = s.tenant.apiKey;
  const r = await t.request("POST", "/v1/admin/bookings", {
    key,
    body: { serviceId: s.serviceId, staffId: s.staffIds[0], start: "2027-03-01T10:00:00Z", customer: customer(1) },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const id = r.body.booking.id as string;
  if (opts.deposit) {
    // What the Stripe webhook posts when a deposit is paid (domain/ledger.ts depositPaid).
    const ctx = { db: t.database.db, tenantId: s.tenant.id, now: TEST_NOW, config: {} as ServiceConfig };
    await ctx.db.withTenantTx(s.tenant.id, (tx) =>
      postEntry(tx, {
        tenantId: s.tenant.id,
        occurredAt: TEST_NOW,
        kind: "deposit.paid",
        source: { type: "stripe_event", id: `evt_${id}` },
        lines: depositPaid({
          currency: "EUR",
          bookingId: id,
          staffId: s.staffIds[0],
          serviceId: s.serviceId,
          amount: opts.deposit!,
          stripeFee: 50,
          platformFee: 100,
        }).lines,
      }),
    );
  }
  const complete = (body?: unknown) => t.request("POST", `/v1/admin/bookings/${id}/complete`, { key, body });
  return { s, key, id, staffId: s.staffIds[0]!, complete };
}

describe("completing with desk payments", () => {
  it("records cash and card with a tip, answers the completion and posts both entries", async () => {
    const { key, id, staffId, complete } = await booked({ deposit: 1500 });
    const quote = CompletionQuote.parse((await t.request("GET", `/v1/admin/bookings/${id}/completion`, { key })).body);
    expect(quote).toMatchObject({ status: "open", price: 5000, deposits: 1500, due: 3500, completion: null });

    const r = await complete({
      currency: "EUR",
      payments: [
        { method: "cash", amount: 2000 },
        { method: "card", amount: 1800 },
      ],
      tip: { amount: 500 },
      discount: 200,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const done = CompletedBooking.parse(r.body);
    expect(done.status).toBe("completed");
    expect(done.completion).toEqual({
      currency: "EUR",
      price: 5000,
      deposits: 1500,
      discount: 200,
      payments: [
        { method: "cash", amount: 2000 },
        { method: "card", amount: 1800 },
      ],
      tip: { amount: 500, staffId },
      balanceDue: 0,
      revenue: 5000,
      commission: 1440, // 30 % of (5000 − 200)
      completedAt: TEST_NOW.toISOString(),
    });
    const ledger = await t.request("GET", `/v1/admin/ledger?bookingId=${id}`, { key });
    const bySource = Object.fromEntries(
      (ledger.body.data as { source: { type: string }; lines: { account: string; amount: number }[] }[]).map((e) => [
        e.source.type,
        Object.fromEntries(e.lines.map((l) => [l.account, l.amount])),
      ]),
    );
    expect(bySource.booking_completion).toEqual({
      customer_deposits: 1500,
      "desk:cash": 2000,
      "desk:card": 1800,
      discounts: 200,
      service_revenue: -5000,
      [`tips_payable:${staffId}`]: -500,
    });
    expect(bySource.commission).toEqual({ commission_expense: 1440, [`commissions_payable:${staffId}`]: -1440 });
    const after = CompletionQuote.parse((await t.request("GET", `/v1/admin/bookings/${id}/completion`, { key })).body);
    expect(after).toMatchObject({ status: "completed", completion: done.completion });
  });

  it("is idempotent: the same body answers the first completion and stores nothing more; another body is a 409", async () => {
    const { s, complete } = await booked();
    const body = { payments: [{ method: "cash", amount: 5300 }], tip: { amount: 300 } };
    const first = await complete(body);
    expect(first.status).toBe(200);
    const stored = await snapshotRows(t, s.tenant.id, TABLES);
    t.clock.now = new Date(TEST_NOW.getTime() + 60_000);
    const again = await complete({ tip: { amount: 300 }, payments: [{ amount: 5300, method: "cash" }] });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await complete({ payments: [{ method: "card", amount: 5300 }], tip: { amount: 300 } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("ALREADY_COMPLETED");
    expect((await complete()).body.error.code).toBe("ALREADY_COMPLETED");
    expect(await snapshotRows(t, s.tenant.id, TABLES)).toEqual(stored);
  });

  it("keeps existing callers working: no body completes, the unpaid price recorded as balance due, not revenue", async () => {
    const { s, key, id, complete } = await booked();
    const r = await t.request("POST", `/v1/admin/bookings/${id}/complete`, { key }); // no body, no content type
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(CompletedBooking.parse(r.body).completion).toMatchObject({ balanceDue: 5000, revenue: 0, payments: [] });
    expect((await complete({})).status).toBe(200); // the same (empty) completion again
    expect(await t.database.admin("SELECT 1 FROM journal_entries WHERE tenant_id = $1", [s.tenant.id])).toEqual([]);
  });

  it("with a deposit and no body, moves the deposit to revenue and records the rest as due", async () => {
    const { key, id, complete } = await booked({ deposit: 1500 });
    const r = await complete();
    expect(CompletedBooking.parse(r.body).completion).toMatchObject({
      deposits: 1500,
      balanceDue: 3500,
      revenue: 1500,
    });
    const balances = await t.request("GET", "/v1/admin/ledger/balances", { key });
    const of = (a: string) =>
      (balances.body.accounts as { account: string; balance: number }[]).find((x) => x.account === a)?.balance ?? 0;
    expect([of("customer_deposits"), of("service_revenue")]).toEqual([0, -1500]);
    expect(id).toMatch(/^bkg_/);
  });

  it("accepts a short payment only when the owner marks it", async () => {
    const { complete } = await booked();
    const short = await complete({ payments: [{ method: "cash", amount: 4000 }] });
    expect([short.status, short.body.error.code]).toEqual([422, "BALANCE_DUE"]);
    const marked = await complete({ payments: [{ method: "cash", amount: 4000 }], acceptBalanceDue: true });
    expect(marked.status).toBe(200);
    expect(marked.body.completion).toMatchObject({ balanceDue: 1000, revenue: 4000, commission: 1200 });
  });

  it("gives the tip to another staff member of the business", async () => {
    const { s, complete } = await booked({ staff: 2 });
    const r = await complete({
      payments: [{ method: "other", amount: 5100 }],
      tip: { amount: 100, staffId: s.staffIds[1] },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const lines = await t.database.admin<{ account: string; staff_id: string }>(
      "SELECT account, staff_id FROM journal_lines WHERE tenant_id = $1 AND account LIKE 'tips_payable:%'",
      [s.tenant.id],
    );
    expect(lines).toEqual([{ account: `tips_payable:${s.staffIds[1]}`, staff_id: s.staffIds[1] }]);
  });
});

describe("refusals store nothing", () => {
  const cases: [string, unknown, number, string][] = [
    ["a negative amount", { payments: [{ method: "cash", amount: -100 }] }, 400, "VALIDATION_FAILED"],
    ["a fractional amount", { payments: [{ method: "cash", amount: 10.5 }] }, 400, "VALIDATION_FAILED"],
    ["a zero payment line", { payments: [{ method: "cash", amount: 0 }] }, 400, "VALIDATION_FAILED"],
    ["a negative tip", { payments: [{ method: "cash", amount: 5000 }], tip: { amount: -1 } }, 400, "VALIDATION_FAILED"],
    [
      "a fractional discount",
      { payments: [{ method: "cash", amount: 4000 }], discount: 0.5 },
      400,
      "VALIDATION_FAILED",
    ],
    ["an unknown method", { payments: [{ method: "cheque", amount: 5000 }] }, 400, "VALIDATION_FAILED"],
    ["an unknown field", { payments: [], voucher: 5 }, 400, "VALIDATION_FAILED"],
    ["another currency", { currency: "USD", payments: [{ method: "cash", amount: 5000 }] }, 400, "VALIDATION_FAILED"],
    [
      "an unknown tip staff member",
      { payments: [{ method: "cash", amount: 5100 }], tip: { amount: 100, staffId: "stf_nope" } },
      400,
      "VALIDATION_FAILED",
    ],
    [
      "too many payment lines",
      { payments: Array.from({ length: 11 }, () => ({ method: "cash", amount: 1 })) },
      400,
      "VALIDATION_FAILED",
    ],
    ["more than due without a tip", { payments: [{ method: "cash", amount: 5500 }] }, 422, "DESK_OVERPAID"],
    [
      "more than due plus the tip",
      { payments: [{ method: "cash", amount: 5600 }], tip: { amount: 500 } },
      422,
      "DESK_OVERPAID",
    ],
    ["less than due, unmarked", { payments: [{ method: "card", amount: 4999 }] }, 422, "BALANCE_DUE"],
    [
      "a tip larger than the payments",
      { payments: [], tip: { amount: 100 }, acceptBalanceDue: true },
      422,
      "TIP_EXCEEDS_PAYMENTS",
    ],
    ["a discount above the price", { discount: 5001 }, 422, "DISCOUNT_EXCEEDS_BALANCE"],
  ];
  it.each(cases)("refuses %s", async (_, body, status, code) => {
    const { s, key, id, complete } = await booked();
    const before = await snapshotRows(t, s.tenant.id, TABLES);
    const r = await complete(body);
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(await snapshotRows(t, s.tenant.id, TABLES)).toEqual(before);
    expect((await t.request("GET", `/v1/admin/bookings/${id}`, { key })).body.status).toBe("confirmed");
  });

  it("refuses deposits above the price with a 409 and malformed JSON with a 400", async () => {
    const { s, key, id, complete } = await booked({ deposit: 6000 });
    const before = await snapshotRows(t, s.tenant.id, TABLES);
    expect((await complete({ payments: [] })).body.error.code).toBe("DEPOSITS_EXCEED_PRICE");
    const bad = await t.request("POST", `/v1/admin/bookings/${id}/complete`, { key, raw: "{" });
    expect(bad.status).toBe(400);
    expect(await snapshotRows(t, s.tenant.id, TABLES)).toEqual(before);
  });

  it("answers 404 for another tenant's booking, and 409 for a booking that is not confirmed", async () => {
    const mine = await booked();
    const other = await booked();
    const r = await t.request("POST", `/v1/admin/bookings/${other.id}/complete`, {
      key: mine.key,
      body: { payments: [{ method: "cash", amount: 5000 }] },
    });
    expect(r.status).toBe(404);
    expect((await t.request("GET", `/v1/admin/bookings/${other.id}/completion`, { key: mine.key })).status).toBe(404);
    expect((await t.request("POST", `/v1/admin/bookings/${mine.id}/cancel`, { key: mine.key })).status).toBe(200);
    expect((await mine.complete({ payments: [{ method: "cash", amount: 5000 }] })).status).toBe(409);
  });
});

describe("existing callers", () => {
  it("may still send a JSON content type with an empty body", async () => {
    const { key, id } = await booked();
    const r = await t.request("POST", `/v1/admin/bookings/${id}/complete`, {
      key,
      raw: "",
      headers: { "content-type": "application/json" },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.completion).toMatchObject({ balanceDue: 5000 });
  });
});
