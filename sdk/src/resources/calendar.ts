// The calendar: per staff member, the working hours (with date overrides applied), time off and bookings of a range
// of local dates in the business's time zone. Instants are UTC ISO strings.
import type { Money } from "../generated/openapi.ts";
import type { RequestOptions } from "../http.ts";
import type { LooseCall } from "./loose.ts";

export type CalendarBookingStatus = "pending_payment" | "confirmed" | "cancelled" | "completed" | "no_show" | "expired";

export interface CalendarBooking {
  id: string;
  status: CalendarBookingStatus;
  start: string;
  end: string;
  serviceId: string;
  serviceName: string;
  staffId: string;
  customer: { name: string; email: string; phone: string | null };
  holdExpiresAt: string | null;
  price: Money;
}

export interface CalendarStaff {
  id: string;
  name: string;
  /** Working hours per local date, as instants. */
  days: { date: string; intervals: { start: string; end: string }[] }[];
  timeOff: { id: string; start: string; end: string; reason: string | null }[];
  bookings: CalendarBooking[];
}

export interface Calendar {
  timezone: string;
  from: string;
  to: string;
  staff: CalendarStaff[];
}

export interface CalendarQuery {
  /** First local date (YYYY-MM-DD), inclusive. */
  from: string;
  /** Last local date (YYYY-MM-DD), inclusive. */
  to: string;
  staffId?: string;
}

export const adminCalendar = (call: LooseCall) => ({
  /** @example const cal = await admin.calendar.get({ from: "2027-03-01", to: "2027-03-07" }); */
  get: (query: CalendarQuery, options?: RequestOptions) =>
    call<Calendar>("GET /v1/admin/calendar", { query: { ...query } }, options),
});
