// Reconciliation with Stripe (issue 14 item 5): a tenant's UTC day of balance transactions, fetched from its connected
// account (all pages), held against the ledger (domain/reconciliation.ts), and the account's balance against the
// ledger's `stripe_balance`. The run and its differences are stored (one transaction); nothing is posted.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Database, Tx } from "../../db/client.ts";
import { reconciliationDifferences, reconciliationRuns, tenants } from "../../db/schema/index.ts";
import {
  compareBalances,
  compareTransaction,
  type Difference,
  dayRange,
  missingAtStripe,
} from "../../domain/reconciliation.ts";
import { AppError, NotFound, ValidationFailed } from "../../errors.ts";
import { newId } from "../../lib/ids.ts";
import { type PaymentsProvider, PaymentsUnavailable, paymentsProviderFor } from "../../providers/stripe.ts";
import type {
  ReconciliationRun,
  ReconciliationRunDetail,
  ReconciliationRunList,
} from "../../schemas/reconciliation.ts";
import type { TenantCtx } from "../context.ts";
import { beforeKeyset, cursorAt, decodeKeyset, encodeCursor } from "../staff/keyset.ts";
import { claimsOf, earlierAttempts, stripeTxnOf } from "./claims.ts";

type RunRow = typeof reconciliationRuns.$inferSelect;

export const runOf = (r: RunRow): ReconciliationRun => ({
  id: r.id,
  day: r.day,
  trigger: r.trigger,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt.toISOString(),
  transactions: r.transactions,
  differences: r.differences,
  clean: r.differences === 0,
});

export async function stripeAccountOf(db: Database, tenantId: string): Promise<string | null> {
  const [row] = await db.withTenantTx(tenantId, (tx) =>
    tx.select({ account: tenants.stripeAccountId }).from(tenants).where(eq(tenants.id, tenantId)),
  );
  return row?.account ?? null;
}

/** Stripe's 404 for an object: the balance transaction does not exist there. */
function isMissing(err: unknown): boolean {
  const cause = err instanceof PaymentsUnavailable ? err.cause : err;
  return (cause as { statusCode?: number }).statusCode === 404;
}

/** Entries of the day that name a balance transaction Stripe did not list for that day. */
async function unlistedClaims(tx: Tx, from: Date, to: Date, listed: Set<string>) {
  const rows = (
    await tx.execute<{ id: string; source_id: string; net: string; currency: string }>(sql`SELECT e.id, e.source_id,
        coalesce(sum(l.amount) FILTER (WHERE l.account = 'stripe_balance'), 0)::text AS net, min(l.currency) AS currency
      FROM journal_entries e JOIN journal_lines l ON l.tenant_id = e.tenant_id AND l.entry_id = e.id
      WHERE e.source_type = 'stripe_balance_transaction'
        AND e.occurred_at >= ${from.toISOString()} AND e.occurred_at < ${to.toISOString()}
      GROUP BY e.id, e.source_id`)
  ).rows;
  return rows
    .filter((r) => !listed.has(r.source_id))
    .map((r) => ({
      entryId: r.id,
      balanceTransactionId: r.source_id,
      net: Number(r.net),
      currency: r.currency.trim(),
    }));
}

async function ledgerStripeBalance(tx: Tx): Promise<Record<string, number>> {
  const rows = (
    await tx.execute<{ currency: string; sum: string }>(sql`SELECT currency, sum(amount)::text AS sum
      FROM journal_lines WHERE account = 'stripe_balance' GROUP BY currency`)
  ).rows;
  return Object.fromEntries(rows.map((r) => [r.currency.trim(), Number(r.sum)]));
}

/**
 * Reconciles one tenant's UTC `day`: Stripe is asked first (the day's balance transactions, the balance, and any
 * transaction an entry of the day names that Stripe did not list), then one transaction compares and stores.
 */
export async function reconcileDay(a: {
  db: Database;
  tenantId: string;
  provider: PaymentsProvider;
  account: string;
  day: string;
  trigger: "manual" | "scheduled";
  now: Date;
}): Promise<ReconciliationRunDetail | null> {
  const { from, to } = dayRange(a.day);
  const [listed, stripeBalance] = await Promise.all([
    a.provider.listBalanceTransactions(a.account, { createdFrom: from, createdTo: to }),
    a.provider.retrieveBalance(a.account),
  ]);
  const txns = listed.map(stripeTxnOf);
  const ids = new Set(txns.map((t) => t.id));
  const fromDate = new Date(from * 1000);
  const toDate = new Date(to * 1000);
  // Entries dated this day naming a transaction Stripe listed for another day (or not at all): asked one by one.
  const candidates = await a.db.withTenantTx(a.tenantId, (tx) => unlistedClaims(tx, fromDate, toDate, ids));
  const missing = new Set<string>();
  for (const c of candidates) {
    try {
      await a.provider.retrieveBalanceTransactionById(a.account, c.balanceTransactionId);
    } catch (err) {
      if (!isMissing(err)) throw err;
      missing.add(c.balanceTransactionId);
    }
  }
  const earlier = await earlierAttempts(a.db, a.tenantId, a.provider, a.account, txns);
  return a.db.withTenantTx(a.tenantId, async (tx) => {
    if (a.trigger === "scheduled") {
      const [done] = await tx
        .select({ id: reconciliationRuns.id })
        .from(reconciliationRuns)
        .where(and(eq(reconciliationRuns.day, a.day), eq(reconciliationRuns.trigger, "scheduled")));
      if (done) return null;
    }
    const claims = await claimsOf(tx, txns, earlier);
    const differences: Difference[] = [];
    for (const t of txns) {
      const d = compareTransaction(t, claims.get(t.id) ?? []);
      if (d) differences.push(d);
    }
    for (const c of await unlistedClaims(tx, fromDate, toDate, ids))
      if (missing.has(c.balanceTransactionId)) differences.push(missingAtStripe(c));
    differences.push(...compareBalances(await ledgerStripeBalance(tx), stripeBalance));
    const [run] = await tx
      .insert(reconciliationRuns)
      .values({
        id: newId("rcn"),
        tenantId: a.tenantId,
        day: a.day,
        trigger: a.trigger,
        startedAt: a.now,
        finishedAt: a.now,
        transactions: txns.length,
        differences: differences.length,
      })
      .returning();
    if (differences.length)
      await tx
        .insert(reconciliationDifferences)
        .values(differences.map((d) => ({ ...d, tenantId: a.tenantId, runId: run!.id })));
    return { ...runOf(run!), differenceList: differences };
  });
}

/** POST /v1/admin/reconciliation/runs: the business's day (default: today, UTC) now. */
export async function runReconciliation({
  ctx,
  day,
}: {
  ctx: TenantCtx;
  day?: string | undefined;
}): Promise<ReconciliationRunDetail> {
  const provider = paymentsProviderFor(ctx.config.stripe);
  const account = await stripeAccountOf(ctx.db, ctx.tenantId);
  if (!provider || !account)
    throw new AppError("PAYMENTS_NOT_READY", "There is no Stripe account to reconcile with: connect Stripe first");
  const target = day ?? ctx.now.toISOString().slice(0, 10);
  if (Date.parse(`${target}T00:00:00Z`) > ctx.now.getTime())
    throw new ValidationFailed("day cannot be in the future", [{ path: ["day"], message: "In the future" }]);
  const run = await reconcileDay({
    db: ctx.db,
    tenantId: ctx.tenantId,
    provider,
    account,
    day: target,
    trigger: "manual",
    now: ctx.now,
  });
  return run!;
}

/** GET /v1/admin/reconciliation: runs, newest first, with their counts. */
export async function listReconciliationRuns({
  ctx,
  limit,
  cursor,
}: {
  ctx: TenantCtx;
  limit: number;
  cursor?: string | undefined;
}): Promise<ReconciliationRunList> {
  const keyset = decodeKeyset(cursor);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const rows = await tx
      .select({ run: reconciliationRuns, cursorAt: cursorAt(reconciliationRuns.startedAt) })
      .from(reconciliationRuns)
      .where(beforeKeyset(reconciliationRuns.startedAt, reconciliationRuns.id, keyset))
      .orderBy(desc(reconciliationRuns.startedAt), desc(reconciliationRuns.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => runOf(r.run)),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.cursorAt, id: last.run.id }) : null,
    };
  });
}

/** GET /v1/admin/reconciliation/runs/{id}: one run with every difference it found. */
export async function getReconciliationRun({
  ctx,
  id,
}: {
  ctx: TenantCtx;
  id: string;
}): Promise<ReconciliationRunDetail> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [run] = await tx.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, id));
    if (!run) throw new NotFound("Reconciliation run");
    const diffs = await tx
      .select()
      .from(reconciliationDifferences)
      .where(eq(reconciliationDifferences.runId, id))
      .orderBy(asc(reconciliationDifferences.id));
    return {
      ...runOf(run),
      differenceList: diffs.map((d) => ({
        kind: d.kind,
        balanceTransactionId: d.balanceTransactionId,
        entryId: d.entryId,
        currency: d.currency.trim(),
        ledgerAmount: d.ledgerAmount,
        stripeAmount: d.stripeAmount,
        detail: d.detail,
      })),
    };
  });
}
