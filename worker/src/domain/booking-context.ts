// What side effects know about one booking (the snapshot the consumer and the handlers read) and how its times and
// money read to people. Pure: the loaders are in effects/booking-context.ts and outbox/rows.ts.

export type BookingStatus = "pending_payment" | "confirmed" | "cancelled" | "completed" | "no_show" | "expired";

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
