// Admin calendar: working hours per local date, time off, bookings and holds per staff member, in one request.
import type { Call, Query, RequestOptions } from "../http.ts";

export const adminCalendar = (call: Call) => ({
  /**
   * At most 42 local dates (the business's time zone), `to` inclusive.
   * @example const week = await admin.calendar.get({ from: "2027-03-01", to: "2027-03-07" });
   */
  get: (query: Query<"GET /v1/admin/calendar">, options?: RequestOptions) =>
    call("GET /v1/admin/calendar", { query }, options),
});
