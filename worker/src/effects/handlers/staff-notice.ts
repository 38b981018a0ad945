// An e-mail to the staff member (when they have an address) about a new, moved or cancelled booking. Holds awaiting
// payment are not announced: the staff hear of a booking once it is confirmed.

import type { BookingContext } from "../../domain/booking-context.ts";
import { type StaffNotice, staffEmail } from "../../domain/messages.ts";
import type { EffectHandler, OutboxEvent } from "../../outbox/types.ts";
import type { Providers } from "../../providers/index.ts";
import { bookingIdOf, eventTimes, loadBookingContext } from "../booking-context.ts";
import { effectKey, isConfirmation } from "./notices.ts";

function staffNoticeFor(event: OutboxEvent): StaffNotice | null {
  if (isConfirmation(event)) return "created";
  if (event.type === "booking.rescheduled") return "rescheduled";
  if (event.type === "booking.cancelled" && event.payload.previousStatus !== "pending_payment") return "cancelled";
  return null;
}

/** The notice this event means for this booking's staff member, or null when there is none to send. */
function noticeFor(event: OutboxEvent, c: BookingContext | null): { kind: StaffNotice; to: string } | null {
  const kind = staffNoticeFor(event);
  if (!kind || !c?.staff.email) return null;
  if (kind === "rescheduled" && c.booking.status !== "confirmed") return null;
  return { kind, to: c.staff.email };
}

export const staffNoticeHandler: EffectHandler<Providers> = {
  name: "staff-notice",
  events: ["booking.created", "booking.confirmed", "booking.rescheduled", "booking.cancelled"],
  idle: (event, shared) => noticeFor(event, shared.booking) === null,
  async run({ tx, event, providers, shared }) {
    if (!staffNoticeFor(event)) return;
    const c = shared ? shared.booking : await loadBookingContext(tx, bookingIdOf(event));
    const notice = noticeFor(event, c);
    if (!notice || !c) return;
    const { kind } = notice;
    await providers.email.send({
      tenantId: event.tenantId,
      idempotencyKey: effectKey(event, staffNoticeHandler.name),
      to: notice.to,
      fromName: c.tenant.name,
      ...staffEmail(kind, c, eventTimes(event, c).startsAt),
    });
  },
};
