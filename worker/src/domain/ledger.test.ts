// The posting rules (docs/ARCHITECTURE.md "The ledger"), fact by fact (a table), and their properties over random amounts (fast-check):
// every posting balances per currency, has no zero line, names only chart accounts and carries the ids it was given.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accountTypeOf,
  bookingCompleted,
  checkBalanced,
  commissionEarned,
  commissionFor,
  depositPaid,
  disputeLost,
  disputeOpened,
  disputeWon,
  feeRetained,
  LedgerRuleViolation,
  type Posting,
  payoutFailed,
  payoutPaid,
  refundAccepted,
  refundDecidedAfterCompletion,
  refundDecidedBeforeCompletion,
  refundFailed,
  reversalOf,
  staffPaid,
} from "./ledger.ts";

const ids = { bookingId: "bkg_1", staffId: "stf_1", serviceId: "svc_1" };
const base = { currency: "EUR", ...ids };

/** `{ account: amount }` of a posting, for readable expectations. */
const byAccount = (p: Posting) => Object.fromEntries(p.lines.map((l) => [l.account, l.amount]));

describe("posting rules (one row per fact)", () => {
  const table: [string, Posting, Record<string, number>][] = [
    [
      "deposit paid with fees",
      depositPaid({ ...base, amount: 1500, stripeFee: 43, platformFee: 150 }),
      { stripe_balance: 1307, stripe_fees: 43, platform_fees: 150, customer_deposits: -1500 },
    ],
    [
      "completion: deposit, cash, card, tip and discount",
      bookingCompleted({
        ...base,
        price: 5000,
        deposits: 1500,
        desk: { cash: 2000, card: 1800 },
        tip: 500,
        discount: 200,
      }),
      {
        customer_deposits: 1500,
        "desk:cash": 2000,
        "desk:card": 1800,
        discounts: 200,
        service_revenue: -5000,
        "tips_payable:stf_1": -500,
      },
    ],
    [
      "commission earned",
      commissionEarned({ ...base, commission: commissionFor(3000, 5000, 200) }),
      { commission_expense: 1440, "commissions_payable:stf_1": -1440 },
    ],
    [
      "late cancellation keeps F",
      feeRetained({ ...base, reason: "late_cancellation", deposits: 1500, fee: 750 }),
      { customer_deposits: 1500, cancellation_fees: -750, refunds_payable: -750 },
    ],
    [
      "no-show keeps everything",
      feeRetained({ ...base, reason: "no_show", deposits: 1500, fee: 1500 }),
      { customer_deposits: 1500, cancellation_fees: -1500 },
    ],
    [
      "refund decided before completion",
      refundDecidedBeforeCompletion({ ...base, amount: 1000 }),
      { customer_deposits: 1000, refunds_payable: -1000 },
    ],
    [
      "refund decided after completion, commission reversed in proportion",
      refundDecidedAfterCompletion({ ...base, amount: 2500, revenue: 5000, commission: 1441 }),
      { refunds_given: 2500, refunds_payable: -2500, "commissions_payable:stf_1": 721, commission_expense: -721 },
    ],
    [
      "refund accepted, application fee refunded",
      refundAccepted({ ...base, amount: 1000, applicationFeeRefunded: 100 }),
      { refunds_payable: 1000, stripe_balance: -900, platform_fees: -100 },
    ],
    [
      "refund failed",
      refundFailed({ ...base, amount: 1000, applicationFeeRefunded: 100 }),
      { stripe_balance: 900, platform_fees: 100, refunds_payable: -1000 },
    ],
    [
      "dispute opened",
      disputeOpened({ ...base, amount: 1500, fee: 1500 }),
      { disputed_funds: 1500, dispute_fees: 1500, stripe_balance: -3000 },
    ],
    [
      "dispute won, fee returned",
      disputeWon({ ...base, amount: 1500, feeReturned: 1500 }),
      { stripe_balance: 3000, disputed_funds: -1500, dispute_fees: -1500 },
    ],
    [
      "dispute won, fee kept by Stripe",
      disputeWon({ ...base, amount: 1500 }),
      { stripe_balance: 1500, disputed_funds: -1500 },
    ],
    ["dispute lost", disputeLost({ ...base, amount: 1500 }), { dispute_losses: 1500, disputed_funds: -1500 }],
    ["payout paid", payoutPaid({ currency: "EUR", amount: 9000 }), { bank: 9000, stripe_balance: -9000 }],
    ["payout failed", payoutFailed({ currency: "EUR", amount: 9000 }), { stripe_balance: 9000, bank: -9000 }],
    [
      "staff paid commission and tips from the bank",
      staffPaid({ currency: "EUR", staffId: "stf_1", commission: 1440, tips: 500, from: "bank" }),
      { "commissions_payable:stf_1": 1440, "tips_payable:stf_1": 500, bank: -1940 },
    ],
    [
      "staff paid tips in cash",
      staffPaid({ currency: "EUR", staffId: "stf_1", tips: 500, from: "desk:cash" }),
      { "tips_payable:stf_1": 500, "desk:cash": -500 },
    ],
  ];

  it.each(table)("%s", (_name, p, expected) => {
    expect(byAccount(p)).toEqual(expected);
    expect(p.lines).toHaveLength(Object.keys(expected).length);
    expect(p.lines.every((l) => l.currency === "EUR")).toBe(true);
  });

  it("carries the booking, staff and service ids on every line of a booking's fact", () => {
    const p = depositPaid({ ...base, amount: 100, stripeFee: 1, platformFee: 2 });
    for (const l of p.lines) expect(l).toMatchObject(ids);
    expect(payoutPaid({ currency: "EUR", amount: 1 }).lines[0]).toMatchObject({ bookingId: null, staffId: null });
  });

  it("names the kind of each fact", () => {
    expect(feeRetained({ ...base, reason: "no_show", deposits: 1, fee: 0 }).kind).toBe("booking.no_show");
    expect(depositPaid({ ...base, amount: 1, stripeFee: 0, platformFee: 0 }).kind).toBe("deposit.paid");
  });
});

describe("refusals", () => {
  const refusals: [string, () => unknown][] = [
    ["a negative amount", () => payoutPaid({ currency: "EUR", amount: -1 })],
    ["a fractional amount", () => refundDecidedBeforeCompletion({ ...base, amount: 10.5 })],
    ["a negative fee", () => depositPaid({ ...base, amount: 100, stripeFee: -1, platformFee: 0 })],
    ["a zero payment", () => depositPaid({ ...base, amount: 0, stripeFee: 0, platformFee: 0 })],
    ["R ≠ D + K − T + X", () => bookingCompleted({ ...base, price: 5000, deposits: 1500, desk: { cash: 3000 } })],
    [
      "a tip without a staff member",
      () => bookingCompleted({ currency: "EUR", price: 0, deposits: 0, tip: 100, desk: { cash: 100 } }),
    ],
    ["a fee above the deposits", () => feeRetained({ ...base, reason: "no_show", deposits: 100, fee: 101 })],
    ["a refund above revenue", () => refundDecidedAfterCompletion({ ...base, amount: 101, revenue: 100 })],
    ["an application fee above the refund", () => refundAccepted({ ...base, amount: 10, applicationFeeRefunded: 11 })],
    ["a lower-case currency", () => payoutPaid({ currency: "eur", amount: 1 })],
    ["a staff id that cannot name an account", () => commissionEarned({ ...base, staffId: "a:b", commission: 1 })],
    ["a commission rate above 100 %", () => commissionFor(10_001, 100, 0)],
  ];
  it.each(refusals)("refuses %s with LEDGER_RULE_VIOLATED", (_name, run) => {
    expect(run).toThrow(LedgerRuleViolation);
    try {
      run();
    } catch (err) {
      expect((err as LedgerRuleViolation).code).toBe("LEDGER_RULE_VIOLATED");
      expect((err as LedgerRuleViolation).status).toBe(422);
    }
  });

  it("checkBalanced refuses what the database would refuse", () => {
    const line = { currency: "EUR", bookingId: null, staffId: null, serviceId: null };
    expect(() => checkBalanced([{ ...line, account: "bank", amount: 1 }])).toThrow(/do not balance/);
    expect(() =>
      checkBalanced([
        { ...line, account: "bank", amount: 1 },
        { ...line, account: "stripe_balance", amount: -1, currency: "GBP" },
      ]),
    ).toThrow(/do not balance/);
    expect(() => checkBalanced([{ ...line, account: "bank", amount: 0 }])).toThrow(/of 0/);
    expect(() =>
      checkBalanced([
        { ...line, account: "petty_cash", amount: 1 },
        { ...line, account: "bank", amount: -1 },
      ]),
    ).toThrow(/chart/);
  });
});

describe("the chart of accounts", () => {
  it("types every account and refuses codes it does not have", () => {
    expect(accountTypeOf("stripe_balance")).toBe("asset");
    expect(accountTypeOf("desk:cash")).toBe("asset");
    expect(accountTypeOf("tips_payable:stf_abc")).toBe("liability");
    expect(accountTypeOf("refunds_given")).toBe("income");
    expect(accountTypeOf("dispute_losses")).toBe("expense");
    for (const bad of ["desk:crypto", "tips_payable", "tips_payable:", "tips_payable:a:b", "toString", "bank:x"])
      expect(accountTypeOf(bad), bad).toBeNull();
  });
});

describe("properties", () => {
  const amount = fc.integer({ min: 0, max: 1_000_000_00 });
  const positive = fc.integer({ min: 1, max: 1_000_000_00 });
  const concerns = fc.record({
    bookingId: fc.constantFrom("bkg_a", "bkg_b", undefined),
    staffId: fc.constantFrom("stf_a", "stf_b"),
    serviceId: fc.constantFrom("svc_a", undefined),
  });
  const currency = fc.constantFrom("EUR", "GBP", "JPY", "KWD");

  /** Every rule, fed random valid inputs (completion's price derived so that R = D + K − T + X holds). */
  const anyPosting: fc.Arbitrary<{ p: Posting; given: Record<string, unknown> }> = fc
    .tuple(
      fc.integer({ min: 0, max: 13 }),
      concerns,
      currency,
      fc.tuple(amount, amount, amount, amount, amount, amount),
      positive,
    )
    .map(([rule, c, cur, [a, b, d, e, f, g], pos]) => {
      const g0 = { ...c, currency: cur };
      const staffId = c.staffId;
      const tip = Math.min(f, a + b + d + e); // a tip is paid out of what the customer paid
      const postings: (() => Posting)[] = [
        () => depositPaid({ ...g0, amount: pos + a + b, stripeFee: a, platformFee: b }),
        () =>
          bookingCompleted({
            ...g0,
            price: a + b + d + e - tip + g,
            deposits: a,
            desk: { cash: b, card: d, other: e },
            tip,
            discount: g,
          }),
        () => commissionEarned({ ...g0, staffId, commission: commissionFor(e % 10_001, a + g, g) }),
        () => feeRetained({ ...g0, reason: "late_cancellation", deposits: a + b, fee: b }),
        () => feeRetained({ ...g0, reason: "no_show", deposits: a + b, fee: a }),
        () => refundDecidedBeforeCompletion({ ...g0, amount: a }),
        () => refundDecidedAfterCompletion({ ...g0, amount: a, revenue: a + b, commission: d }),
        () => refundAccepted({ ...g0, amount: a + b, applicationFeeRefunded: b }),
        () => refundFailed({ ...g0, amount: a + b, applicationFeeRefunded: a }),
        () => disputeOpened({ ...g0, amount: a, fee: b }),
        () => disputeWon({ ...g0, amount: a, feeReturned: b }),
        () => disputeLost({ ...g0, amount: a }),
        () => (a % 2 ? payoutPaid({ ...g0, amount: a }) : payoutFailed({ ...g0, amount: a })),
        () => staffPaid({ ...g0, staffId, commission: a, tips: b, from: d % 2 ? "bank" : "desk:cash" }),
      ];
      return { p: postings[rule]!(), given: g0 };
    });

  it("every posting sums to zero, has no zero-amount line and names only chart accounts", () => {
    fc.assert(
      fc.property(anyPosting, ({ p }) => {
        expect(p.lines.reduce((s, l) => s + l.amount, 0)).toBe(0);
        for (const l of p.lines) {
          expect(l.amount).not.toBe(0);
          expect(Number.isSafeInteger(l.amount)).toBe(true);
          expect(accountTypeOf(l.account)).not.toBeNull();
        }
      }),
      { numRuns: 500 },
    );
  });

  it("every line carries the currency and the booking, staff and service ids it was given", () => {
    fc.assert(
      fc.property(anyPosting, ({ p, given }) => {
        for (const l of p.lines) {
          expect(l.currency).toBe(given.currency);
          expect(l.bookingId).toBe(given.bookingId ?? null);
          expect(l.staffId).toBe(given.staffId ?? null);
          expect(l.serviceId).toBe(given.serviceId ?? null);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a reversal undoes its entry exactly: together they leave every account at zero", () => {
    fc.assert(
      fc.property(anyPosting, ({ p }) => {
        const both = [...p.lines, ...reversalOf(p.lines)];
        checkBalanced(reversalOf(p.lines));
        const per = new Map<string, number>();
        for (const l of both) per.set(l.account, (per.get(l.account) ?? 0) + l.amount);
        for (const v of per.values()) expect(v).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it("completion refuses every price but D + K − T + X", () => {
    fc.assert(
      fc.property(amount, amount, amount, fc.integer({ min: -1000, max: 1000 }), (d, k, x, off) => {
        const run = () =>
          bookingCompleted({ ...base, price: d + k + x + off, deposits: d, desk: { cash: k }, discount: x });
        if (off === 0 || d + k + x + off < 0) return; // a negative price is refused as negative: checked elsewhere
        expect(run).toThrow(/must equal/);
      }),
    );
  });

  it("commission reversal never exceeds the commission, and a full refund reverses all of it", () => {
    fc.assert(
      fc.property(positive, amount, amount, (r, c, x0) => {
        const x = x0 % (r + 1);
        const p = refundDecidedAfterCompletion({ ...base, amount: x, revenue: r, commission: c });
        const reversed = p.lines.find((l) => l.account === "commission_expense")?.amount ?? 0;
        expect(-reversed).toBeLessThanOrEqual(c);
        if (x === r) expect(-reversed).toBe(c);
      }),
    );
  });
});
