// GET /v1/admin/calendar: the dashboard's day and week views in one request.
import { createRoute } from "@hono/zod-openapi";
import { CALENDAR_MAX_DAYS, Calendar, CalendarQuery } from "../../schemas/calendar.ts";
import { errorResponses, jsonResponse } from "../../schemas/common.ts";
import { getCalendar } from "../../services/calendar/calendar.ts";
import { adminCtx } from "../context.ts";
import type { App } from "../types.ts";

const calendar = createRoute({
  operationId: "getCalendar",
  summary: "Read the calendar",
  description: `Per staff member: working hours per local date, time off, bookings and live holds. At most ${CALENDAR_MAX_DAYS} days.`,
  method: "get",
  path: "/v1/admin/calendar",
  tags: ["Admin: calendar"],
  security: [{ apiKey: [] }],
  request: { query: CalendarQuery },
  responses: { 200: jsonResponse(Calendar, "The calendar"), ...errorResponses(401, 404) },
});

export function registerCalendarRoutes(app: App): void {
  app.openapi(calendar, async (c) => c.json(await getCalendar({ ctx: adminCtx(c), input: c.req.valid("query") }), 200));
}
