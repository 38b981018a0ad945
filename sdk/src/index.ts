// @bookra/sdk — the public client for browsers and custom frontends. Servers: `@bookra/sdk/admin`; webhook
// receivers: `@bookra/sdk/webhooks`. Request and response types are generated from the API's OpenAPI document.
export { type Bookra, createBookra, type PublicClientOptions } from "./client.ts";
export * from "./errors.ts";
export type * from "./generated/openapi.ts";
export type { ClientOptions, IdempotentRequestOptions, RequestOptions } from "./http.ts";
export type { AvailabilityQuery } from "./resources/availability.ts";
export type { BookingCreateInput, ManageOptions } from "./resources/bookings.ts";
