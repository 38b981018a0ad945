// Outbox rows for booking changes, as SQL written inside the same statement/transaction as the change (invariant 2).
import { sql } from "drizzle-orm";
import { noteOutboxWritten, type Tx } from "../../db/client.ts";
import { newId } from "../../lib/ids.ts";

export type BookingEvent =
  | "booking.created"
  | "booking.confirmed"
  | "booking.cancelled"
  | "booking.rescheduled"
  | "booking.expired";

export const BOOKING_EVENTS: readonly BookingEvent[] = [
  "booking.created",
  "booking.confirmed",
  "booking.cancelled",
  "booking.rescheduled",
  "booking.expired",
];

export async function writeOutbox(
  tx: Tx,
  tenantId: string,
  type: BookingEvent,
  bookingId: string,
  payload: Record<string, unknown>,
) {
  const id = newId("evt");
  await tx.execute(sql`INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload)
    VALUES (${id}, ${tenantId}, ${type}, ${bookingId}, ${JSON.stringify({ bookingId, ...payload })}::jsonb)`);
  noteOutboxWritten(tx, [id]);
}

/** Expires the given lapsed holds (they no longer block anyone) and records booking.expired for each (0009 expire_holds()). */
export async function expireHolds(tx: Tx, bookingIds: string[], now: Date): Promise<void> {
  if (bookingIds.length === 0) return;
  const written = await tx.execute<{ ids: string[] }>(
    sql`SELECT expire_holds(${`{${bookingIds.join(",")}}`}::text[], ${now.toISOString()}::timestamptz) AS ids`,
  );
  noteOutboxWritten(tx, written.rows[0]?.ids ?? []);
}

/** Queues writers of one staff member's calendar for a blocked range (migrations/0009 lock_staff_time()); the
 * exclusion constraint still decides. */
export async function lockStaffCalendar(tx: Tx, staffId: string, blocked: { startsAt: number; endsAt: number }) {
  await tx.execute(sql`SELECT lock_staff_time(${staffId}, ${new Date(blocked.startsAt).toISOString()}::timestamptz,
    ${new Date(blocked.endsAt).toISOString()}::timestamptz)`);
}
