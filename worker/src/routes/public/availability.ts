// GET /v1/public/{tenant}/availability: bookable slots for a service, one round trip to the database (the slug is
// resolved inside it; the scheduling data from the edge cache while the versions match) plus the pure engine.
import { createRoute } from "@hono/zod-openapi";
import { MAX_SLOTS_PER_RESPONSE } from "../../domain/limits.ts";
import { Availability, AvailabilityQuery } from "../../schemas/booking.ts";
import { TenantSlugParam } from "../../schemas/catalog.ts";
import { errorResponses, jsonResponse } from "../../schemas/common.ts";
import { getAvailability } from "../../services/bookings/availability.ts";
import { publicReadCtx } from "../context.ts";
import type { App } from "../types.ts";
import { CACHE_STATUS_HEADER, cacheStatusHeaders, cacheStatusOf } from "./cache-status.ts";

/** Shared caches (a CDN) may keep a public answer briefly; a browser must ask again, so it never shows a taken slot. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=0, s-maxage=10";

const route = createRoute({
  operationId: "listAvailability",
  security: [],
  method: "get",
  path: "/v1/public/{tenant}/availability",
  tags: ["Public"],
  summary: "Bookable slots between two calendar dates (inclusive, in `timezone`)",
  description:
    `One response lists at most ${MAX_SLOTS_PER_RESPONSE} slots. When the range holds more, the response ends ` +
    "before the first slot left out and `nextCursor` names it: ask again with the same query plus " +
    "`cursor=<nextCursor>` until `nextCursor` is null (the SDK's `availability.list` does this for you). " +
    "Responses may be cached by shared caches for 10 seconds (`Cache-Control: public, max-age=0, s-maxage=10`); " +
    "browsers revalidate every time, so a slot taken by a booking disappears from the next request.",
  request: { params: TenantSlugParam, query: AvailabilityQuery },
  responses: {
    200: { ...jsonResponse(Availability, "Slots sorted by start"), headers: cacheStatusHeaders },
    ...errorResponses(404),
  },
});

export function registerAvailabilityRoute(app: App): void {
  app.openapi(route, async (c) => {
    const { availability, cache } = await getAvailability({
      ctx: publicReadCtx(c),
      slug: c.req.valid("param").tenant,
      input: c.req.valid("query"),
      cache: c.var.deps.publicReadCache,
    });
    c.header("Cache-Control", PUBLIC_CACHE_CONTROL); // set only on success: an error must not be cached
    c.header(CACHE_STATUS_HEADER, cacheStatusOf(cache));
    return c.json(availability, 200);
  });
}
