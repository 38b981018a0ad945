// The staff member's external calendar (Google), when they connected one. The handler converges on the booking's
// current state rather than replaying the event: confirmed → the event exists with the current times; cancelled → deleted.
// So events handled late or out of order still leave the calendar right.
import { sha256Hex } from "../../lib/crypto.ts";
import type { EffectHandler } from "../../outbox/types.ts";
import type { Providers } from "../../providers/index.ts";
import { bookingIdOf, loadBookingContext } from "../booking-context.ts";
import { readCalendarConnection } from "../calendar-connections.ts";
import { effectKey } from "./notices.ts";

/** Google event ids allow base32hex characters (a–v, 0–9), 5–1024 long: a hash of the booking id fits. */
export async function calendarEventIdFor(bookingId: string): Promise<string> {
  return `bookra${(await sha256Hex(bookingId)).slice(0, 32)}`;
}

export const calendarHandler: EffectHandler<Providers> = {
  name: "calendar",
  events: ["booking.created", "booking.confirmed", "booking.rescheduled", "booking.cancelled"],
  // Most staff connect no calendar: the shared snapshot says so without a transaction. When there is one, the booking
  // is read again inside the handler's transaction, so the calendar converges on the latest state, not the snapshot.
  idle: (_event, shared) => !shared.calendarConnected,
  async run({ tx, event, providers, config }) {
    const c = await loadBookingContext(tx, bookingIdOf(event));
    if (!c) return;
    const connection = await readCalendarConnection(tx, config.dataKeys, c.staff.id);
    if (!connection) return;
    const call = {
      tenantId: event.tenantId,
      idempotencyKey: effectKey(event, calendarHandler.name),
      connection: {
        staffId: connection.staffId,
        calendarId: connection.calendarId,
        refreshToken: connection.refreshToken,
      },
    };
    const eventId = await calendarEventIdFor(c.booking.id);
    if (c.booking.status === "cancelled") {
      await providers.calendar.deleteEvent({ ...call, eventId });
      return;
    }
    // A hold is in no one's calendar until it is paid (and an expired hold never was).
    if (c.booking.status === "pending_payment" || c.booking.status === "expired") return;
    await providers.calendar.upsertEvent({
      ...call,
      event: {
        eventId,
        summary: `${c.service.name}: ${c.customer.name}`,
        description: `${c.customer.name} <${c.customer.email}>${c.customer.phone ? `, ${c.customer.phone}` : ""}\nBooking ${c.booking.id}`,
        startsAt: c.booking.startsAt,
        endsAt: c.booking.endsAt,
        timeZone: c.tenant.timezone,
      },
    });
  },
};
