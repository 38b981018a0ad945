// The cancellation policy (issue 13 item 5): a table of decisions, then fast-check properties over random policies,
// amounts and times — never more than refundable, never negative, never more later than earlier, the owner ⇒ full.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CancellationPolicy,
  cancellationPolicyOf,
  DEFAULT_CANCELLATION_POLICY,
  type RefundActor,
  type RefundBooking,
  refundFor,
} from "./refunds.ts";

const H = 3_600_000;
const start = Date.UTC(2027, 2, 10, 9, 0);
const policy: CancellationPolicy = { freeUntilHours: 24, lateKeepPercent: 50, noShowKeepPercent: 100 };
const cancellation: RefundBooking = { startsAt: start, event: "cancellation" };
const noShow: RefundBooking = { startsAt: start, event: "no_show" };

describe("refundFor: the table", () => {
  const cases: [
    string,
    CancellationPolicy,
    RefundBooking,
    { paid: number; refunded: number },
    number,
    RefundActor,
    object,
  ][] = [
    [
      "free window, 2 days before",
      policy,
      cancellation,
      { paid: 1500, refunded: 0 },
      start - 48 * H,
      "customer",
      { rule: "free_window", refundable: 1500, fee: 0, refund: 1500 },
    ],
    [
      "free window ends exactly N hours before (inclusive)",
      policy,
      cancellation,
      { paid: 1500, refunded: 0 },
      start - 24 * H,
      "customer",
      { rule: "free_window", fee: 0, refund: 1500 },
    ],
    [
      "one millisecond later is late: keeps 50 %",
      policy,
      cancellation,
      { paid: 1500, refunded: 0 },
      start - 24 * H + 1,
      "customer",
      { rule: "late_cancellation", fee: 750, refund: 750 },
    ],
    [
      "late fee rounds down (customer's favour)",
      policy,
      cancellation,
      { paid: 1001, refunded: 0 },
      start - H,
      "customer",
      { fee: 500, refund: 501 },
    ],
    [
      "late keeps X % of paid, capped at what is left",
      policy,
      cancellation,
      { paid: 1000, refunded: 800 },
      start - H,
      "customer",
      { refundable: 200, fee: 200, refund: 0 },
    ],
    [
      "late after a partial refund",
      policy,
      cancellation,
      { paid: 1000, refunded: 100 },
      start - H,
      "customer",
      { refundable: 900, fee: 500, refund: 400 },
    ],
    [
      "no-show keeps Y %",
      { ...policy, noShowKeepPercent: 30 },
      noShow,
      { paid: 2000, refunded: 0 },
      start + H,
      "customer",
      { rule: "no_show", fee: 600, refund: 1400 },
    ],
    [
      "no-show keeping everything refunds nothing",
      policy,
      noShow,
      { paid: 2000, refunded: 0 },
      start + H,
      "customer",
      { rule: "no_show", fee: 2000, refund: 0 },
    ],
    [
      "the owner cancelling refunds in full, even late",
      policy,
      cancellation,
      { paid: 1500, refunded: 0 },
      start - H,
      "owner",
      { rule: "owner", fee: 0, refund: 1500 },
    ],
    [
      "the owner refunds only what is left",
      policy,
      cancellation,
      { paid: 1500, refunded: 500 },
      start - H,
      "owner",
      { refund: 1000 },
    ],
    [
      "nothing paid, nothing refunded",
      policy,
      cancellation,
      { paid: 0, refunded: 0 },
      start - H,
      "customer",
      { refundable: 0, fee: 0, refund: 0 },
    ],
    [
      "refunded more than paid (never happens) is clamped",
      policy,
      cancellation,
      { paid: 100, refunded: 300 },
      start - 48 * H,
      "customer",
      { refundable: 0, refund: 0 },
    ],
    [
      "zero-yen currency: whole units",
      { ...policy, lateKeepPercent: 33 },
      cancellation,
      { paid: 5, refunded: 0 },
      start - H,
      "customer",
      { fee: 1, refund: 4 },
    ],
    [
      "a free window of 0 hours: free until the start",
      { ...policy, freeUntilHours: 0 },
      cancellation,
      { paid: 900, refunded: 0 },
      start - 1,
      "customer",
      { rule: "free_window", refund: 900 },
    ],
  ];
  it.each(cases)("%s", (_name, p, booking, payments, now, actor, expected) => {
    expect(refundFor(p, booking, payments, now, actor)).toMatchObject(expected);
  });

  it("says when the free window closes", () => {
    expect(refundFor(policy, cancellation, { paid: 1, refunded: 0 }, start, "customer").freeUntil).toBe(start - 24 * H);
  });

  it("refuses amounts that are not whole minor units and percentages outside 0–100", () => {
    expect(() => refundFor(policy, cancellation, { paid: 10.5, refunded: 0 }, start, "customer")).toThrow(RangeError);
    expect(() => refundFor(policy, cancellation, { paid: 10, refunded: -1 }, start, "customer")).toThrow(RangeError);
    expect(() =>
      refundFor({ ...policy, lateKeepPercent: 101 }, cancellation, { paid: 10, refunded: 0 }, start, "customer"),
    ).toThrow(RangeError);
    expect(() =>
      refundFor({ ...policy, freeUntilHours: -1 }, cancellation, { paid: 10, refunded: 0 }, start, "customer"),
    ).toThrow(RangeError);
  });
});

describe("cancellationPolicyOf", () => {
  it("fills the defaults and reads the older lateRefundPercent as 100 − keep", () => {
    expect(cancellationPolicyOf(undefined)).toEqual(DEFAULT_CANCELLATION_POLICY);
    expect(cancellationPolicyOf({ freeUntilHours: 12, lateRefundPercent: 30 })).toEqual({
      freeUntilHours: 12,
      lateKeepPercent: 70,
      noShowKeepPercent: 100,
    });
    expect(cancellationPolicyOf({ freeUntilHours: 6, lateKeepPercent: 10, noShowKeepPercent: 40 })).toEqual({
      freeUntilHours: 6,
      lateKeepPercent: 10,
      noShowKeepPercent: 40,
    });
  });
});

describe("refundFor: properties", () => {
  const arbPolicy = fc.record({
    freeUntilHours: fc.integer({ min: 0, max: 720 }),
    lateKeepPercent: fc.integer({ min: 0, max: 100 }),
    noShowKeepPercent: fc.integer({ min: 0, max: 100 }),
  });
  const arbPayments = fc
    .tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }))
    .map(([paid, r]) => ({ paid, refunded: Math.min(r, paid) }));
  const arbOffset = fc.integer({ min: -1000 * H, max: 1000 * H });
  const arbBooking = fc.constantFrom<RefundBooking>(cancellation, noShow);
  const arbActor = fc.constantFrom<RefundActor>("customer", "owner");

  it("never refunds more than paid minus refunded, never a negative amount, and fee + refund = refundable", () => {
    fc.assert(
      fc.property(arbPolicy, arbBooking, arbPayments, arbOffset, arbActor, (p, b, pay, off, actor) => {
        const d = refundFor(p, b, pay, start + off, actor);
        expect(d.refund).toBeGreaterThanOrEqual(0);
        expect(d.fee).toBeGreaterThanOrEqual(0);
        expect(d.refund).toBeLessThanOrEqual(pay.paid - pay.refunded);
        expect(d.refund + d.fee).toBe(d.refundable);
        expect(Number.isSafeInteger(d.refund)).toBe(true);
      }),
    );
  });

  it("is monotone in time: a later decision never refunds more", () => {
    fc.assert(
      fc.property(arbPolicy, arbBooking, arbPayments, arbOffset, arbOffset, arbActor, (p, b, pay, o1, o2, actor) => {
        const [early, late] = o1 <= o2 ? [o1, o2] : [o2, o1];
        const first = refundFor(p, b, pay, start + early, actor);
        const second = refundFor(p, b, pay, start + late, actor);
        expect(second.refund).toBeLessThanOrEqual(first.refund);
      }),
    );
  });

  it("the owner always refunds everything refundable", () => {
    fc.assert(
      fc.property(arbPolicy, arbBooking, arbPayments, arbOffset, (p, b, pay, off) => {
        const d = refundFor(p, b, pay, start + off, "owner");
        expect(d.refund).toBe(pay.paid - pay.refunded);
        expect(d.fee).toBe(0);
      }),
    );
  });

  it("keeping more never refunds more", () => {
    fc.assert(
      fc.property(arbPolicy, arbPayments, arbOffset, fc.integer({ min: 0, max: 100 }), (p, pay, off, extra) => {
        const more = { ...p, lateKeepPercent: Math.max(p.lateKeepPercent, extra) };
        const a = refundFor(p, cancellation, pay, start + off, "customer");
        const b = refundFor(more, cancellation, pay, start + off, "customer");
        expect(b.refund).toBeLessThanOrEqual(a.refund);
      }),
    );
  });
});
