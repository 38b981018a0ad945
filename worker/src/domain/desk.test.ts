// settleAtDesk: table cases for each refusal, and properties — whenever it accepts, the completion posting balances
// with revenue = price − balance due, and what was paid for the service plus the tip is exactly the payments.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import "../../../test/helpers/fast-check-seed.ts";
import { AppError } from "../errors.ts";
import { settleAtDesk } from "./desk.ts";
import { bookingCompleted, DESK_METHODS } from "./ledger.ts";

const base = {
  price: 5000,
  deposits: 1000,
  payments: [],
  tip: 0,
  discount: 0,
  acceptBalanceDue: false,
  commissionBps: 2500,
};
const codeOf = (f: () => unknown) => {
  try {
    f();
    return "ok";
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
};

describe("settleAtDesk", () => {
  it("settles exactly the balance due plus the tip", () => {
    const s = settleAtDesk({
      ...base,
      payments: [
        { method: "cash", amount: 3000 },
        { method: "cash", amount: 1300 },
      ],
      tip: 300,
    });
    expect(s).toMatchObject({ due: 4000, paid: 4300, balanceDue: 0, revenue: 5000, commission: 1250 });
    expect(s.desk).toEqual({ cash: 4300, card: 0, other: 0 });
  });

  it.each([
    ["overpaid without a tip", { payments: [{ method: "card", amount: 4001 }] }, "DESK_OVERPAID"],
    ["short, unmarked", { payments: [{ method: "card", amount: 3999 }] }, "BALANCE_DUE"],
    ["short, marked", { payments: [{ method: "card", amount: 3999 }], acceptBalanceDue: true }, "ok"],
    [
      "a tip not paid",
      { payments: [{ method: "card", amount: 50 }], tip: 100, acceptBalanceDue: true },
      "TIP_EXCEEDS_PAYMENTS",
    ],
    ["a discount above what is left", { discount: 4001, acceptBalanceDue: true }, "DISCOUNT_EXCEEDS_BALANCE"],
    ["deposits above the price", { deposits: 5001, acceptBalanceDue: true }, "DEPOSITS_EXCEED_PRICE"],
  ] as const)("%s → %s", (_, over, code) => {
    expect(codeOf(() => settleAtDesk({ ...base, ...over }))).toBe(code);
  });

  it("accepted settlements post a balanced completion whose revenue is price − balance due", () => {
    const amount = fc.integer({ min: 0, max: 20_000 });
    fc.assert(
      fc.property(
        amount,
        amount,
        fc.array(fc.record({ method: fc.constantFrom(...DESK_METHODS), amount: fc.integer({ min: 1, max: 20_000 }) }), {
          maxLength: 4,
        }),
        amount,
        amount,
        fc.boolean(),
        (price, deposits, payments, tip, discount, acceptBalanceDue) => {
          const input = { price, deposits, payments, tip, discount, acceptBalanceDue, commissionBps: 3000 };
          let s: ReturnType<typeof settleAtDesk>;
          try {
            s = settleAtDesk(input);
          } catch (e) {
            expect(e).toBeInstanceOf(AppError);
            return;
          }
          expect(s.paid).toBe(payments.reduce((sum, p) => sum + p.amount, 0));
          expect(s.paid - s.tip + s.balanceDue).toBe(price - deposits - discount);
          expect(s.revenue).toBe(price - s.balanceDue);
          if (!acceptBalanceDue) expect(s.balanceDue).toBe(0);
          const posting = bookingCompleted({
            currency: "EUR",
            staffId: "stf_a",
            price: s.revenue,
            deposits,
            desk: s.desk,
            tip: s.tip,
            discount: s.discount,
          });
          expect(posting.lines.reduce((sum, l) => sum + l.amount, 0)).toBe(0);
        },
      ),
    );
  });
});
