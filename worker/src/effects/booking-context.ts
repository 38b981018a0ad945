// Everything a message about one booking needs, read inside the handler's tenant transaction (its shape and how it
// reads to people are pure: domain/booking-context.ts).
import { eq, sql } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { bookings, customers, services, staff, tenants } from "../db/schema/index.ts";
import type { BookingContext } from "../domain/booking-context.ts";
import { manageTokenMatching } from "../lib/manage-token.ts";
import type { OutboxEvent } from "../outbox/types.ts";
import type { ServiceConfig } from "../services/context.ts";

export async function loadBookingContext(tx: Tx, bookingId: string): Promise<BookingContext | null> {
  const [row] = await tx
    .select({ booking: bookings, customer: customers, service: services, staff: staff, tenant: tenants })
    .from(bookings)
    .innerJoin(customers, eq(customers.id, bookings.customerId))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(staff, eq(staff.id, bookings.staffId))
    .innerJoin(tenants, eq(tenants.id, bookings.tenantId))
    .where(eq(bookings.id, bookingId));
  if (!row) return null;
  const b = row.booking;
  return {
    booking: {
      id: b.id,
      status: b.status,
      startsAt: b.startsAt,
      endsAt: b.endsAt,
      priceAmount: Number(b.priceAmount),
      currency: b.currency,
      whatsappOptIn: b.whatsappOptIn,
      manageTokenHash: b.manageTokenHash,
    },
    customer: { name: row.customer.name, email: row.customer.email, phone: row.customer.phone },
    service: { name: row.service.name },
    staff: { id: row.staff.id, name: row.staff.name, email: row.staff.email },
    tenant: {
      id: row.tenant.id,
      slug: row.tenant.slug,
      name: row.tenant.name,
      timezone: row.tenant.timezone,
      currency: row.tenant.currency,
    },
  };
}

/** The part of an outbox event this module reads. */
type EventRef = Pick<OutboxEvent, "id" | "aggregateId" | "payload">;

export function bookingIdOf(event: EventRef): string {
  const id = event.payload.bookingId;
  return typeof id === "string" ? id : event.aggregateId;
}

/** The times this event is about: its own payload when it carries them (a move), else the booking's. */
export function eventTimes(event: EventRef, c: BookingContext): { startsAt: Date; endsAt: Date } {
  const start = typeof event.payload.start === "string" ? new Date(event.payload.start) : null;
  const end = typeof event.payload.end === "string" ? new Date(event.payload.end) : null;
  if (start && end && !Number.isNaN(start.getTime()) && !Number.isNaN(end.getTime()))
    return { startsAt: start, endsAt: end };
  return { startsAt: c.booking.startsAt, endsAt: c.booking.endsAt };
}

/**
 * The iCalendar SEQUENCE of the booking's event as of this outbox event: the number of changes (moves, cancellation,
 * expiry) recorded up to and including it. Derived from the outbox (compared at full timestamp precision), so a retry
 * computes the same number.
 */
export async function icsSequence(tx: Tx, bookingId: string, event: EventRef): Promise<number> {
  const r = await tx.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM outbox
    WHERE aggregate_id = ${bookingId}
      AND event_type IN ('booking.rescheduled', 'booking.cancelled', 'booking.expired')
      AND (created_at, id) <= (SELECT created_at, id FROM outbox WHERE id = ${event.id})`);
  return r.rows[0]?.n ?? 0;
}

export async function manageUrl(config: ServiceConfig, c: BookingContext): Promise<string> {
  // The token the customer already holds (made by the current or the previous secret, or before key ids).
  const token = await manageTokenMatching(config, c.booking.id, c.booking.manageTokenHash ?? "");
  return `${config.publicBaseUrl}/manage/${c.tenant.slug}/${c.booking.id}?token=${token}`;
}
