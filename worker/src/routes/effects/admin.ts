// Admin routes of the side effects (behind the /v1/admin/* API-key middleware): issue a staff member's private
// calendar feed URL, and switch customer channels on or off.
import { createRoute } from "@hono/zod-openapi";
import { getChannels, setChannels } from "../../effects/channels.ts";
import { issueCalendarFeed } from "../../effects/feeds.ts";
import { errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import { CalendarFeed, Channels } from "../../schemas/effects.ts";
import { StaffIdParam } from "../../schemas/staff.ts";
import { idempotent } from "../admin/idempotency.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";
import type { App } from "../types.ts";

const security = [{ apiKey: [] }];

const issueFeed = createRoute({
  operationId: "issueCalendarFeed",
  method: "post",
  path: "/v1/admin/staff/{id}/calendar-feed",
  tags: ["Admin: staff"],
  security,
  summary: "Issue the staff member's private iCalendar feed URL (shown once; revokes the previous one)",
  description:
    "The URL is a secret shown only in this 201 and is never stored, not even for an `Idempotency-Key` replay: " +
    "a repeat with the same key issues no new URL (the one just issued keeps working) but answers 409 `CONFLICT`. " +
    "If that URL was lost, issue again with a new key.",
  middleware: [
    idempotent({
      secret: {
        redact: ({ url: _secret, ...rest }) => rest,
        refusal: (stored) =>
          `This Idempotency-Key already issued a calendar feed URL for ${String(stored.staffId)} at ` +
          `${String(stored.issuedAt)}; it is shown only once and cannot be shown again. Issue the feed again with a ` +
          "new Idempotency-Key to get a new URL",
      },
    }),
  ],
  request: { params: StaffIdParam, headers: IdempotencyHeader },
  responses: { 201: jsonResponse(CalendarFeed, "The new feed URL"), ...errorResponses(401, 404, 409, 413, 422) },
});

const readChannels = createRoute({
  operationId: "getChannels",
  summary: "Read the customer notification channels",
  description: "Which channels (e-mail, SMS, WhatsApp) send customers their confirmations and reminders.",
  method: "get",
  path: "/v1/admin/channels",
  tags: ["Admin: tenant"],
  security,
  responses: { 200: jsonResponse(Channels, "Customer notification channels"), ...errorResponses(401) },
});

const writeChannels = createRoute({
  operationId: "updateChannels",
  summary: "Set the customer notification channels",
  description: "Replaces the channel settings; answers them as stored.",
  method: "put",
  path: "/v1/admin/channels",
  tags: ["Admin: tenant"],
  security,
  request: jsonBody(Channels),
  responses: { 200: jsonResponse(Channels, "Updated"), ...errorResponses(401, 413) },
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
