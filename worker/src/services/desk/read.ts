// What a booking's completion recorded, and what the desk should collect before it: read by the completion verb
// (a replay answers from here) and by GET /v1/admin/bookings/{id}/completion.
import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { bookingCompletions, bookings, deskPayments, journalLines } from "../../db/schema/index.ts";
import { DESK_METHODS } from "../../domain/ledger.ts";
import { staffScopeOf } from "../../domain/permissions.ts";
import { NotFound } from "../../errors.ts";
import type { Completion, CompletionQuote } from "../../schemas/completion.ts";
import type { TenantCtx } from "../context.ts";

/**
 * What the booking's `customer_deposits` holds in the ledger: deposits paid, less refunds decided and fees kept
 * before completion. The completion moves exactly this to revenue, so the account is left at zero for the booking.
 */
export async function depositsHeld(tx: Tx, bookingId: string): Promise<number> {
  const [row] = await tx
    .select({ sum: sql<string | null>`sum(${journalLines.amount})` })
    .from(journalLines)
    .where(and(eq(journalLines.bookingId, bookingId), eq(journalLines.account, "customer_deposits")));
  return -Number(row?.sum ?? 0);
}

/** The completion recorded for a booking, as the API shows it, with the hash of the request that made it. */
export async function loadCompletion(
  tx: Tx,
  bookingId: string,
): Promise<{ requestHash: string; view: Completion } | null> {
  const [c] = await tx.select().from(bookingCompletions).where(eq(bookingCompletions.bookingId, bookingId));
  if (!c) return null;
  const rows = await tx
    .select({ method: deskPayments.method, amount: deskPayments.amount })
    .from(deskPayments)
    .where(eq(deskPayments.bookingId, bookingId));
  const payments = DESK_METHODS.map((method) => ({
    method,
    amount: rows.filter((r) => r.method === method).reduce((sum, r) => sum + Number(r.amount), 0),
  })).filter((p) => p.amount > 0);
  return {
    requestHash: c.requestHash,
    view: {
      currency: c.currency,
      price: Number(c.price),
      deposits: Number(c.deposits),
      discount: Number(c.discount),
      payments,
      tip: c.tipStaffId ? { amount: Number(c.tip), staffId: c.tipStaffId } : null,
      balanceDue: Number(c.balanceDue),
      revenue: Number(c.revenue),
      commission: Number(c.commission),
      completedAt: c.completedAt.toISOString(),
    },
  };
}

/** Before completion, what the desk should collect (price − deposits held); after, the completion recorded. */
export async function getCompletionQuote({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<CompletionQuote> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const scope = staffScopeOf(ctx.actor);
    const [row] = await tx
      .select()
      .from(bookings)
      .where(and(eq(bookings.id, id), ...(scope ? [eq(bookings.staffId, scope)] : [])));
    if (!row) throw new NotFound("Booking");
    const done = row.status === "completed" ? await loadCompletion(tx, id) : null;
    const price = Number(row.priceAmount);
    const deposits = done ? done.view.deposits : await depositsHeld(tx, id);
    return {
      status: row.status === "completed" ? "completed" : "open",
      currency: row.currency,
      price,
      deposits,
      due: Math.max(price - deposits, 0),
      completion: done?.view ?? null,
    };
  });
}
