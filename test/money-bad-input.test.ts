// Issue 13's "bad input" acceptance, in one place: every malformed money request is answered 400/422 with a code and
// stores nothing. Refunds (above what is refundable, negative, zero, fractional, non-numeric, another currency), desk
// payments at completion (another currency, negative, zero, fractional), the cancellation policy (hours < 0 or
// fractional, percentages outside 0–100), a service's deposit (percent > 100 or < 1, fixed deposit above the price) and
// the platform fee a business may not set. Each check compares the rows and the ledger before and after.
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_NOW, useTestApp } from "./helpers/app.ts";
import { balances, paidBooking } from "./helpers/paid-booking.ts";
import { snapshotRows } from "./helpers/rows.ts";
import { createSalon, customer, type Salon } from "./helpers/salon.ts";

const t = useTestApp();
beforeEach(() => {
  t.clock.now = TEST_NOW;
});

const MONEY_TABLES = [
  "bookings",
  "refunds",
  "payments",
  "booking_completions",
  "desk_payments",
  "journal_entries",
  "journal_lines",
  "outbox",
  "idempotency_keys",
];

/** Sends `send()` and expects `status` with `code`, the tenant's money rows and ledger balances unchanged. */
async function refused(
  s: Salon,
  send: () => Promise<{ status: number; body: any }>,
  status: number,
  code: string,
  field?: string,
) {
  const rows = await snapshotRows(t, s.tenant.id, MONEY_TABLES);
  const ledger = await balances(t, s.tenant.id);
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (field) expect(JSON.stringify(res.body.error)).toContain(field);
  expect(await snapshotRows(t, s.tenant.id, MONEY_TABLES)).toEqual(rows);
  expect(await balances(t, s.tenant.id)).toEqual(ledger);
}

describe("refunds", () => {
  async function paid() {
    const s = await createSalon(t);
    const b = await paidBooking(t, s, "2027-03-03T10:00:00Z", { amount: 2000 });
    const post = (body: unknown) =>
      t.request("POST", `/v1/admin/bookings/${b.id}/refunds`, {
        key: s.tenant.apiKey,
        body,
        headers: { "idempotency-key": crypto.randomUUID() },
      });
    return { s, b, post };
  }

  it("refuses more than is refundable with 422 REFUND_EXCEEDS_REFUNDABLE, also after a partial refund", async () => {
    const { s, post } = await paid();
    await refused(s, () => post({ amount: 2001, reason: "Too much" }), 422, "REFUND_EXCEEDS_REFUNDABLE");
    expect((await post({ amount: 1500, reason: "Part" })).status).toBe(201);
    await refused(s, () => post({ amount: 501, reason: "Past the rest" }), 422, "REFUND_EXCEEDS_REFUNDABLE");
  });

  it.each([
    ["negative", -500],
    ["zero", 0],
    ["fractional", 10.5],
    ["a numeric string", "500"],
    ["not a number", "five euros"],
    ["null", null],
  ])("refuses a %s amount with 400 VALIDATION_FAILED naming it", async (_name, amount) => {
    const { s, post } = await paid();
    await refused(s, () => post({ amount, reason: "Bad amount" }), 400, "VALIDATION_FAILED", "amount");
  });

  it("refuses a currency other than the tenant's (EUR) with 400 VALIDATION_FAILED naming it", async () => {
    const { s, post } = await paid();
    await refused(
      s,
      () => post({ amount: 500, currency: "USD", reason: "Dollars" }),
      400,
      "VALIDATION_FAILED",
      "currency",
    );
    await refused(s, () => post({ amount: 500, currency: "eur", reason: "Not a code" }), 400, "VALIDATION_FAILED");
  });
});

describe("desk payments at completion", () => {
  async function booked() {
    const s = await createSalon(t);
    const r = await t.request("POST", "/v1/admin/bookings", {
      key: s.tenant.apiKey,
      body: { serviceId: s.serviceId, start: "2027-03-01T10:00:00Z", customer: customer("desk") },
    });
    expect(r.status).toBe(201);
    const complete = (body: unknown) =>
      t.request("POST", `/v1/admin/bookings/${r.body.booking.id}/complete`, { key: s.tenant.apiKey, body });
    return { s, complete };
  }

  it("refuses a currency other than the tenant's with 400 VALIDATION_FAILED naming it", async () => {
    const { s, complete } = await booked();
    await refused(
      s,
      () => complete({ currency: "USD", payments: [{ method: "cash", amount: 5000 }] }),
      400,
      "VALIDATION_FAILED",
      "currency",
    );
  });

  it.each([
    ["negative", -5000],
    ["zero", 0],
    ["fractional", 4999.5],
    ["a string", "5000"],
  ])("refuses a %s desk payment with 400 VALIDATION_FAILED", async (_name, amount) => {
    const { s, complete } = await booked();
    await refused(s, () => complete({ payments: [{ method: "cash", amount }] }), 400, "VALIDATION_FAILED", "amount");
  });

  it("refuses a negative tip and a negative discount with 400 VALIDATION_FAILED", async () => {
    const { s, complete } = await booked();
    const cash = [{ method: "cash", amount: 5000 }];
    await refused(s, () => complete({ payments: cash, tip: { amount: -100 } }), 400, "VALIDATION_FAILED", "tip");
    await refused(s, () => complete({ payments: cash, discount: -100 }), 400, "VALIDATION_FAILED", "discount");
  });
});

describe("cancellation policy", () => {
  it.each([
    ["hours < 0", { freeUntilHours: -1 }],
    ["fractional hours", { freeUntilHours: 2.5 }],
    ["lateKeepPercent > 100", { freeUntilHours: 24, lateKeepPercent: 101 }],
    ["lateKeepPercent < 0", { freeUntilHours: 24, lateKeepPercent: -1 }],
    ["noShowKeepPercent > 100", { freeUntilHours: 24, noShowKeepPercent: 150 }],
    ["noShowKeepPercent < 0", { freeUntilHours: 24, noShowKeepPercent: -5 }],
    ["lateRefundPercent > 100", { freeUntilHours: 24, lateRefundPercent: 101 }],
    ["lateRefundPercent < 0", { freeUntilHours: 24, lateRefundPercent: -1 }],
    ["a fractional percent", { freeUntilHours: 24, lateKeepPercent: 12.5 }],
  ])("refuses %s with 400 VALIDATION_FAILED and keeps the stored policy", async (_name, cancellation) => {
    const s = await createSalon(t);
    const policy = { freeUntilHours: 12, lateKeepPercent: 40, noShowKeepPercent: 75 };
    const set = await t.request("PATCH", "/v1/admin/tenant", {
      key: s.tenant.apiKey,
      body: { policies: { cancellation: policy } },
    });
    expect(set.status).toBe(200);
    const stored = () => t.database.admin("SELECT policies FROM tenants WHERE id = $1", [s.tenant.id]);
    const before = await stored();
    const field = Object.keys(cancellation).at(-1)!;
    await refused(
      s,
      () => t.request("PATCH", "/v1/admin/tenant", { key: s.tenant.apiKey, body: { policies: { cancellation } } }),
      400,
      "VALIDATION_FAILED",
      field,
    );
    expect(await stored()).toEqual(before);
  });

  it("refuses the platform fee, which is the platform's, naming it and changing nothing", async () => {
    const s = await createSalon(t);
    const stored = () =>
      t.database.admin("SELECT policies, platform_fee_bps FROM tenants WHERE id = $1", [s.tenant.id]);
    const before = await stored();
    await refused(
      s,
      () => t.request("PATCH", "/v1/admin/tenant", { key: s.tenant.apiKey, body: { policies: { platformFeeBps: 0 } } }),
      400,
      "VALIDATION_FAILED",
      "platformFeeBps",
    );
    expect(await stored()).toEqual(before);
  });
});

describe("a service's deposit", () => {
  const service = (deposit: unknown, price = 5000) => ({
    name: "Colour",
    durationMinutes: 60,
    price: { amount: price, currency: "EUR" },
    deposit,
  });

  it.each([
    ["percent > 100", { percent: 101 }],
    ["percent 0", { percent: 0 }],
    ["a negative percent", { percent: -10 }],
    ["a fractional percent", { percent: 12.5 }],
    ["a fixed deposit above the price", { amount: 5001 }],
    ["a negative fixed deposit", { amount: -1 }],
  ])("refuses %s with 400 VALIDATION_FAILED, on create and on update", async (_name, deposit) => {
    const s = await createSalon(t);
    const services = () => t.database.admin("SELECT * FROM services WHERE tenant_id = $1 ORDER BY id", [s.tenant.id]);
    const before = await services();
    await refused(
      s,
      () => t.request("POST", "/v1/admin/services", { key: s.tenant.apiKey, body: service(deposit) }),
      400,
      "VALIDATION_FAILED",
      "deposit",
    );
    await refused(
      s,
      () => t.request("PATCH", `/v1/admin/services/${s.serviceId}`, { key: s.tenant.apiKey, body: { deposit } }),
      400,
      "VALIDATION_FAILED",
      "deposit",
    );
    expect(await services()).toEqual(before);
  });

  it("refuses a price cut below the fixed deposit with 400 VALIDATION_FAILED, changing nothing", async () => {
    const s = await createSalon(t, { service: { deposit: { amount: 3000 } } });
    const before = await t.database.admin("SELECT * FROM services WHERE id = $1", [s.serviceId]);
    await refused(
      s,
      () =>
        t.request("PATCH", `/v1/admin/services/${s.serviceId}`, {
          key: s.tenant.apiKey,
          body: { price: { amount: 2999, currency: "EUR" } },
        }),
      400,
      "VALIDATION_FAILED",
      "deposit",
    );
    expect(await t.database.admin("SELECT * FROM services WHERE id = $1", [s.serviceId])).toEqual(before);
  });
});
