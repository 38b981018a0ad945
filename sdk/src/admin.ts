// @bookra/sdk/admin — the admin client for servers (secret API key), the dashboard client (session cookie), signup.
export { type AdminClientOptions, type BookraAdmin, createBookraAdmin, signup } from "./admin-client.ts";
export { type BookraDashboard, createBookraDashboard, type DashboardClientOptions } from "./dashboard-client.ts";
export * from "./errors.ts";
export type * from "./generated/openapi.ts";
export type { ClientOptions, IdempotentRequestOptions, RequestOptions } from "./http.ts";
export type { Page, PagePromise } from "./pagination.ts";
export type { BookingCreateInput, BookingListQuery } from "./resources/bookings.ts";
