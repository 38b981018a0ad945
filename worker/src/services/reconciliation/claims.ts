// Which ledger entries stand for which Stripe balance transactions: an entry sourced `stripe_balance_transaction:<id>`
// (deposits, disputes, payouts), or, for a refund's transactions, the `refund_accepted` / `refund_failed` entries of
// the Bookra refund Stripe's refund (`re_…`, the transaction's source) is recorded as. Sums of the entry's
// `stripe_balance` lines (its net) and fee lines, and the booking its lines concern.
import { sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "../../db/client.ts";
import { FEE_ACCOUNTS, type LedgerClaim, type StripeTxn } from "../../domain/reconciliation.ts";

export interface Claim extends LedgerClaim {
  bookingId: string | null;
}

export function stripeTxnOf(t: Stripe.BalanceTransaction): StripeTxn {
  return {
    id: t.id,
    type: t.type,
    source: typeof t.source === "string" ? t.source : (t.source?.id ?? null),
    amount: t.amount,
    fee: t.fee,
    net: t.net,
    currency: t.currency.toUpperCase(),
  };
}

const asJson = (values: readonly string[]) =>
  sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

const REFUND_TYPES: Record<string, string> = { refund: "refund_accepted", refund_failure: "refund_failed" };

/** The entries claiming each balance transaction (an empty list: none). */
export async function claimsOf(tx: Tx, txns: readonly StripeTxn[]): Promise<Map<string, Claim[]>> {
  const out = new Map<string, Claim[]>(txns.map((t) => [t.id, []]));
  if (txns.length === 0) return out;
  const refundTxns = txns.filter((t) => t.type in REFUND_TYPES && t.source);
  const refundRows = refundTxns.length
    ? (
        await tx.execute<{ id: string; stripe_refund_id: string }>(sql`SELECT id, stripe_refund_id FROM refunds
          WHERE stripe_refund_id = ANY(${asJson(refundTxns.map((t) => t.source!))})`)
      ).rows
    : [];
  const refundOf = new Map(refundRows.map((r) => [r.stripe_refund_id, r.id]));
  const rows = (
    await tx.execute<{
      id: string;
      source_type: string;
      source_id: string;
      net: string;
      fee: string;
      currency: string;
      booking_id: string | null;
    }>(sql`SELECT e.id, e.source_type, e.source_id,
        coalesce(sum(l.amount) FILTER (WHERE l.account = 'stripe_balance'), 0)::text AS net,
        coalesce(sum(l.amount) FILTER (WHERE l.account = ANY(${asJson(FEE_ACCOUNTS)})), 0)::text AS fee,
        min(l.currency) AS currency, min(l.booking_id) AS booking_id
      FROM journal_entries e JOIN journal_lines l ON l.tenant_id = e.tenant_id AND l.entry_id = e.id
      WHERE (e.source_type = 'stripe_balance_transaction' AND e.source_id = ANY(${asJson(txns.map((t) => t.id))}))
         OR (e.source_type IN ('refund_accepted', 'refund_failed')
             AND split_part(e.source_id, ':', 1) = ANY(${asJson([...refundOf.values()])}))
      GROUP BY e.id, e.source_type, e.source_id`)
  ).rows;
  const byTxn = new Map<string, string>();
  for (const t of refundTxns) {
    const refundId = refundOf.get(t.source!);
    if (refundId) byTxn.set(`${REFUND_TYPES[t.type]}:${refundId}`, t.id);
  }
  for (const r of rows) {
    const txnId =
      r.source_type === "stripe_balance_transaction"
        ? r.source_id
        : byTxn.get(`${r.source_type}:${r.source_id.split(":")[0]}`);
    if (!txnId) continue;
    out.get(txnId)?.push({
      entryId: r.id,
      net: Number(r.net),
      fee: Number(r.fee),
      currency: r.currency.trim(),
      bookingId: r.booking_id,
    });
  }
  return out;
}
