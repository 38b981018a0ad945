// What one tenant may hold and what one availability response may carry: documented limits (API.md "Limits"), kept
// in one place so the services that enforce them, the OpenAPI descriptions and the docs quote the same numbers.

/** Per-tenant caps; a write past one is a 422 `LIMIT_REACHED` and stores nothing. */
export const TENANT_LIMITS = {
  /** Live (not deleted) staff members of one business. */
  staffPerTenant: 50,
  /** Live services of one business. */
  servicesPerTenant: 200,
  /** Live staff members who perform one service. */
  staffPerService: 50,
  /** Date overrides of one staff member dated today or later (in the business's time zone). */
  futureOverridesPerStaff: 400,
  /** Live webhook endpoints of one business. */
  webhookEndpointsPerTenant: 10,
} as const;

/**
 * The most slots one availability response lists. A range holding more is answered in pages: the response stops
 * before the first slot left out and names it in `nextCursor` (pass it back as `cursor` with the same query).
 */
export const MAX_SLOTS_PER_RESPONSE = 1000;

/**
 * Bounds the database and the worker both rely on. The source of truth is the database: `booking_bounds()`
 * (migrations/0014), which its CHECK constraints and booking functions read. These copies are what the worker's
 * validation and schedule cache read, and test/sql-inputs.test.ts fails unless they equal `booking_bounds()`.
 */
export const BOOKING_BOUNDS = {
  /** No booking blocks more than this many hours (a day's service plus 12 h of buffer each side); the scheduling
   * queries' index bounds rely on it. */
  maxBlockedHours: 48,
  /** The longest booking window a service may have (`maxAdvanceDays`). */
  maxAdvanceDays: 730,
  /** How many days ahead of its loading a cached schedule reaches: the longest window plus margins. */
  scheduleCoverDays: 735,
} as const;
