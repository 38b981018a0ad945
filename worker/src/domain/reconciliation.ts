// Holding Stripe's balance transactions against the ledger (issue 14 item 5; MONEY.md identity 2), pure: each balance
// transaction must have exactly one entry whose `stripe_balance` lines sum to its net (and whose fee lines —
// `stripe_fees`, `platform_fees`, `dispute_fees` — sum to its fee); no entry may claim a balance transaction Stripe
// does not have; the ledger's `stripe_balance` must equal the account's balance, per currency. What differs is
// reported, never corrected: a difference changes nothing in the ledger.

export type DifferenceKind =
  | "missing_in_ledger"
  | "missing_at_stripe"
  | "amount_differs"
  | "fee_differs"
  | "balance_differs";

export const DIFFERENCE_KINDS: readonly DifferenceKind[] = [
  "missing_in_ledger",
  "missing_at_stripe",
  "amount_differs",
  "fee_differs",
  "balance_differs",
];

/** A balance transaction as Stripe lists it, currency upper-case. */
export interface StripeTxn {
  id: string;
  type: string;
  /** The object it records: `ch_…`, `re_…`, `po_…`, `dp_…`. */
  source: string | null;
  amount: number;
  fee: number;
  net: number;
  currency: string;
}

/** A ledger entry that stands for a balance transaction: its `stripe_balance` lines (net) and fee lines summed. */
export interface LedgerClaim {
  entryId: string;
  net: number;
  fee: number;
  currency: string;
}

export interface Difference {
  kind: DifferenceKind;
  balanceTransactionId: string | null;
  entryId: string | null;
  currency: string;
  /** What the ledger says (null: nothing). */
  ledgerAmount: number | null;
  /** What Stripe says (null: nothing). */
  stripeAmount: number | null;
  detail: string;
}

/** The accounts whose lines hold a balance transaction's fee. */
export const FEE_ACCOUNTS = ["stripe_fees", "platform_fees", "dispute_fees"] as const;

/** One balance transaction against the entries that claim it. */
export function compareTransaction(txn: StripeTxn, claims: readonly LedgerClaim[]): Difference | null {
  const base = { balanceTransactionId: txn.id, currency: txn.currency };
  if (claims.length === 0)
    return {
      ...base,
      kind: "missing_in_ledger",
      entryId: null,
      ledgerAmount: null,
      stripeAmount: txn.net,
      detail: `Stripe's ${txn.type} ${txn.id}${txn.source ? ` (${txn.source})` : ""} of net ${txn.net} has no ledger entry`,
    };
  const net = claims.reduce((sum, c) => sum + c.net, 0);
  const fee = claims.reduce((sum, c) => sum + c.fee, 0);
  const entryId = claims.map((c) => c.entryId).join(",");
  if (claims.length > 1)
    return {
      ...base,
      kind: "amount_differs",
      entryId,
      ledgerAmount: net,
      stripeAmount: txn.net,
      detail: `${claims.length} ledger entries claim ${txn.id} (exactly one must)`,
    };
  if (fee !== txn.fee)
    return {
      ...base,
      kind: "fee_differs",
      entryId,
      ledgerAmount: fee,
      stripeAmount: txn.fee,
      detail: `${txn.id}: the ledger's fee is ${fee}, Stripe's ${txn.fee} (net ${net} against ${txn.net})`,
    };
  if (net !== txn.net)
    return {
      ...base,
      kind: "amount_differs",
      entryId,
      ledgerAmount: net,
      stripeAmount: txn.net,
      detail: `${txn.id}: the ledger's stripe_balance moved ${net}, Stripe's net is ${txn.net}`,
    };
  return null;
}

/** The ledger's `stripe_balance` against the account's balance, per currency (absent: zero). */
export function compareBalances(ledger: Record<string, number>, stripe: Record<string, number>): Difference[] {
  const currencies = [...new Set([...Object.keys(ledger), ...Object.keys(stripe)])].sort();
  const out: Difference[] = [];
  for (const currency of currencies) {
    const l = ledger[currency] ?? 0;
    const s = stripe[currency] ?? 0;
    if (l !== s)
      out.push({
        kind: "balance_differs",
        balanceTransactionId: null,
        entryId: null,
        currency,
        ledgerAmount: l,
        stripeAmount: s,
        detail: `stripe_balance in the ledger is ${l} ${currency}, the Stripe account's balance ${s}`,
      });
  }
  return out;
}

/** An entry that names a balance transaction Stripe does not have. */
export function missingAtStripe(entry: {
  entryId: string;
  balanceTransactionId: string;
  net: number;
  currency: string;
}) {
  return {
    kind: "missing_at_stripe",
    balanceTransactionId: entry.balanceTransactionId,
    entryId: entry.entryId,
    currency: entry.currency,
    ledgerAmount: entry.net,
    stripeAmount: null,
    detail: `ledger entry ${entry.entryId} claims ${entry.balanceTransactionId}, which Stripe does not have`,
  } satisfies Difference;
}

/** The UTC day `YYYY-MM-DD` as [start, end) in unix seconds. */
export function dayRange(day: string): { from: number; to: number } {
  const from = Date.parse(`${day}T00:00:00Z`) / 1000;
  return { from, to: from + 86_400 };
}

/** The UTC day of an instant. */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);
