// GET /v1/admin/bookings/{id}/timeline: what happened to a booking, from the records that hold it.
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonResponse } from "../../schemas/common.ts";
import { BookingTimeline } from "../../schemas/timeline.ts";
import { getBookingTimeline } from "../../services/bookings/timeline.ts";
import { adminCtx } from "../context.ts";
import type { App } from "../types.ts";

const timeline = createRoute({
  operationId: "getBookingTimeline",
  summary: "Read a booking's timeline",
  description: "Oldest first, from the booking's own records (outbox, completions, deliveries, payments, invoice).",
  method: "get",
  path: "/v1/admin/bookings/{id}/timeline",
  tags: ["Admin: bookings"],
  security: [{ apiKey: [] }],
  request: {
    params: z.object({
      id: z
        .string()
        .max(64)
        .openapi({ param: { name: "id", in: "path" }, example: "bkg_…" }),
    }),
  },
  responses: { 200: jsonResponse(BookingTimeline, "The booking's timeline"), ...errorResponses(401, 404) },
});

export function registerBookingTimelineRoutes(app: App): void {
  app.openapi(timeline, async (c) =>
    c.json(await getBookingTimeline({ ctx: adminCtx(c), id: c.req.valid("param").id }), 200),
  );
}
