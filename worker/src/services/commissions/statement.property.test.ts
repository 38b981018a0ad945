// Commissions and statements as a property over the real database (issue 14's acceptance): after random sequences of
// rule changes, completions with tips and discounts, refunds after completion and staff payments (some more than
// owed), every completion earned what the rule in force at its date gives, no refund took back more than was earned,
// and every staff member's statement sums its listed lines, with balance owed = −Σ commissions_payable + tips_payable
// lines for that staff member (SQL). COMMISSION_PROPERTY_RUNS bounds a run (default 6).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TEST_NOW, useTestApp } from "../../../../test/helpers/app.ts";
import { paidBooking, unbalancedEntries } from "../../../../test/helpers/paid-booking.ts";
import { createSalon, type Salon } from "../../../../test/helpers/salon.ts";
import { type CommissionRule, commissionOf, ruleInForce } from "../../domain/commissions.ts";
import { StaffStatement } from "../../schemas/commissions.ts";

const t = useTestApp();
const RUNS = Number(process.env.COMMISSION_PROPERTY_RUNS ?? 6);
const DATES = ["2027-03-01", "2027-03-03", "2027-03-05", "2027-03-07"];

const arbRule = fc.record({
  kind: fc.constantFrom("percent" as const, "fixed" as const),
  value: fc.integer({ min: 0, max: 10_000 }),
  service: fc.boolean(),
  effectiveFrom: fc.constantFrom(...DATES),
});
const step = fc.oneof(
  fc.record({
    kind: fc.constant("rules" as const),
    rules: fc.uniqueArray(arbRule, { maxLength: 3, selector: (r) => `${r.service}|${r.effectiveFrom}` }),
  }),
  fc.record({
    kind: fc.constant("complete" as const),
    deposit: fc.constantFrom(0, 1500, 3000),
    tip: fc.integer({ min: 0, max: 800 }),
    discount: fc.integer({ min: 0, max: 1500 }),
  }),
  fc.record({ kind: fc.constant("refund" as const), pick: fc.nat(), amount: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant("pay" as const), share: fc.integer({ min: 1, max: 110 }), cash: fc.boolean() }),
);

interface Done {
  id: string;
  staffId: string;
  deposit: number;
  refunded: number;
  discount: number;
  expected: number;
}

async function sumSql(s: Salon, sqlText: string, params: unknown[]): Promise<number> {
  const [row] = await t.database.admin<{ v: string | null }>(sqlText, [s.tenant.id, ...params]);
  return Number(row?.v ?? 0);
}

describe("commission property", () => {
  it("completions earn by the rule in force; statements sum their lines and balance owed = the payable lines", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 10 }), async (steps) => {
        t.clock.now = TEST_NOW;
        const s = await createSalon(t); // one staff member: public bookings land on them
        const staffId = s.staffIds[0]!;
        let rules: CommissionRule[] = [];
        const done: Done[] = [];
        let slot = 0;
        for (const st of steps) {
          if (st.kind === "rules") {
            const body = st.rules.map((r) =>
              r.kind === "percent"
                ? {
                    kind: "percent" as const,
                    rateBps: r.value,
                    serviceId: r.service ? s.serviceId : null,
                    effectiveFrom: r.effectiveFrom,
                  }
                : {
                    kind: "fixed" as const,
                    amount: r.value,
                    serviceId: r.service ? s.serviceId : null,
                    effectiveFrom: r.effectiveFrom,
                  },
            );
            const r = await t.request("PUT", `/v1/admin/staff/${staffId}/commission-rules`, {
              key: s.tenant.apiKey,
              body: { rules: body },
            });
            expect(r.status, JSON.stringify(r.body)).toBe(200);
            rules = body.map((b) => ({ ...b, serviceId: b.serviceId ?? null }) as CommissionRule);
          } else if (st.kind === "complete") {
            const day = 2 + (slot % 8);
            const start = `2027-03-${String(day).padStart(2, "0")}T${String(9 + Math.floor(slot / 8)).padStart(2, "0")}:00:00Z`;
            slot++;
            const b = await paidBooking(t, s, start, { amount: Math.max(st.deposit, 1) });
            const discount = Math.min(st.discount, 5000 - Math.max(st.deposit, 1));
            const cash = 5000 - Math.max(st.deposit, 1) - discount + st.tip;
            const r = await t.request("POST", `/v1/admin/bookings/${b.id}/complete`, {
              key: s.tenant.apiKey,
              body: {
                payments: cash > 0 ? [{ method: "cash", amount: cash }] : [],
                ...(st.tip > 0 && { tip: { amount: st.tip } }),
                discount,
              },
            });
            expect(r.status, JSON.stringify(r.body)).toBe(200);
            const rule = ruleInForce(rules, s.serviceId, start.slice(0, 10)) ?? { kind: "percent", rateBps: 3000 };
            done.push({
              id: b.id,
              staffId,
              deposit: Math.max(st.deposit, 1),
              refunded: 0,
              discount,
              expected: commissionOf(rule, 5000 - discount),
            });
          } else if (st.kind === "refund" && done.length > 0) {
            const d = done[st.pick % done.length]!;
            const amount = Math.min(st.amount, d.deposit - d.refunded);
            if (amount <= 0) continue;
            const r = await t.request("POST", `/v1/admin/bookings/${d.id}/refunds`, {
              key: s.tenant.apiKey,
              body: { amount, reason: "Property" },
            });
            expect(r.status, JSON.stringify(r.body)).toBe(201);
            d.refunded += amount;
          } else if (st.kind === "pay") {
            const owed =
              0 -
              (await sumSql(
                s,
                "SELECT sum(amount)::text AS v FROM journal_lines WHERE tenant_id = $1 AND account IN ($2, $3)",
                [`commissions_payable:${staffId}`, `tips_payable:${staffId}`],
              ));
            const amount = Math.floor((owed * st.share) / 100);
            if (amount <= 0) continue;
            const r = await t.request("POST", `/v1/admin/staff/${staffId}/payments`, {
              key: s.tenant.apiKey,
              body: { amount, method: st.cash ? "cash" : "bank", period: { from: "2027-03-01", to: "2027-03-31" } },
            });
            expect(r.status, JSON.stringify(r.body)).toBe(amount > owed ? 422 : 201);
          }
        }

        expect(await unbalancedEntries(t, s.tenant.id)).toEqual([]);
        for (const d of done) {
          const earned = await sumSql(
            s,
            "SELECT (-sum(amount))::text AS v FROM journal_lines WHERE tenant_id = $1 AND booking_id = $2 AND account = $3 AND amount < 0",
            [d.id, `commissions_payable:${d.staffId}`],
          );
          const reversed = await sumSql(
            s,
            "SELECT sum(amount)::text AS v FROM journal_lines WHERE tenant_id = $1 AND booking_id = $2 AND account = $3 AND amount > 0",
            [d.id, `commissions_payable:${d.staffId}`],
          );
          expect(earned, d.id).toBe(d.expected);
          expect(reversed).toBeLessThanOrEqual(earned);
          // In proportion to the revenue recognised (price − discount), on the running total, rounded half up.
          const revenue = 5000 - d.discount;
          const share =
            d.refunded >= revenue ? earned : Math.floor((2 * earned * d.refunded + revenue) / (2 * revenue));
          expect(reversed, d.id).toBe(share);
        }
        const r = await t.request("GET", `/v1/admin/staff/${staffId}/statement?period=month&date=2027-03-15`, {
          key: s.tenant.apiKey,
        });
        expect(r.status).toBe(200);
        const st = StaffStatement.parse(r.body);
        const owed =
          0 -
          (await sumSql(
            s,
            "SELECT sum(amount)::text AS v FROM journal_lines WHERE tenant_id = $1 AND account IN ($2, $3)",
            [`commissions_payable:${staffId}`, `tips_payable:${staffId}`],
          ));
        expect(st.balanceOwed).toBe(owed);
        expect(owed).toBeGreaterThanOrEqual(0);
        expect(st.openingBalance + st.commission + st.tips - st.commissionReversed - st.paid).toBe(st.balanceOwed);
        expect(st.appointments).toBe(done.length);
        const lines = st.entries.flatMap((e) => e.lines.map((l) => ({ ...l, source: e.source.type })));
        const total = (keep: (l: (typeof lines)[number]) => boolean) =>
          lines.filter(keep).reduce((a, l) => a + l.amount, 0);
        const cp = `commissions_payable:${staffId}`;
        const tp = `tips_payable:${staffId}`;
        expect(0 - total((l) => l.account === cp && l.amount < 0)).toBe(st.commission);
        expect(0 - total((l) => l.account === tp && l.amount < 0)).toBe(st.tips);
        expect(total((l) => l.account === cp && l.amount > 0 && l.source !== "commission_payment")).toBe(
          st.commissionReversed,
        );
        expect(total((l) => [cp, tp].includes(l.account) && l.source === "commission_payment")).toBe(st.paid);
        expect(0 - total((l) => ["service_revenue", "discounts"].includes(l.account))).toBe(st.revenue);
        expect(total((l) => l.account === "refunds_given")).toBe(st.refunds);
      }),
      { numRuns: RUNS },
    );
    t.clock.now = TEST_NOW;
  }, 600_000);
});
