// Admin booking timelines: what happened to a booking, each entry naming the record it was read from.
import type { Call, RequestOptions } from "../http.ts";

export const adminBookingTimelines = (call: Call) => ({
  /**
   * Oldest first: creation, confirmation, payments, moves, e-mails, calendar events, webhook deliveries…
   * @example const { entries } = await admin.bookingTimelines.get("bkg_…");
   */
  get: (bookingId: string, options?: RequestOptions) =>
    call("GET /v1/admin/bookings/{id}/timeline", { path: { id: bookingId } }, options),
});
