// Which notice an outbox event means, and whether it still makes sense when the handler runs (events may arrive
// late or out of order: a confirmation processed after a cancellation is not sent).
import type { BookingContext } from "../../domain/booking-context.ts";
import type { CustomerNotice } from "../../domain/messages.ts";
import type { OutboxEvent } from "../../outbox/types.ts";

const REMINDER_DUE = "booking.reminder_due";
/** Written by services/payments/apply-event.ts with a late payment's full refund (its customer e-mail). */
export const LATE_PAYMENT_REFUNDED = "booking.late_payment_refunded";

export const CUSTOMER_EVENTS = [
  "booking.created",
  "booking.confirmed",
  "booking.rescheduled",
  "booking.cancelled",
  "booking.expired",
  REMINDER_DUE,
  LATE_PAYMENT_REFUNDED,
] as const;

/** The provider idempotency key of one handler's effect of one event (types.ts: event id plus handler name). */
export function effectKey(event: OutboxEvent, handlerName: string): string {
  return `${event.id}/${handlerName}`;
}

/** True when the event confirms the booking: created as confirmed, or confirmed after payment. */
export function isConfirmation(event: OutboxEvent): boolean {
  return (
    event.type === "booking.confirmed" || (event.type === "booking.created" && event.payload.status === "confirmed")
  );
}

export function customerNoticeFor(event: OutboxEvent): CustomerNotice | null {
  if (isConfirmation(event)) return "confirmed";
  switch (event.type) {
    case "booking.rescheduled":
      return "rescheduled";
    case "booking.cancelled":
      return "cancelled";
    case "booking.expired":
      return "expired";
    case REMINDER_DUE:
      return "reminder";
    case LATE_PAYMENT_REFUNDED:
      return "late_payment_refunded";
    default:
      return null;
  }
}

const ENDED: ReadonlySet<string> = new Set(["cancelled", "expired"]);

/**
 * Coalescing: a move's message goes out only while the booking is still where that move put it. When the customer
 * moves it again before the message went out, the stale message is skipped (its handler completes without sending)
 * and the latest move's message carries the final time: the customer hears of the latest state once.
 */
export function stillRelevant(kind: CustomerNotice, c: BookingContext, event: OutboxEvent): boolean {
  if (kind === "cancelled" || kind === "expired" || kind === "late_payment_refunded") return true;
  if (ENDED.has(c.booking.status)) return false;
  if (kind === "rescheduled") return startOf(event) === c.booking.startsAt.getTime();
  if (kind !== "reminder") return true;
  // A reminder is for the start it was written for, of a booking still confirmed.
  return c.booking.status === "confirmed" && startOf(event) === c.booking.startsAt.getTime();
}

function startOf(event: OutboxEvent): number {
  return typeof event.payload.start === "string" ? Date.parse(event.payload.start) : Number.NaN;
}
