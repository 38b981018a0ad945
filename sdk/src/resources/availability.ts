// Public availability: the bookable slots of a service between two calendar dates, in pages the server caps.
import type { Call, Output, Query, RequestOptions } from "../http.ts";

const OP = "GET /v1/public/{tenant}/availability";

export type AvailabilityQuery = Omit<Query<typeof OP>, "cursor">;
export type Availability = Output<typeof OP>;

export const publicAvailability = (call: Call, tenant: string) => {
  const page = (query: Query<typeof OP>, options?: RequestOptions) => call(OP, { path: { tenant }, query }, options);
  return {
    /**
     * Every slot of the range, sorted by start; `from`/`to` are inclusive dates in `timezone` (default: the
     * tenant's), at most 62 days. The server lists a bounded number of slots per response; this follows its
     * `nextCursor` until the range is complete (one request for most ranges).
     * @example
     * const { slots } = await bookra.availability.list({ serviceId, from: "2027-03-01", to: "2027-03-07" });
     * // slots[0] → { start: "2027-03-01T09:00:00Z", end: "…", staffIds: ["stf_…"] }
     */
    list: async (query: AvailabilityQuery, options?: RequestOptions): Promise<Availability> => {
      const first = await page(query, options);
      if (!first.nextCursor) return first;
      const slots = [...first.slots];
      for (let cursor: string | null = first.nextCursor; cursor; ) {
        const next: Availability = await page({ ...query, cursor }, options);
        slots.push(...next.slots);
        cursor = next.nextCursor === cursor ? null : next.nextCursor; // a cursor that does not move ends the walk
      }
      return { ...first, slots, nextCursor: null };
    },
    /**
     * One response as the server sends it: pass its `nextCursor` back as `cursor` for the next one (null: done).
     * @example
     * const first = await bookra.availability.page({ serviceId, from: "2027-03-01", to: "2027-03-31" });
     * if (first.nextCursor) await bookra.availability.page({ serviceId, from: "2027-03-01", to: "2027-03-31", cursor: first.nextCursor });
     */
    page,
  };
};
