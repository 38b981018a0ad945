// Everything a message about one booking needs, read inside the handler's tenant transaction.
import { eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { type BookingStatus, bookings, customers, services, staff, tenants } from "../../db/schema/index.ts";
import { manageTokenMatching } from "../../lib/manage-token.ts";
import type { ServiceConfig } from "../context.ts";

export interface BookingContext {
  booking: {
    id: string;
    status: BookingStatus;
    startsAt: Date;
    endsAt: Date;
    priceAmount: number;
    currency: string;
    /** The customer agreed to WhatsApp messages when booking (migrations/0011). */
    whatsappOptIn: boolean;
    /** SHA-256 of the customer's manage token: tells which secret made it (see manageUrl). */
    manageTokenHash?: string;
  };
  customer: { name: string; email: string; phone: string | null };
  service: { name: string };
  staff: { id: string; name: string; email: string | null };
  tenant: { id: string; slug: string; name: string; timezone: string; currency: string };
}

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

/**
 * The part of an outbox event (outbox/types.ts `OutboxEvent`) this module reads: named here, not imported, because
 * outbox/types.ts names BookingContext and the two modules would import each other.
 */
interface EventRef {
  id: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

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

/** `Tuesday, 2 March 2027 at 09:00 (Europe/London)`: the business's wall clock, labelled with its zone. */
// Building an Intl formatter costs far more than using one: one per zone / currency, kept.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatWhen(d: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "full", timeStyle: "short" });
    dateFormats.set(timeZone, format);
  }
  return `${format.format(d)} (${timeZone})`;
}

export function formatMoney(amount: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en-GB", { style: "currency", currency });
    moneyFormats.set(currency, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}
