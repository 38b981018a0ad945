// Payouts (issue 14 item 3): those Stripe reported (stored by the payout.* events), and what is in one — the
// payout's balance transactions on the connected account, each matched to the ledger entry that records it and the
// appointment that entry concerns.
import { and, desc, eq, inArray } from "drizzle-orm";
import { bookings, customers, payouts } from "../../db/schema/index.ts";
import { AppError, NotFound } from "../../errors.ts";
import { paymentsProviderFor } from "../../providers/stripe.ts";
import type { Payout, PayoutDetail, PayoutList } from "../../schemas/reconciliation.ts";
import type { TenantCtx } from "../context.ts";
import { beforeKeyset, cursorAt, decodeKeyset, encodeCursor } from "../staff/keyset.ts";
import { claimsOf, earlierAttempts, stripeTxnOf } from "./claims.ts";
import { stripeAccountOf } from "./reconcile.ts";

type PayoutRow = typeof payouts.$inferSelect;

const payoutOf = (p: PayoutRow): Payout => ({
  id: p.id,
  amount: p.amount,
  currency: p.currency.trim(),
  status: p.status,
  createdAt: p.createdAt.toISOString(),
  arrivalDate: p.arrivalDate?.toISOString() ?? null,
  failureCode: p.failureCode,
});

/** GET /v1/admin/payouts: newest first. */
export async function listPayouts({
  ctx,
  limit,
  cursor,
}: {
  ctx: TenantCtx;
  limit: number;
  cursor?: string | undefined;
}): Promise<PayoutList> {
  const keyset = decodeKeyset(cursor);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const rows = await tx
      .select({ payout: payouts, cursorAt: cursorAt(payouts.createdAt) })
      .from(payouts)
      .where(beforeKeyset(payouts.createdAt, payouts.id, keyset))
      .orderBy(desc(payouts.createdAt), desc(payouts.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => payoutOf(r.payout)),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.cursorAt, id: last.payout.id }) : null,
    };
  });
}

/** GET /v1/admin/payouts/{id}: which appointments are in this bank deposit. */
export async function getPayout({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<PayoutDetail> {
  const [row] = await ctx.db.withTenantTx(ctx.tenantId, (tx) => tx.select().from(payouts).where(eq(payouts.id, id)));
  if (!row) throw new NotFound("Payout");
  const provider = paymentsProviderFor(ctx.config.stripe);
  const account = await stripeAccountOf(ctx.db, ctx.tenantId);
  if (!provider || !account) throw new AppError("PAYMENTS_NOT_READY", "Stripe is not configured: connect Stripe first");
  const txns = (await provider.listBalanceTransactions(account, { payout: id })).map(stripeTxnOf);
  const earlier = await earlierAttempts(ctx.db, ctx.tenantId, provider, account, txns);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const claims = await claimsOf(tx, txns, earlier);
    const transactions = txns.map((t) => {
      const claim = claims.get(t.id)?.[0];
      return { ...t, entryId: claim?.entryId ?? null, bookingId: claim?.bookingId ?? null };
    });
    const netOf = new Map<string, number>();
    for (const t of transactions) if (t.bookingId) netOf.set(t.bookingId, (netOf.get(t.bookingId) ?? 0) + t.net);
    const ids = [...netOf.keys()];
    const found = ids.length
      ? await tx
          .select({
            id: bookings.id,
            startsAt: bookings.startsAt,
            status: bookings.status,
            customerName: customers.name,
          })
          .from(bookings)
          .leftJoin(customers, and(eq(customers.tenantId, bookings.tenantId), eq(customers.id, bookings.customerId)))
          .where(inArray(bookings.id, ids))
          .orderBy(bookings.startsAt, bookings.id)
      : [];
    return {
      ...payoutOf(row),
      transactions,
      bookings: found.map((b) => ({
        id: b.id,
        startsAt: b.startsAt.toISOString(),
        status: b.status,
        customerName: b.customerName,
        net: netOf.get(b.id) ?? 0,
      })),
    };
  });
}
