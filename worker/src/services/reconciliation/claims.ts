// Which ledger entries stand for which Stripe balance transactions: an entry sourced `stripe_balance_transaction:<id>`
// (deposits, disputes, payouts), or, for a refund's transactions, the `refund_accepted` / `refund_failed` entries of
// the Bookra refund Stripe's refund (`re_…`, the transaction's source) is recorded as. Sums of the entry's
// `stripe_balance` lines (its net) and fee lines, and the booking its lines concern.
import { sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Database, Tx } from "../../db/client.ts";
import { FEE_ACCOUNTS, type LedgerClaim, type StripeTxn } from "../../domain/reconciliation.ts";
import type { PaymentsProvider } from "../../providers/stripe.ts";

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

/** Stripe refunds (`re_…`) Bookra no longer keeps the id of, resolved by their metadata: an earlier attempt's. */
export type EarlierAttempts = Map<string, string>;

/** Refund transactions whose Stripe refund is not the current attempt of any Bookra refund. */
export async function unknownRefunds(tx: Tx, txns: readonly StripeTxn[]): Promise<string[]> {
  const sources = [...new Set(txns.filter((t) => t.type in REFUND_TYPES && t.source).map((t) => t.source!))];
  if (sources.length === 0) return [];
  const known = (
    await tx.execute<{ stripe_refund_id: string }>(sql`SELECT stripe_refund_id FROM refunds
      WHERE stripe_refund_id = ANY(${asJson(sources)})`)
  ).rows.map((r) => r.stripe_refund_id);
  return sources.filter((s) => !known.includes(s));
}

/**
 * The entries claiming each balance transaction (an empty list: none). A refund's transactions are claimed by the
 * `refund_accepted` / `refund_failed` entry of its attempt: the current attempt's when the Stripe refund is the one
 * the Bookra refund keeps; for an earlier attempt's (`earlier`: Stripe refund → Bookra refund, from its metadata),
 * the earlier attempts' entries in order, the k-th such Stripe refund of the day (by created) taking the k-th.
 */
export async function claimsOf(
  tx: Tx,
  txns: readonly StripeTxn[],
  earlier: EarlierAttempts = new Map(),
): Promise<Map<string, Claim[]>> {
  const out = new Map<string, Claim[]>(txns.map((t) => [t.id, []]));
  if (txns.length === 0) return out;
  const refundTxns = txns.filter((t) => t.type in REFUND_TYPES && t.source);
  const refundRows = refundTxns.length
    ? (
        await tx.execute<{ id: string; stripe_refund_id: string | null; attempt: number }>(sql`SELECT id,
          stripe_refund_id, attempt FROM refunds
          WHERE stripe_refund_id = ANY(${asJson(refundTxns.map((t) => t.source!))})
             OR id = ANY(${asJson([...earlier.values()])})`)
      ).rows
    : [];
  const current = new Map(refundRows.filter((r) => r.stripe_refund_id).map((r) => [r.stripe_refund_id!, r]));
  const attemptOf = new Map(refundRows.map((r) => [r.id, Number(r.attempt)]));
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
             AND split_part(e.source_id, ':', 1) = ANY(${asJson([...attemptOf.keys()])}))
      GROUP BY e.id, e.source_type, e.source_id`)
  ).rows;
  const claimOf = (r: (typeof rows)[number]): Claim => ({
    entryId: r.id,
    net: Number(r.net),
    fee: Number(r.fee),
    currency: r.currency.trim(),
    bookingId: r.booking_id,
  });
  // `refund_accepted:rfd_…:<attempt>` → the entry
  const refundEntries = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    if (r.source_type === "stripe_balance_transaction") out.get(r.source_id)?.push(claimOf(r));
    else refundEntries.set(`${r.source_type}:${r.source_id}`, r);
  }
  // earlier attempts of each Bookra refund, oldest first, per entry kind
  const earlierTaken = new Map<string, number>();
  for (const t of [...refundTxns].reverse()) {
    // (Stripe lists newest first: oldest first here, so the k-th earlier Stripe refund takes the k-th earlier attempt)
    const kind = REFUND_TYPES[t.type]!;
    const row = current.get(t.source!);
    let entry: (typeof rows)[number] | undefined;
    if (row) entry = refundEntries.get(`${kind}:${row.id}:${row.attempt}`);
    else {
      const refundId = earlier.get(t.source!);
      const latest = refundId ? attemptOf.get(refundId) : undefined;
      if (!refundId || latest === undefined) continue;
      const candidates = [...refundEntries.entries()]
        .filter(([key]) => key.startsWith(`${kind}:${refundId}:`) && Number(key.split(":")[2]) < latest)
        .sort(([a], [b]) => Number(a.split(":")[2]) - Number(b.split(":")[2]));
      const slot = `${kind}:${refundId}`;
      const k = earlierTaken.get(slot) ?? 0;
      earlierTaken.set(slot, k + 1);
      entry = candidates[k]?.[1];
    }
    if (entry) out.get(t.id)?.push(claimOf(entry));
  }
  return out;
}

/** Resolves the unknown Stripe refunds of `txns` by their metadata (`bookra_refund_id`); one request each (rare). */
export async function earlierAttempts(
  db: Database,
  tenantId: string,
  provider: PaymentsProvider,
  account: string,
  txns: readonly StripeTxn[],
): Promise<EarlierAttempts> {
  const unknown = await db.withTenantTx(tenantId, (tx) => unknownRefunds(tx, txns));
  const out: EarlierAttempts = new Map();
  for (const id of unknown) {
    const ours = (await provider.retrieveRefund(account, id)).metadata?.bookra_refund_id;
    if (typeof ours === "string" && ours.startsWith("rfd_")) out.set(id, ours);
  }
  return out;
}
