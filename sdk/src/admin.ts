// @bookra/sdk/admin — the admin client for servers (secret API key) and the dashboard (session cookie), plus signup.
export {
  type AdminClientOptions,
  type BookraAdmin,
  createBookraAdmin,
  type SessionClientOptions,
  signup,
} from "./admin-client.ts";
export * from "./errors.ts";
export type * from "./generated/openapi.ts";
export type { ClientOptions, IdempotentRequestOptions, RequestOptions } from "./http.ts";
export type { Page, PagePromise } from "./pagination.ts";
export type { Role, Session } from "./resources/auth.ts";
export type { BookingCreateInput, BookingListQuery } from "./resources/bookings.ts";
export type {
  Calendar,
  CalendarBooking,
  CalendarBookingStatus,
  CalendarQuery,
  CalendarStaff,
} from "./resources/calendar.ts";
