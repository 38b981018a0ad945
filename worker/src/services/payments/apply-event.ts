// Applies a verified Stripe event: each event id once per tenant; a paid checkout confirms the held booking and
// records the payment, whatever order or how many times events arrive.
import { and, eq, sql } from "drizzle-orm";
import type { Database, Tx } from "../../db/client.ts";
import { bookings } from "../../db/schema/index.ts";
import { isSlotConflict } from "../../errors.ts";
import { newId } from "../../lib/ids.ts";
import { iso } from "../bookings/availability.ts";
import { writeOutbox } from "../bookings/outbox-rows.ts";

export interface StripeEvent {
  id: string;
  type: string;
  data: { object: Record<string, unknown> };
}

export type ApplyResult = "applied" | "duplicate" | "ignored";

const TENANT = /^ten_[0-9a-z]{20}$/;
const BOOKING = /^bkg_[0-9a-z]{20}$/;

/** Checkout events carry our ids in metadata; anything else is acknowledged and ignored. */
function checkoutTarget(event: StripeEvent): { tenantId: string; bookingId: string } | null {
  if (event.type !== "checkout.session.completed" && event.type !== "checkout.session.async_payment_succeeded")
    return null;
  const obj = event.data.object;
  if (obj.payment_status !== undefined && obj.payment_status !== "paid") return null;
  const metadata = (obj.metadata ?? {}) as Record<string, unknown>;
  const { tenantId, bookingId } = metadata;
  if (
    typeof tenantId !== "string" ||
    !TENANT.test(tenantId) ||
    typeof bookingId !== "string" ||
    !BOOKING.test(bookingId)
  )
    return null;
  return { tenantId, bookingId };
}

export async function applyStripeEvent({
  db,
  event,
  now,
}: {
  db: Database;
  event: StripeEvent;
  now: Date;
}): Promise<ApplyResult> {
  const target = checkoutTarget(event);
  if (!target) return "ignored";
  return db.withTenantTx(target.tenantId, async (tx) => {
    const fresh = await tx.execute(sql`INSERT INTO payment_events (tenant_id, event_id, event_type)
      VALUES (${target.tenantId}, ${event.id}, ${event.type}) ON CONFLICT DO NOTHING RETURNING 1`);
    if (fresh.rows.length === 0) return "duplicate";
    const [booking] = await tx.select().from(bookings).where(eq(bookings.id, target.bookingId)).for("update");
    if (!booking) return "ignored";
    const obj = event.data.object;
    const amount = Number(obj.amount_total ?? booking.depositAmount);
    const providerRef = String(obj.payment_intent ?? obj.id ?? event.id);
    const confirmed = await confirmPaid(tx, booking, now);
    await tx.execute(sql`INSERT INTO payments (id, tenant_id, booking_id, amount, currency, provider_ref, status)
      VALUES (${newId("pay")}, ${target.tenantId}, ${booking.id}, ${amount}, ${booking.currency}, ${providerRef},
              ${confirmed ? "succeeded" : "refund_required"})
      ON CONFLICT (tenant_id, provider_ref) DO NOTHING`);
    return "applied";
  });
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
