// Tenant webhook endpoints on the wire (API.md: /v1/admin/webhook-endpoints); events follow Standard Webhooks.
import { z } from "@hono/zod-openapi";
import { BOOKING_EVENTS } from "../services/bookings/outbox-rows.ts";
import { Pagination } from "./common.ts";
import { PathId, PlainText } from "./staff.ts";

export const WebhookEventType = z.enum(BOOKING_EVENTS as [string, ...string[]]).openapi({ example: "booking.created" });

const EndpointUrl = z
  .string()
  .trim()
  .max(2048)
  .url()
  .refine((v) => /^https?:\/\//i.test(v), { message: "Only http(s) URLs" })
  .openapi({
    example: "https://example.com/hooks/bookra",
    description:
      "https to a public host on the default port (private, loopback, link-local and reserved addresses are refused " +
      "with 422 URL_NOT_PUBLIC); a local stack also accepts loopback receivers, over http, on any port",
  });

export const WebhookEndpointCreate = z
  .object({
    url: EndpointUrl,
    eventTypes: z
      .array(WebhookEventType)
      .min(1)
      .max(BOOKING_EVENTS.length)
      .refine((t) => new Set(t).size === t.length, { message: "Event types must not repeat" })
      .optional()
      .openapi({ description: "Default: every booking.* event" }),
    description: PlainText(500).optional(),
  })
  .strict()
  .openapi("WebhookEndpointCreate");
export type WebhookEndpointCreate = z.infer<typeof WebhookEndpointCreate>;

export const WebhookEndpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    description: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("WebhookEndpoint");
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const WebhookEndpointCreated = WebhookEndpoint.extend({
  secret: z.string().openapi({ description: "Signing secret (Standard Webhooks), shown only now", example: "whsec_…" }),
}).openapi("WebhookEndpointCreated");
export type WebhookEndpointCreated = z.infer<typeof WebhookEndpointCreated>;

export const WebhookEndpointList = z
  .object({ data: z.array(WebhookEndpoint), nextCursor: z.string().nullable() })
  .openapi("WebhookEndpointList");
export type WebhookEndpointList = z.infer<typeof WebhookEndpointList>;

export const WebhookEndpointIdParam = z.object({ id: PathId("id", "whe") });
export const WebhookEndpointListQuery = Pagination;
