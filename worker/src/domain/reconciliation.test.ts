// The reconciliation rules, pure: which kind a difference is, and that a matching transaction is none.
import { describe, expect, it } from "vitest";
import { compareBalances, compareTransaction, dayRange, missingAtStripe } from "./reconciliation.ts";

const txn = { id: "txn_1", type: "charge", source: "ch_1", amount: 1000, fee: 85, net: 915, currency: "EUR" };
const claim = { entryId: "jre_1", net: 915, fee: 85, currency: "EUR" };

describe("compareTransaction", () => {
  it("finds nothing when exactly one entry moves its net with its fee", () => {
    expect(compareTransaction(txn, [claim])).toBeNull();
  });
  it("names each kind", () => {
    expect(compareTransaction(txn, [])).toMatchObject({
      kind: "missing_in_ledger",
      stripeAmount: 915,
      ledgerAmount: null,
    });
    expect(compareTransaction(txn, [{ ...claim, fee: 70, net: 930 }])).toMatchObject({
      kind: "fee_differs",
      ledgerAmount: 70,
      stripeAmount: 85,
    });
    expect(compareTransaction(txn, [{ ...claim, net: 900 }])).toMatchObject({
      kind: "amount_differs",
      ledgerAmount: 900,
      stripeAmount: 915,
    });
    expect(compareTransaction(txn, [claim, { ...claim, entryId: "jre_2" }])).toMatchObject({
      kind: "amount_differs",
      entryId: "jre_1,jre_2",
    });
  });
});

describe("compareBalances", () => {
  it("compares per currency, an absent one as zero", () => {
    expect(compareBalances({ EUR: 915 }, { EUR: 915, USD: 0 })).toEqual([]);
    expect(
      compareBalances({ EUR: 915 }, { EUR: 900, USD: 5 }).map((d) => [d.currency, d.ledgerAmount, d.stripeAmount]),
    ).toEqual([
      ["EUR", 915, 900],
      ["USD", 0, 5],
    ]);
  });
});

it("missingAtStripe and dayRange", () => {
  expect(missingAtStripe({ entryId: "jre_1", balanceTransactionId: "txn_x", net: 5, currency: "EUR" })).toMatchObject({
    kind: "missing_at_stripe",
    stripeAmount: null,
    ledgerAmount: 5,
  });
  expect(dayRange("2027-03-28")).toEqual({
    from: Date.parse("2027-03-28T00:00:00Z") / 1000,
    to: Date.parse("2027-03-29T00:00:00Z") / 1000,
  });
});
