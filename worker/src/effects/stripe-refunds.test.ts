// The application fee a Stripe refund returned, read from its (expanded) balance transaction: what the ledger's
// "refund accepted" entry credits back to platform_fees (without it the ledger's stripe_balance drifts from Stripe's).
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { applicationFeeRefunded } from "./stripe-refunds.ts";

const refund = (balance: Stripe.Refund["balance_transaction"]) => ({ balance_transaction: balance }) as Stripe.Refund;
const txn = (fees: { type: string; amount: number }[]) =>
  ({ fee_details: fees.map((f) => ({ ...f, currency: "gbp", application: null, description: null })) }) as never;

describe("applicationFeeRefunded", () => {
  it("is the negated application_fee detail of the refund's balance transaction", () => {
    expect(applicationFeeRefunded(refund(txn([{ type: "application_fee", amount: -180 }])))).toBe(180);
    expect(
      applicationFeeRefunded(
        refund(
          txn([
            { type: "application_fee", amount: -90 },
            { type: "stripe_fee", amount: 0 },
          ]),
        ),
      ),
    ).toBe(90);
  });

  it("is 0 when nothing was returned and unknown without the expanded balance transaction", () => {
    expect(Object.is(applicationFeeRefunded(refund(txn([]))), 0)).toBe(true);
    expect(applicationFeeRefunded(refund("txn_123"))).toBeUndefined();
    expect(applicationFeeRefunded(refund(null))).toBeUndefined();
  });
});
