// What customers and staff read: subject and body of each notice, as text and HTML. Pure.

import { headerValue } from "../lib/header-value.ts";
import type { BookingContext } from "./booking-context.ts";
import { formatWhen } from "./booking-context.ts";
import { simpleHtml } from "./html.ts";

/**
 * `late_payment_refunded`: a payment arrived when its booking could no longer be confirmed (the hold had lapsed and
 * the time was taken, or the booking had been cancelled) and is refunded in full; the wording follows the status.
 */
export type CustomerNotice =
  | "confirmed"
  | "rescheduled"
  | "cancelled"
  | "expired"
  | "reminder"
  | "late_payment_refunded";
/** The notices sent on WhatsApp too (the others are e-mail only). */
export type WhatsAppNotice = Exclude<CustomerNotice, "expired" | "late_payment_refunded">;
export type StaffNotice = "created" | "rescheduled" | "cancelled";

interface Rendered {
  subject: string;
  text: string;
  html: string;
}

interface NoticeDetails {
  startsAt: Date;
  manageUrl: string;
}

function render(subject: string, paragraphs: string[], links: { label: string; href: string }[]): Rendered {
  const text = [...paragraphs, ...links.map((l) => `${l.label}: ${l.href}`)].join("\n\n");
  return { subject: headerValue(subject), text, html: simpleHtml(paragraphs, links) };
}

export function customerEmail(kind: CustomerNotice, c: BookingContext, d: NoticeDetails): Rendered {
  const when = formatWhen(d.startsAt, c.tenant.timezone);
  const what = `${c.service.name} with ${c.staff.name}`;
  const hello = `Hello ${c.customer.name},`;
  const manage = [{ label: "View, reschedule or cancel your booking", href: d.manageUrl }];
  switch (kind) {
    case "confirmed":
      return render(
        `Booking confirmed: ${c.service.name}, ${when}`,
        [
          hello,
          `Your booking at ${c.tenant.name} is confirmed: ${what} on ${when}.`,
          "The attached invitation adds it to your calendar.",
        ],
        manage,
      );
    case "rescheduled":
      return render(
        `Booking moved: ${c.service.name}, ${when}`,
        [
          hello,
          `Your booking at ${c.tenant.name} has moved: ${what} is now on ${when}.`,
          "The attached invitation updates your calendar.",
        ],
        manage,
      );
    case "cancelled":
      return render(
        `Booking cancelled: ${c.service.name}, ${when}`,
        [hello, `Your booking at ${c.tenant.name} (${what} on ${when}) has been cancelled.`],
        [],
      );
    case "expired":
      return render(
        `Booking not completed: ${c.service.name}, ${when}`,
        [
          hello,
          `We held ${what} on ${when} at ${c.tenant.name} for you, but the payment did not arrive in time, so the slot has been released.`,
          "You are welcome to book again.",
        ],
        [],
      );
    case "late_payment_refunded":
      return render(
        `Payment refunded: ${c.service.name}, ${when}`,
        [
          hello,
          c.booking.status === "cancelled"
            ? `Your payment for ${what} on ${when} at ${c.tenant.name} arrived after the booking had been cancelled.`
            : `Your payment for ${what} on ${when} at ${c.tenant.name} arrived after your hold lapsed, and the time had been booked by someone else meanwhile.`,
          "Your payment is refunded in full; depending on your bank it can take a few days to appear. You are welcome to book another time.",
        ],
        [],
      );
    case "reminder":
      return render(
        `Reminder: ${c.service.name}, ${when}`,
        [hello, `A reminder of your booking at ${c.tenant.name}: ${what} on ${when}.`],
        manage,
      );
  }
}

export function staffEmail(kind: StaffNotice, c: BookingContext, startsAt: Date): Rendered {
  const when = formatWhen(startsAt, c.tenant.timezone);
  const who = `${c.customer.name} <${c.customer.email}>${c.customer.phone ? `, ${c.customer.phone}` : ""}`;
  const heading = { created: "New booking", rescheduled: "Booking moved", cancelled: "Booking cancelled" }[kind];
  const line = {
    created: `${c.service.name} on ${when} for ${who}.`,
    rescheduled: `${c.service.name} for ${who} is now on ${when}.`,
    cancelled: `${c.service.name} on ${when} for ${who} has been cancelled.`,
  }[kind];
  return render(`${heading}: ${c.service.name}, ${when}`, [`Hello ${c.staff.name},`, line], []);
}

/** The approved template each notice uses on WhatsApp, its parameters, and the text a customer would read. */
export function whatsAppNotice(kind: WhatsAppNotice, c: BookingContext, d: NoticeDetails) {
  const when = formatWhen(d.startsAt, c.tenant.timezone);
  const templates = {
    confirmed: {
      name: "bookra_booking_confirmed",
      text: `${c.tenant.name}: your booking for ${c.service.name} on ${when} is confirmed. Manage it: ${d.manageUrl}`,
    },
    rescheduled: {
      name: "bookra_booking_rescheduled",
      text: `${c.tenant.name}: your booking for ${c.service.name} has moved to ${when}. Manage it: ${d.manageUrl}`,
    },
    cancelled: {
      name: "bookra_booking_cancelled",
      text: `${c.tenant.name}: your booking for ${c.service.name} on ${when} has been cancelled.`,
    },
    reminder: {
      name: "bookra_booking_reminder",
      text: `${c.tenant.name}: a reminder of ${c.service.name} on ${when}. Manage it: ${d.manageUrl}`,
    },
  }[kind];
  const parameters =
    kind === "cancelled" ? [c.tenant.name, c.service.name, when] : [c.tenant.name, c.service.name, when, d.manageUrl];
  // Template parameters are refused by WhatsApp when they hold a newline or a tab: one line each.
  return {
    template: { name: templates.name, parameters: parameters.map((p) => headerValue(p)) },
    text: templates.text,
  };
}
