// An e-mail to the staff member (when they have an address) about a new, moved or cancelled booking. Holds awaiting
// payment are not announced: the staff hear of a booking once it is confirmed.
import type { Providers } from "../../providers/index.ts";
import { bookingIdOf, eventTimes, loadBookingContext } from "../../services/effects/booking-context.ts";
import { type StaffNotice, staffEmail } from "../../services/effects/messages.ts";
import type { EffectHandler, OutboxEvent } from "../types.ts";
import { effectKey, isConfirmation } from "./notices.ts";

function staffNoticeFor(event: OutboxEvent): StaffNotice | null {
  if (isConfirmation(event)) return "created";
  if (event.type === "booking.rescheduled") return "rescheduled";
  if (event.type === "booking.cancelled" && event.payload.previousStatus !== "pending_payment") return "cancelled";
  return null;
}

export const staffNoticeHandler: EffectHandler<Providers> = {
  name: "staff-notice",
  events: ["booking.created", "booking.confirmed", "booking.rescheduled", "booking.cancelled"],
  async run({ tx, event, providers }) {
    const kind = staffNoticeFor(event);
    if (!kind) return;
    const c = await loadBookingContext(tx, bookingIdOf(event));
    if (!c?.staff.email) return;
    if (kind === "rescheduled" && c.booking.status !== "confirmed") return;
    await providers.email.send({
      tenantId: event.tenantId,
      idempotencyKey: effectKey(event, staffNoticeHandler.name),
      to: c.staff.email,
      fromName: c.tenant.name,
      ...staffEmail(kind, c, eventTimes(event, c).startsAt),
    });
  },
};
