// Commission rules (issue 14 item 1): which rule is in force, what it earns, what a refund takes back, and statement
// periods — tables of cases, then fast-check properties (never negative, never above the revenue for a percent rule,
// monotone in the revenue; reversals never take back more than was earned).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CommissionRule,
  commissionOf,
  commissionReversal,
  InvalidCommissionRule,
  ruleInForce,
  statementPeriod,
} from "./commissions.ts";

const pct = (rateBps: number, effectiveFrom: string, serviceId: string | null = null): CommissionRule => ({
  kind: "percent",
  rateBps,
  serviceId,
  effectiveFrom,
});
const fixed = (amount: number, effectiveFrom: string, serviceId: string | null = null): CommissionRule => ({
  kind: "fixed",
  amount,
  serviceId,
  effectiveFrom,
});

describe("ruleInForce", () => {
  const rules = [
    pct(3000, "2027-01-01"),
    pct(4000, "2027-03-15"),
    fixed(1500, "2027-02-01", "svc_a"),
    pct(1000, "2027-04-01", "svc_a"),
  ];
  it.each([
    ["before any rule", "svc_b", "2026-12-31", null],
    ["the default from its first day", "svc_b", "2027-01-01", rules[0]],
    ["the default on the day before a change", "svc_b", "2027-03-14", rules[0]],
    ["the new default from its date, not before", "svc_b", "2027-03-15", rules[1]],
    ["the default for a service before its override starts", "svc_a", "2027-01-31", rules[0]],
    ["the service's override over a later default", "svc_a", "2027-03-20", rules[2]],
    ["the service's latest override", "svc_a", "2027-04-01", rules[3]],
    ["no service: the default", null, "2027-04-01", rules[1]],
  ])("%s", (_, service, date, want) => {
    expect(ruleInForce(rules, service as string | null, date as string)).toBe(want);
  });

  it("lets the latest effectiveFrom win whatever the list's order (overlaps are fine)", () => {
    const a = pct(1000, "2027-01-01");
    const b = pct(2000, "2027-02-01");
    expect(ruleInForce([b, a], null, "2027-02-10")).toBe(b);
    expect(ruleInForce([a, b], null, "2027-02-10")).toBe(b);
  });
});

describe("commissionOf", () => {
  it.each([
    [{ kind: "percent", rateBps: 3000 } as const, 5000, 1500],
    [{ kind: "percent", rateBps: 3333 } as const, 100, 33],
    [{ kind: "percent", rateBps: 2500 } as const, 2, 1], // 0.5 rounds half up
    [{ kind: "percent", rateBps: 10_000 } as const, 4321, 4321],
    [{ kind: "percent", rateBps: 0 } as const, 4321, 0],
    [{ kind: "fixed", amount: 1500 } as const, 5000, 1500],
    [{ kind: "fixed", amount: 1500 } as const, 0, 1500],
  ])("%j on %i earns %i", (terms, revenue, want) => {
    expect(commissionOf(terms, revenue)).toBe(want);
  });

  it("caps a fixed amount at a fee when asked (a fee earns at most itself)", () => {
    expect(commissionOf({ kind: "fixed", amount: 1500 }, 1000, true)).toBe(1000);
    expect(commissionOf({ kind: "percent", rateBps: 5000 }, 1000, true)).toBe(500);
  });

  it.each([
    [{ kind: "percent", rateBps: 10_001 } as const],
    [{ kind: "percent", rateBps: -1 } as const],
    [{ kind: "percent", rateBps: 12.5 } as const],
    [{ kind: "fixed", amount: -1 } as const],
  ])("refuses %j with COMMISSION_RULE_INVALID", (terms) => {
    expect(() => commissionOf(terms, 1000)).toThrow(InvalidCommissionRule);
  });

  const arbTerms = fc.oneof(
    fc.integer({ min: 0, max: 10_000 }).map((rateBps) => ({ kind: "percent" as const, rateBps })),
    fc.integer({ min: 0, max: 1_000_000 }).map((amount) => ({ kind: "fixed" as const, amount })),
  );
  const arbRevenue = fc.integer({ min: 0, max: 1_000_000_000 });

  it("is never negative, never above the revenue for a percent rule, and monotone in the revenue", () => {
    fc.assert(
      fc.property(arbTerms, arbRevenue, arbRevenue, (terms, r1, r2) => {
        const [lo, hi] = r1 <= r2 ? [r1, r2] : [r2, r1];
        const c = commissionOf(terms, lo);
        expect(c).toBeGreaterThanOrEqual(0);
        if (terms.kind === "percent") expect(c).toBeLessThanOrEqual(lo);
        expect(commissionOf(terms, hi)).toBeGreaterThanOrEqual(c);
        expect(commissionOf(terms, lo, true)).toBeLessThanOrEqual(lo);
      }),
    );
  });
});

describe("commissionReversal", () => {
  it.each([
    [
      "a full refund takes back all",
      { earned: 1500, reversed: 0, revenue: 5000, refundedBefore: 0, amount: 5000 },
      1500,
    ],
    ["a fifth takes back a fifth", { earned: 1500, reversed: 0, revenue: 5000, refundedBefore: 0, amount: 1000 }, 300],
    [
      "the rest after a partial",
      { earned: 1500, reversed: 300, revenue: 5000, refundedBefore: 1000, amount: 4000 },
      1200,
    ],
    ["nothing earned: nothing back", { earned: 0, reversed: 0, revenue: 5000, refundedBefore: 0, amount: 5000 }, 0],
    ["rounding on the running total", { earned: 100, reversed: 33, revenue: 3, refundedBefore: 1, amount: 1 }, 34],
  ])("%s", (_, f, want) => {
    expect(commissionReversal(f)).toBe(want);
  });

  it("over any split of a refund, takes back in total round(earned × refunded / revenue), never more than earned", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 8 }),
        (earned, revenue, parts) => {
          let reversed = 0;
          let refunded = 0;
          for (const p of parts) {
            const amount = Math.min(p, revenue - refunded);
            if (amount <= 0) break;
            const r = commissionReversal({ earned, reversed, revenue, refundedBefore: refunded, amount });
            expect(r).toBeGreaterThanOrEqual(0);
            reversed += r;
            refunded += amount;
          }
          expect(reversed).toBeLessThanOrEqual(earned);
          expect(reversed).toBe(refunded === revenue ? earned : Math.round((earned * refunded) / revenue));
        },
      ),
    );
  });
});

describe("statementPeriod", () => {
  it.each([
    [
      { from: "2027-03-01", to: "2027-03-31" },
      { from: "2027-03-01", to: "2027-03-31" },
    ],
    [
      { period: "week", date: "2027-03-03" },
      { from: "2027-03-01", to: "2027-03-07" },
    ],
    [
      { period: "week", date: "2027-03-07" },
      { from: "2027-03-01", to: "2027-03-07" },
    ],
    [
      { period: "month", date: "2027-02-14" },
      { from: "2027-02-01", to: "2027-02-28" },
    ],
    [
      { period: "month", date: "2028-02-29" },
      { from: "2028-02-01", to: "2028-02-29" },
    ],
    [
      { period: "month", date: "2027-12-31" },
      { from: "2027-12-01", to: "2027-12-31" },
    ],
    // 2024-01-01 starts a fortnight; so does every other Monday after it.
    [
      { period: "fortnight", date: "2024-01-10" },
      { from: "2024-01-01", to: "2024-01-14" },
    ],
    [
      { period: "fortnight", date: "2024-01-15" },
      { from: "2024-01-15", to: "2024-01-28" },
    ],
    [
      { period: "fortnight", date: "2023-12-31" },
      { from: "2023-12-18", to: "2023-12-31" },
    ],
  ] as const)("%j is %j", (q, want) => {
    expect(statementPeriod(q)).toEqual(want);
  });

  it.each([
    [{}],
    [{ from: "2027-03-02" }],
    [{ from: "2027-03-02", to: "2027-03-01" }],
    [{ from: "2027-01-01", to: "2028-01-02" }],
    [{ period: "week" }],
    [{ period: "week", date: "2027-03-02", from: "2027-03-01" }],
  ] as const)("refuses %j with VALIDATION_FAILED", (q) => {
    expect(() => statementPeriod(q)).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
  });
});
