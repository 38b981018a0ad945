// Admin routes of the side effects (behind the /v1/admin/* API-key middleware): issue a staff member's private
// calendar feed URL, and switch customer channels on or off.
import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app.ts";
import { errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import { CalendarFeed, Channels } from "../../schemas/effects.ts";
import { StaffIdParam } from "../../schemas/staff.ts";
import { getChannels, setChannels } from "../../services/effects/channels.ts";
import { issueCalendarFeed } from "../../services/effects/feeds.ts";
import { adminCtx } from "../context.ts";

const security = [{ apiKey: [] }];

const issueFeed = createRoute({
  method: "post",
  path: "/v1/admin/staff/{id}/calendar-feed",
  tags: ["Admin: staff"],
  security,
  summary: "Issue the staff member's private iCalendar feed URL (shown once; revokes the previous one)",
  request: { params: StaffIdParam },
  responses: { 201: jsonResponse(CalendarFeed, "The new feed URL"), ...errorResponses(401, 404) },
});

const readChannels = createRoute({
  method: "get",
  path: "/v1/admin/channels",
  tags: ["Admin: tenant"],
  security,
  responses: { 200: jsonResponse(Channels, "Customer notification channels"), ...errorResponses(401) },
});

const writeChannels = createRoute({
  method: "put",
  path: "/v1/admin/channels",
  tags: ["Admin: tenant"],
  security,
  request: jsonBody(Channels),
  responses: { 200: jsonResponse(Channels, "Updated"), ...errorResponses(400, 401) },
});

export function registerEffectAdminRoutes(app: App): void {
  app.openapi(issueFeed, async (c) =>
    c.json(await issueCalendarFeed({ ctx: adminCtx(c), input: { staffId: c.req.valid("param").id } }), 201),
  );
  app.openapi(readChannels, async (c) => c.json(await getChannels({ ctx: adminCtx(c) }), 200));
  app.openapi(writeChannels, async (c) =>
    c.json(await setChannels({ ctx: adminCtx(c), input: c.req.valid("json") }), 200),
  );
}
