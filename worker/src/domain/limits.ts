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
