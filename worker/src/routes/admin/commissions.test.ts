// Commission rules, staff statements and staff payments (issue 14 items 1–2) through the admin API on the real
// database: a rate change applies from its date only; a statement's figures are the sums of its ledger lines (SQL)
// for completions, tips, a refund after completion and a payment; paying more than owed is 422 with nothing stored;
// a staff session reads only its own statement; a fee earns commission only when the policy says so.
import { describe, expect, it } from "vitest";
import { TEST_NOW, useTestApp } from "../../../../test/helpers/app.ts";
import { addMember } from "../../../../test/helpers/auth.ts";
import { paidBooking, unbalancedEntries } from "../../../../test/helpers/paid-booking.ts";
import { snapshotRows } from "../../../../test/helpers/rows.ts";
import { createSalon, customer, type Salon } from "../../../../test/helpers/salon.ts";
import { CommissionRuleList, StaffPayment, StaffStatement } from "../../schemas/commissions.ts";

const t = useTestApp();

async function book(s: Salon, staffId: string, start: string): Promise<string> {
  const r = await t.request("POST", "/v1/admin/bookings", {
    key: s.tenant.apiKey,
    body: { serviceId: s.serviceId, staffId, start, customer: customer(crypto.randomUUID().slice(0, 8)) },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.booking.id;
}

async function complete(s: Salon, id: string, body: unknown = { payments: [{ method: "cash", amount: 5000 }] }) {
  const r = await t.request("POST", `/v1/admin/bookings/${id}/complete`, { key: s.tenant.apiKey, body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

/** −Σ of the staff member's commissions_payable credit lines per booking (what each completion earned). */
async function commissionByBooking(s: Salon, staffId: string): Promise<Record<string, number>> {
  const rows = await t.database.admin<{ booking_id: string; sum: string }>(
    `SELECT booking_id, (-sum(amount))::text AS sum FROM journal_lines
      WHERE tenant_id = $1 AND account = $2 AND amount < 0 GROUP BY booking_id`,
    [s.tenant.id, `commissions_payable:${staffId}`],
  );
  return Object.fromEntries(rows.map((r) => [r.booking_id, Number(r.sum)]));
}

describe("commission rules", () => {
  it("apply the rule in force at each appointment's start: a rate change midway applies only from its date", async () => {
    t.clock.now = TEST_NOW;
    const s = await createSalon(t);
    const staffId = s.staffIds[0]!;
    const put = await t.request("PUT", `/v1/admin/staff/${staffId}/commission-rules`, {
      key: s.tenant.apiKey,
      body: {
        rules: [
          { kind: "percent", rateBps: 2000, effectiveFrom: "2027-01-01" },
          { kind: "percent", rateBps: 5000, effectiveFrom: "2027-03-10" },
          { kind: "fixed", amount: 1200, serviceId: s.serviceId, effectiveFrom: "2027-03-11" },
        ],
      },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const listed = CommissionRuleList.parse(
      (await t.request("GET", `/v1/admin/staff/${staffId}/commission-rules`, { key: s.tenant.apiKey })).body,
    );
    expect(listed.rules.map((r) => [r.kind, r.rateBps ?? r.amount, r.serviceId, r.effectiveFrom])).toEqual([
      ["percent", 2000, null, "2027-01-01"],
      ["percent", 5000, null, "2027-03-10"],
      ["fixed", 1200, s.serviceId, "2027-03-11"],
    ]);
    const before = await book(s, staffId, "2027-03-09T16:00:00Z");
    const from = await book(s, staffId, "2027-03-10T09:00:00Z");
    const service = await book(s, staffId, "2027-03-11T09:00:00Z");
    t.clock.now = new Date("2027-03-12T09:00:00Z");
    for (const id of [service, from, before]) await complete(s, id); // completion order does not matter
    expect(await commissionByBooking(s, staffId)).toEqual({ [before]: 1000, [from]: 2500, [service]: 1200 });
    // A later change never rewrites what was posted.
    await t.request("PUT", `/v1/admin/staff/${staffId}/commission-rules`, {
      key: s.tenant.apiKey,
      body: { rules: [{ kind: "percent", rateBps: 0, effectiveFrom: "2027-01-01" }] },
    });
    expect(await commissionByBooking(s, staffId)).toEqual({ [before]: 1000, [from]: 2500, [service]: 1200 });
    t.clock.now = TEST_NOW;
  });

  it("refuses a percent above 100, a negative fixed amount and an unknown service, storing nothing", async () => {
    t.clock.now = TEST_NOW;
    const s = await createSalon(t);
    const staffId = s.staffIds[0]!;
    const url = `/v1/admin/staff/${staffId}/commission-rules`;
    const ok = await t.request("PUT", url, {
      key: s.tenant.apiKey,
      body: { rules: [{ kind: "percent", rateBps: 2500, effectiveFrom: "2027-01-01" }] },
    });
    expect(ok.status).toBe(200);
    const before = await snapshotRows(t, s.tenant.id, ["commission_rules"]);
    const cases: [unknown, number, string][] = [
      [{ kind: "percent", rateBps: 10_001, effectiveFrom: "2027-01-01" }, 422, "COMMISSION_RULE_INVALID"],
      [{ kind: "fixed", amount: -1, effectiveFrom: "2027-01-01" }, 422, "COMMISSION_RULE_INVALID"],
      [
        { kind: "percent", rateBps: 1000, serviceId: "svc_unknown", effectiveFrom: "2027-01-01" },
        400,
        "VALIDATION_FAILED",
      ],
      [{ kind: "percent", rateBps: 1000, effectiveFrom: "2027-02-30" }, 400, "VALIDATION_FAILED"],
      [{ kind: "bonus", rateBps: 1000, effectiveFrom: "2027-01-01" }, 400, "VALIDATION_FAILED"],
    ];
    for (const [rule, status, code] of cases) {
      const r = await t.request("PUT", url, { key: s.tenant.apiKey, body: { rules: [rule] } });
      expect([r.status, r.body.error?.code], JSON.stringify(rule)).toEqual([status, code]);
    }
    const twice = await t.request("PUT", url, {
      key: s.tenant.apiKey,
      body: {
        rules: [
          { kind: "percent", rateBps: 1000, effectiveFrom: "2027-01-01" },
          { kind: "fixed", amount: 100, effectiveFrom: "2027-01-01" },
        ],
      },
    });
    expect(twice.status).toBe(400);
    expect(await snapshotRows(t, s.tenant.id, ["commission_rules"])).toEqual(before);
    const other = await createSalon(t);
    const foreign = await t.request("GET", url, { key: other.tenant.apiKey });
    expect(foreign.status).toBe(404);
  });

  it("earns commission on a kept no-show fee only when policies.commissionOnFees says so", async () => {
    const earned: Record<string, number> = {};
    for (const commissionOnFees of [false, true]) {
      t.clock.now = TEST_NOW;
      const s = await createSalon(t);
      const patched = await t.request("PATCH", "/v1/admin/tenant", {
        key: s.tenant.apiKey,
        body: { policies: { cancellation: { freeUntilHours: 24, noShowKeepPercent: 100 }, commissionOnFees } },
      });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      const b = await paidBooking(t, s, "2027-03-03T10:00:00Z", { amount: 2000 });
      t.clock.now = new Date("2027-03-03T12:00:00Z");
      const r = await t.request("POST", `/v1/admin/bookings/${b.id}/no-show`, { key: s.tenant.apiKey });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      earned[String(commissionOnFees)] = (await commissionByBooking(s, s.staffIds[0]!))[b.id] ?? 0;
      expect(await unbalancedEntries(t, s.tenant.id)).toEqual([]);
    }
    // 30 % (the staff member's commissionBps) of the 2000 kept.
    expect(earned).toEqual({ false: 0, true: 600 });
    t.clock.now = TEST_NOW;
  });
});

describe("staff statements and payments", () => {
  it("sum the ledger lines: completions, a tip, a refund after completion and a payment; balance owed = payables", async () => {
    t.clock.now = TEST_NOW;
    const s = await createSalon(t);
    const staffId = s.staffIds[0]!;
    const paid = await paidBooking(t, s, "2027-03-03T10:00:00Z", { amount: 2000 });
    const walkIn = await book(s, staffId, "2027-03-04T10:00:00Z");
    t.clock.now = new Date("2027-03-05T09:00:00Z");
    await complete(s, paid.id, { payments: [{ method: "cash", amount: 3500 }], tip: { amount: 500 } });
    await complete(s, walkIn, { payments: [{ method: "card", amount: 5000 }] });
    const refund = await t.request("POST", `/v1/admin/bookings/${paid.id}/refunds`, {
      key: s.tenant.apiKey,
      body: { amount: 1000, reason: "Unhappy with the fringe" },
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    const headers = { "idempotency-key": `pay-${crypto.randomUUID()}` };
    const pay = () =>
      t.request("POST", `/v1/admin/staff/${staffId}/payments`, {
        key: s.tenant.apiKey,
        headers,
        body: { amount: 1000, method: "bank", period: { from: "2027-03-01", to: "2027-03-31" } },
      });
    const first = await pay();
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(StaffPayment.parse(first.body)).toMatchObject({ amount: 1000, tips: 500, commission: 500, currency: "EUR" });
    expect((await pay()).body).toEqual(first.body); // the same key replays: one payment
    const read = async (query: string) => {
      const r = await t.request("GET", `/v1/admin/staff/${staffId}/statement?${query}`, { key: s.tenant.apiKey });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return StaffStatement.parse(r.body);
    };
    const st = await read("period=month&date=2027-03-05");
    expect(st.period).toEqual({ from: "2027-03-01", to: "2027-03-31" });

    // Every figure from the database's own lines (SQL as the superuser).
    const [sql] = await t.database.admin<Record<string, string>>(
      `SELECT
         (-sum(l.amount) FILTER (WHERE l.account = $2 AND l.amount < 0))::text AS commission,
         (-sum(l.amount) FILTER (WHERE l.account = $3 AND l.amount < 0))::text AS tips,
         (sum(l.amount) FILTER (WHERE l.account = $2 AND l.amount > 0 AND e.source_type = 'refund'))::text AS reversed,
         (sum(l.amount) FILTER (WHERE l.account IN ($2, $3) AND e.source_type = 'commission_payment'))::text AS paid,
         (-sum(l.amount) FILTER (WHERE l.account IN ($2, $3)))::text AS owed,
         (-sum(l.amount) FILTER (WHERE l.staff_id = $4 AND l.account IN ('service_revenue', 'discounts')))::text AS revenue,
         (sum(l.amount) FILTER (WHERE l.staff_id = $4 AND l.account = 'refunds_given'))::text AS refunds
       FROM journal_lines l JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
       WHERE l.tenant_id = $1`,
      [s.tenant.id, `commissions_payable:${staffId}`, `tips_payable:${staffId}`, staffId],
    );
    const fromSql = Object.fromEntries(Object.entries(sql!).map(([k, v]) => [k, Number(v)]));
    expect(fromSql).toEqual({
      commission: 3000,
      tips: 500,
      reversed: 300,
      paid: 1000,
      owed: 2200,
      revenue: 10_000,
      refunds: 1000,
    });
    expect(st).toMatchObject({
      appointments: 2,
      revenue: fromSql.revenue,
      refunds: fromSql.refunds,
      commission: fromSql.commission,
      tips: fromSql.tips,
      commissionReversed: fromSql.reversed,
      paid: fromSql.paid,
      openingBalance: 0,
      balanceOwed: fromSql.owed,
      entriesTruncated: false,
    });
    // …and from the lines the statement lists.
    const listed = st.entries.flatMap((e) => e.lines.map((l) => ({ ...l, source: e.source.type })));
    const total = (keep: (l: (typeof listed)[number]) => boolean) =>
      listed.filter(keep).reduce((sum, l) => sum + l.amount, 0);
    expect(0 - total((l) => l.account === `commissions_payable:${staffId}` && l.amount < 0)).toBe(st.commission);
    expect(0 - total((l) => l.account === `tips_payable:${staffId}` && l.amount < 0)).toBe(st.tips);
    expect(0 - total((l) => l.account.endsWith(`_payable:${staffId}`))).toBe(st.balanceOwed);
    expect(0 - total((l) => ["service_revenue", "discounts"].includes(l.account))).toBe(st.revenue);

    // A period after all this opens with what is owed.
    const april = await read("from=2027-04-01&to=2027-04-30");
    expect(april).toMatchObject({ openingBalance: 2200, balanceOwed: 2200, commission: 0, entries: [] });

    // Paying more than owed: 422, nothing stored.
    const tables = ["staff_payments", "journal_entries", "journal_lines", "idempotency_keys"];
    const before = await snapshotRows(t, s.tenant.id, tables);
    const over = await t.request("POST", `/v1/admin/staff/${staffId}/payments`, {
      key: s.tenant.apiKey,
      headers: { "idempotency-key": `pay-${crypto.randomUUID()}` },
      body: { amount: 2201, method: "cash", period: { from: "2027-03-01", to: "2027-03-31" } },
    });
    expect([over.status, over.body.error?.code]).toEqual([422, "STAFF_OVERPAID"]);
    expect(await snapshotRows(t, s.tenant.id, tables)).toEqual(before);
    const exact = await t.request("POST", `/v1/admin/staff/${staffId}/payments`, {
      key: s.tenant.apiKey,
      body: { amount: 2200, method: "cash", period: { from: "2027-03-01", to: "2027-03-31" } },
    });
    expect(exact.body).toMatchObject({ balanceOwed: 0, tips: 0, commission: 2200 });
    expect(await unbalancedEntries(t, s.tenant.id)).toEqual([]);
    t.clock.now = TEST_NOW;
  });

  it("two payments at once that together exceed what is owed: one is paid, the other is 422", async () => {
    t.clock.now = TEST_NOW;
    const s = await createSalon(t);
    const staffId = s.staffIds[0]!;
    const id = await book(s, staffId, "2027-03-04T10:00:00Z");
    await complete(s, id, { payments: [{ method: "cash", amount: 6000 }], tip: { amount: 1000 } }); // owed 1500 + 1000
    const pay = () =>
      t.request("POST", `/v1/admin/staff/${staffId}/payments`, {
        key: s.tenant.apiKey,
        body: { amount: 1500, method: "bank", period: { from: "2027-03-01", to: "2027-03-31" } },
      });
    const answers = await Promise.all([pay(), pay()]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422]);
    const [row] = await t.database.admin<{ n: string; owed: string }>(
      `SELECT (SELECT count(*) FROM staff_payments WHERE tenant_id = $1)::text AS n,
              (SELECT -sum(amount) FROM journal_lines WHERE tenant_id = $1 AND account IN ($2, $3))::text AS owed`,
      [s.tenant.id, `commissions_payable:${staffId}`, `tips_payable:${staffId}`],
    );
    expect(row).toEqual({ n: "1", owed: "1000" });
  });

  it("a staff session reads its own statement only (403 for another's); rules and payments are the owner's", async () => {
    t.clock.now = TEST_NOW;
    const s = await createSalon(t, { staff: 2 });
    const [mine, theirs] = s.staffIds as [string, string];
    const me = await addMember(t, s.tenant, "staff", mine);
    const q = "period=week&date=2027-03-03";
    expect((await t.request("GET", `/v1/admin/staff/${mine}/statement?${q}`, me.as())).status).toBe(200);
    const other = await t.request("GET", `/v1/admin/staff/${theirs}/statement?${q}`, me.as());
    expect([other.status, other.body.error?.code]).toEqual([403, "FORBIDDEN"]);
    expect((await t.request("GET", `/v1/admin/staff/${mine}/commission-rules`, me.as())).status).toBe(403);
    const paying = await t.request(
      "POST",
      `/v1/admin/staff/${mine}/payments`,
      me.as({ body: { amount: 1, method: "cash", period: { from: "2027-03-01", to: "2027-03-07" } } }),
    );
    expect(paying.status).toBe(403);
    const owner = await t.request("GET", `/v1/admin/staff/${theirs}/statement?${q}`, { key: s.tenant.apiKey });
    expect(owner.status).toBe(200);
    const bad = await t.request("GET", `/v1/admin/staff/${mine}/statement?from=2027-03-05&to=2027-03-01`, {
      key: s.tenant.apiKey,
    });
    expect([bad.status, bad.body.error?.code]).toEqual([400, "VALIDATION_FAILED"]);
  });
});
