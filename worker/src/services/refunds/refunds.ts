// Refund verbs: the owner's refund of any amount up to what is refundable, the list of a booking's refunds, the retry
// of a failed one, and what a customer's cancellation would refund (before they confirm it).
import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { bookings, refunds } from "../../db/schema/index.ts";
import { AppError, Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { acceptsManageToken } from "../../lib/manage-token.ts";
import type { CancellationQuote, Refund, RefundInput, RefundList } from "../../schemas/refund.ts";
import type { TenantCtx } from "../context.ts";
import { bookingMoney, decideRefund, previewPolicyRefund, queueRefundEffect } from "./decide.ts";

type RefundRow = typeof refunds.$inferSelect;

export function toRefund(r: RefundRow): Refund {
  return {
    id: r.id,
    bookingId: r.bookingId,
    amount: { amount: Number(r.amount), currency: r.currency },
    reason: r.reason,
    origin: r.origin,
    status: r.status,
    attempt: r.attempt,
    stripeRefundId: r.stripeRefundId,
    failureReason: r.failureReason,
    createdAt: r.createdAt.toISOString(),
    settledAt: r.settledAt?.toISOString() ?? null,
  };
}

async function lockBooking(tx: Tx, id: string) {
  const [row] = await tx.select().from(bookings).where(eq(bookings.id, id)).for("update");
  if (!row) throw new NotFound("Booking");
  return row;
}

export class RefundExceedsRefundable extends AppError {
  constructor(refundable: number, currency: string) {
    super("REFUND_EXCEEDS_REFUNDABLE", `At most ${refundable} (minor units of ${currency}) can still be refunded`);
  }
}

/** The owner refunds `amount` (default: everything refundable) of a booking: 422 above paid − refunded − pending. */
export async function createRefund(a: { ctx: TenantCtx; bookingId: string; input: RefundInput }): Promise<Refund> {
  const { ctx, input } = a;
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    // The booking's row lock serialises refunds of one booking: two racing refunds cannot both pass the check.
    const booking = await lockBooking(tx, a.bookingId);
    // In the currency of what was paid: the booking's, unless a mismatched payment brought another.
    const money = await bookingMoney(tx, booking);
    if (input.currency !== undefined && input.currency !== money.currency)
      throw new ValidationFailed(`Refunds are in the currency of the booking's payment, ${money.currency}`, [
        { path: ["currency"], message: `Expected ${money.currency}` },
      ]);
    const refundable = Math.max(0, money.paid - money.refunded);
    const amount = input.amount ?? refundable;
    if (amount < 1 || amount > refundable) throw new RefundExceedsRefundable(refundable, money.currency);
    const row = await decideRefund(tx, {
      tenantId: ctx.tenantId,
      booking,
      money,
      amount,
      reason: input.reason,
      origin: "manual",
      now: ctx.now,
    });
    return toRefund(row);
  });
}

export async function listRefunds(a: { ctx: TenantCtx; bookingId: string }): Promise<RefundList> {
  return a.ctx.db.withTenantTx(a.ctx.tenantId, async (tx) => {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, a.bookingId));
    if (!b) throw new NotFound("Booking");
    const { decision, money } = await previewPolicyRefund(tx, {
      tenantId: a.ctx.tenantId,
      booking: b,
      now: a.ctx.now,
      actor: "customer",
      event: "cancellation",
    });
    const m = (amount: number) => ({ amount, currency: money.currency });
    const rows = await tx
      .select()
      .from(refunds)
      .where(eq(refunds.bookingId, a.bookingId))
      .orderBy(asc(refunds.createdAt), asc(refunds.id));
    return {
      refunds: rows.map(toRefund),
      paid: m(money.paid),
      refundable: m(Math.max(0, money.paid - money.refunded)),
      cancellation: {
        rule: decision.rule,
        refund: m(decision.refund),
        fee: m(decision.fee),
        freeUntil: new Date(decision.freeUntil).toISOString(),
      },
    };
  });
}

/** A failed refund asked of Stripe again, as its next attempt (a new Stripe idempotency key); 409 unless failed. */
export async function retryRefund(a: { ctx: TenantCtx; bookingId: string; refundId: string }): Promise<Refund> {
  const { ctx } = a;
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(refunds)
      .where(and(eq(refunds.id, a.refundId), eq(refunds.bookingId, a.bookingId)))
      .for("update");
    if (!row) throw new NotFound("Refund");
    if (row.status !== "failed") throw new Conflict(`Only a failed refund can be retried (this one is ${row.status})`);
    const attempt = row.attempt + 1;
    const [updated] = await tx
      .update(refunds)
      .set({ status: "pending", attempt, stripeRefundId: null, failureReason: null, updatedAt: ctx.now })
      .where(eq(refunds.id, row.id))
      .returning();
    await queueRefundEffect(tx, ctx.tenantId, row.id, row.bookingId, attempt);
    return toRefund(updated!);
  });
}

/** What cancelling now would refund the customer holding the manage token (nothing is written). */
export async function quoteCancellation(a: {
  ctx: TenantCtx;
  id: string;
  manageToken: string;
}): Promise<CancellationQuote> {
  const { ctx } = a;
  if (!acceptsManageToken(ctx.config, a.id, a.manageToken)) throw new NotFound("Booking");
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [booking] = await tx
      .select()
      .from(bookings)
      .where(and(eq(bookings.id, a.id), eq(bookings.manageTokenHash, await sha256Hex(a.manageToken))));
    if (!booking) throw new NotFound("Booking");
    const { decision, money } = await previewPolicyRefund(tx, {
      tenantId: ctx.tenantId,
      booking,
      now: ctx.now,
      actor: "customer",
      event: "cancellation",
    });
    const lapsed = booking.status === "pending_payment" && (booking.holdExpiresAt?.getTime() ?? 0) <= ctx.now.getTime();
    const cancellable =
      ["pending_payment", "confirmed"].includes(booking.status) && !lapsed && booking.startsAt > ctx.now;
    const m = (amount: number) => ({ amount, currency: money.currency });
    return {
      bookingId: booking.id,
      rule: decision.rule,
      paid: m(money.paid),
      refund: m(cancellable ? decision.refund : 0),
      fee: m(cancellable ? decision.fee : 0),
      freeUntil: new Date(decision.freeUntil).toISOString(),
      cancellable,
    };
  });
}
