// Public availability: the bookable slots of a service between two calendar dates.
import type { Call, Query, RequestOptions } from "../http.ts";

export type AvailabilityQuery = Query<"GET /v1/public/{tenant}/availability">;

export const publicAvailability = (call: Call, tenant: string) => ({
  /**
   * Slots sorted by start; `from`/`to` are inclusive dates in `timezone` (default: the tenant's), at most 62 days.
   * @example
   * const { slots } = await bookra.availability.list({ serviceId, from: "2027-03-01", to: "2027-03-07" });
   * // slots[0] → { start: "2027-03-01T09:00:00Z", end: "…", staffIds: ["stf_…"] }
   */
  list: (query: AvailabilityQuery, options?: RequestOptions) =>
    call("GET /v1/public/{tenant}/availability", { path: { tenant }, query }, options),
});
