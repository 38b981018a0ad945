// GET /v1/public/{tenant}/availability: bookable slots for a service, one query plus the pure engine.
import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app.ts";
import { Availability, AvailabilityQuery } from "../../schemas/booking.ts";
import { TenantSlugParam } from "../../schemas/catalog.ts";
import { errorResponses, jsonResponse } from "../../schemas/common.ts";
import { getAvailability } from "../../services/bookings/availability.ts";
import { publicCtx } from "../context.ts";

const route = createRoute({
  method: "get",
  path: "/v1/public/{tenant}/availability",
  tags: ["Public"],
  summary: "Bookable slots between two calendar dates (inclusive, in `timezone`)",
  request: { params: TenantSlugParam, query: AvailabilityQuery },
  responses: { 200: jsonResponse(Availability, "Slots sorted by start"), ...errorResponses(400, 404) },
});

export function registerAvailabilityRoute(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await getAvailability({ ctx: publicCtx(c), input: c.req.valid("query") }), 200),
  );
}
