// Applies a verified Stripe event (the route checked its signature with the `stripe` package). Events are routed to a
// tenant by `event.account` — the connected account that tenant owns — never by metadata; each event id applies once
// per tenant. A paid checkout confirms its held booking when it paid exactly the deposit in the booking's currency;
// any other amount or currency leaves the booking unconfirmed and flagged (`payment_flag = amount_mismatch`).
// account.updated keeps the tenant's connection state current; refund.created/updated/failed settle Bookra's refunds.
import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Database, Tx } from "../../db/client.ts";
import { bookings } from "../../db/schema/index.ts";
import { depositPaid } from "../../domain/ledger.ts";
import { AppError, isSlotConflict } from "../../errors.ts";
import { newId } from "../../lib/ids.ts";
import { accountState, type PaymentsProvider, PaymentsUnavailable } from "../../providers/stripe.ts";
import { iso } from "../bookings/availability.ts";
import { writeOutbox } from "../bookings/outbox-rows.ts";
import { postEntry } from "../ledger/post.ts";
import { applyRefundOutcome, refundStatusOf } from "../refunds/outcome.ts";
import { storeAccountState } from "./connect.ts";

export type ApplyResult = "applied" | "duplicate" | "ignored" | "flagged";

const BOOKING = /^bkg_[0-9a-z]{20}$/;

export async function applyStripeEvent({
  db,
  event,
  now,
  provider,
}: {
  db: Database;
  event: Stripe.Event;
  now: Date;
  /** Asked, before the transaction, for a paid checkout's balance transaction (its fees, for the ledger). */
  provider?: PaymentsProvider | undefined;
}): Promise<ApplyResult> {
  if (!event.account) return "ignored";
  const tenantId = await db.tenantIdForStripeAccount(event.account);
  if (!tenantId) return "ignored";
  const balance = await paidBalanceTransaction(event, provider);
  return db.withTenantTx(tenantId, async (tx) => {
    const fresh = await tx.execute(sql`INSERT INTO payment_events (tenant_id, event_id, event_type)
      VALUES (${tenantId}, ${event.id}, ${event.type}) ON CONFLICT DO NOTHING RETURNING 1`);
    if (fresh.rows.length === 0) return "duplicate";
    switch (event.type) {
      case "account.updated":
        await storeAccountState(tx, tenantId, accountState(event.data.object));
        return "applied";
      case "checkout.session.completed":
      case "checkout.session.async_payment_succeeded":
        return checkoutPaid(tx, tenantId, event.data.object, now, balance);
      case "refund.created":
      case "refund.updated":
      case "refund.failed":
        return refundChanged(tx, tenantId, event.data.object, new Date(event.created * 1000));
      default:
        return "ignored";
    }
  });
}

/**
 * The balance transaction of a paid checkout's charge: what Stripe actually credited, with its fees. Asked outside the
 * tenant transaction; if Stripe cannot answer, the event is refused (409) and Stripe delivers it again later.
 */
async function paidBalanceTransaction(
  event: Stripe.Event,
  provider: PaymentsProvider | undefined,
): Promise<Stripe.BalanceTransaction | null> {
  if (event.type !== "checkout.session.completed" && event.type !== "checkout.session.async_payment_succeeded")
    return null;
  const session = event.data.object;
  if (session.payment_status !== "paid" || typeof session.payment_intent !== "string" || !provider || !event.account)
    return null;
  try {
    const charge = await provider.chargeOfPaymentIntent(event.account, session.payment_intent);
    return charge ? await provider.retrieveBalanceTransaction(event.account, charge) : null;
  } catch (cause) {
    // Stripe answered that there is no such payment: nothing to post (the event itself was signed and is applied).
    const stripeError = cause instanceof PaymentsUnavailable ? cause.cause : cause;
    if ((stripeError as { statusCode?: number }).statusCode === 404) return null;
    console.error("Stripe balance transaction unavailable", cause);
    throw new AppError("PAYMENTS_NOT_READY", "Stripe did not answer for the payment's balance transaction; retry");
  }
}

/** Fees of a balance transaction by kind: Stripe's own and the platform's application fee. */
function feesOf(txn: Stripe.BalanceTransaction): { stripeFee: number; platformFee: number } {
  let stripeFee = 0;
  let platformFee = 0;
  for (const f of txn.fee_details) {
    if (f.type === "application_fee") platformFee += f.amount;
    else stripeFee += f.amount;
  }
  return { stripeFee, platformFee };
}

async function checkoutPaid(
  tx: Tx,
  tenantId: string,
  session: Stripe.Checkout.Session,
  now: Date,
  balance: Stripe.BalanceTransaction | null,
): Promise<ApplyResult> {
  if (session.payment_status !== "paid") return "ignored";
  // The booking is the one whose stored session this is; the session's own reference is only a fallback for a
  // session created before its id was stored (same tenant either way: RLS scopes the look-up).
  let [booking] = await tx.select().from(bookings).where(eq(bookings.checkoutSessionId, session.id)).for("update");
  const ref = session.client_reference_id;
  if (!booking && ref && BOOKING.test(ref))
    [booking] = await tx.select().from(bookings).where(eq(bookings.id, ref)).for("update");
  if (!booking) return "ignored";
  const amount = session.amount_total ?? 0;
  const currency = (session.currency ?? "").toUpperCase();
  if (amount !== booking.depositAmount || currency !== booking.currency.trim().toUpperCase()) {
    await tx
      .update(bookings)
      .set({ paymentFlag: "amount_mismatch", updatedAt: now })
      .where(eq(bookings.id, booking.id));
    return "flagged";
  }
  const providerRef = typeof session.payment_intent === "string" ? session.payment_intent : session.id;
  const confirmed = await confirmPaid(tx, booking, now);
  await tx.execute(sql`INSERT INTO payments (id, tenant_id, booking_id, amount, currency, provider_ref, status)
    VALUES (${newId("pay")}, ${tenantId}, ${booking.id}, ${amount}, ${booking.currency}, ${providerRef},
            ${confirmed ? "succeeded" : "refund_required"})
    ON CONFLICT (tenant_id, provider_ref) DO NOTHING`);
  // The money arrived on the business's Stripe balance: posted once per balance transaction, in this transaction.
  if (balance) {
    const p = depositPaid({ currency: booking.currency.trim(), bookingId: booking.id, amount, ...feesOf(balance) });
    await postEntry(tx, {
      tenantId,
      occurredAt: new Date(balance.created * 1000),
      kind: p.kind,
      source: { type: "stripe_balance_transaction", id: balance.id },
      lines: p.lines,
    });
  }
  return "applied";
}

/**
 * A refund's state from Stripe (the refund effect made it with Bookra's refund id in its metadata: inside the tenant
 * the event was routed to, that id finds the row; the effect holds the row locked until it has stored Stripe's id).
 */
async function refundChanged(tx: Tx, tenantId: string, refund: Stripe.Refund, occurredAt: Date): Promise<ApplyResult> {
  const ours = refund.metadata?.bookra_refund_id;
  const row = await applyRefundOutcome(tx, {
    tenantId,
    refundId: typeof ours === "string" && ours.startsWith("rfd_") ? ours : undefined,
    stripeRefundId: refund.id,
    status: refundStatusOf(refund.status),
    failureReason: refund.failure_reason ?? undefined,
    occurredAt,
  });
  return row ? "applied" : "ignored";
}

/**
 * Confirms a held booking. A payment that lands after the hold lapsed still confirms if the time is free; if someone
 * else took it meanwhile, the exclusion constraint refuses and the payment is marked for refund.
 */
async function confirmPaid(tx: Tx, booking: typeof bookings.$inferSelect, now: Date): Promise<boolean> {
  if (booking.status === "confirmed" || booking.status === "completed") return true;
  if (booking.status !== "pending_payment" && booking.status !== "expired") return false;
  try {
    await tx.execute(sql`SAVEPOINT confirm_paid`);
    await tx
      .update(bookings)
      .set({ status: "confirmed", updatedAt: now })
      .where(and(eq(bookings.id, booking.id), eq(bookings.status, booking.status)));
    await tx.execute(sql`RELEASE SAVEPOINT confirm_paid`);
  } catch (err) {
    if (!isSlotConflict(err)) throw err;
    await tx.execute(sql`ROLLBACK TO SAVEPOINT confirm_paid`);
    return false;
  }
  await writeOutbox(tx, booking.tenantId, "booking.confirmed", booking.id, {
    status: "confirmed",
    staffId: booking.staffId,
    serviceId: booking.serviceId,
    start: iso(booking.startsAt.getTime()),
    end: iso(booking.endsAt.getTime()),
  });
  return true;
}
