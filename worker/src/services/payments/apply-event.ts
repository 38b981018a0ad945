// Applies a verified Stripe event (the route checked its signature with the `stripe` package). Events are routed to a
// tenant by `event.account` — the connected account that tenant owns — never by metadata; each event id applies once
// per tenant. A paid checkout confirms its held booking when it paid exactly the deposit in the booking's currency;
// any other amount or currency leaves the booking unconfirmed and flagged (`payment_flag = amount_mismatch`).
// account.updated keeps the tenant's connection state current; refund.created/updated/failed settle Bookra's refunds.
import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Database, Tx } from "../../db/client.ts";
import { bookings } from "../../db/schema/index.ts";
import { isSlotConflict } from "../../errors.ts";
import { newId } from "../../lib/ids.ts";
import { accountState } from "../../providers/stripe.ts";
import { iso } from "../bookings/availability.ts";
import { writeOutbox } from "../bookings/outbox-rows.ts";
import { applyRefundOutcome } from "../refunds/outcome.ts";
import { storeAccountState } from "./connect.ts";

export type ApplyResult = "applied" | "duplicate" | "ignored" | "flagged";

const BOOKING = /^bkg_[0-9a-z]{20}$/;

export async function applyStripeEvent({
  db,
  event,
  now,
}: {
  db: Database;
  event: Stripe.Event;
  now: Date;
}): Promise<ApplyResult> {
  if (!event.account) return "ignored";
  const tenantId = await db.tenantIdForStripeAccount(event.account);
  if (!tenantId) return "ignored";
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
        return checkoutPaid(tx, tenantId, event.data.object, now);
      case "refund.created":
      case "refund.updated":
      case "refund.failed":
        return refundChanged(tx, tenantId, event.data.object, new Date(event.created * 1000));
      default:
        return "ignored";
    }
  });
}

async function checkoutPaid(
  tx: Tx,
  tenantId: string,
  session: Stripe.Checkout.Session,
  now: Date,
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
  return "applied";
}

/**
 * A refund's state from Stripe (the refund effect made it with Bookra's refund id in its metadata: inside the tenant
 * the event was routed to, that id finds the row; the effect holds the row locked until it has stored Stripe's id).
 */
async function refundChanged(tx: Tx, tenantId: string, refund: Stripe.Refund, occurredAt: Date): Promise<ApplyResult> {
  const ours = refund.metadata?.bookra_refund_id;
  const status =
    refund.status === "succeeded" || refund.status === "failed" || refund.status === "canceled"
      ? refund.status
      : "pending";
  const row = await applyRefundOutcome(tx, {
    tenantId,
    refundId: typeof ours === "string" && ours.startsWith("rfd_") ? ours : undefined,
    stripeRefundId: refund.id,
    status,
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
