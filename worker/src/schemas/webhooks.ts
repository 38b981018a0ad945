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

// ---------------------------------------------------------------------------------------------------------------
// Outgoing webhooks: what a tenant's endpoint receives (effects/webhook-delivery.ts webhookBody; the `data` is the
// outbox row's payload as the booking services and SQL functions write it). Published under the document's `webhooks`.

const EventInstant = z.string().openapi({
  format: "date-time",
  description: "An instant (RFC 3339; `Z` or an offset such as `+00:00`)",
  example: "2027-03-01T09:00:00Z",
});
const ChangedBy = z.enum(["customer", "admin"]).openapi({ description: "Who made the change" });

const bookingId = z.string().openapi({ example: "bkg_…" });
const staffId = z.string().openapi({ example: "stf_…" });

export const WEBHOOK_PAYLOADS = {
  "booking.created": z
    .object({
      bookingId,
      customerId: z.string().openapi({ example: "cus_…" }),
      status: z.enum(["pending_payment", "confirmed"]),
      serviceId: z.string(),
      staffId,
      start: EventInstant,
      end: EventInstant,
      source: z.enum(["public", "admin"]),
    })
    .openapi("BookingCreatedData"),
  "booking.confirmed": z
    .object({
      bookingId,
      status: z.literal("confirmed"),
      serviceId: z.string(),
      staffId,
      start: EventInstant,
      end: EventInstant,
    })
    .openapi("BookingConfirmedData", { description: "A held booking was paid for" }),
  "booking.cancelled": z
    .object({
      bookingId,
      previousStatus: z.enum(["pending_payment", "confirmed"]),
      staffId,
      start: EventInstant,
      by: ChangedBy,
    })
    .openapi("BookingCancelledData"),
  "booking.rescheduled": z
    .object({ bookingId, staffId, previousStart: EventInstant, start: EventInstant, end: EventInstant, by: ChangedBy })
    .openapi("BookingRescheduledData"),
  "booking.expired": z
    .object({ bookingId, staffId, start: EventInstant })
    .openapi("BookingExpiredData", { description: "A payment hold lapsed unpaid; the slot is free again" }),
  ping: z
    .object({
      endpointId: z.string().openapi({ example: "whe_…" }),
      message: z.string(),
    })
    .openapi("PingData", {
      description:
        "A test event sent from the dashboard (`POST /v1/admin/webhook-endpoints/{id}/test`) to that endpoint only",
    }),
} as const satisfies Record<(typeof BOOKING_EVENTS)[number] | "ping", z.ZodType>;

/** The JSON body of one delivery (Standard Webhooks: the same `id` on every retry of one event). */
export function webhookEventSchema(type: keyof typeof WEBHOOK_PAYLOADS) {
  const name = `${type
    .split(".")
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("")}Event`;
  return z
    .object({
      id: z.string().openapi({ example: "evt_…", description: "The event id, also sent as `webhook-id`" }),
      type: z.literal(type),
      createdAt: z.string().openapi({ format: "date-time", example: "2027-03-01T08:00:00.000Z" }),
      data: WEBHOOK_PAYLOADS[type],
    })
    .openapi(name);
}

/** The Standard Webhooks headers of a delivery. */
export const WebhookDeliveryHeaders = z.object({
  "webhook-id": z.string().openapi({ description: "The event id: deduplicate on it (retries repeat it)" }),
  "webhook-timestamp": z.string().openapi({ description: "Unix seconds when this attempt was signed" }),
  "webhook-signature": z.string().openapi({
    description:
      "`v1,<base64 HMAC-SHA256>` of `<webhook-id>.<webhook-timestamp>.<body>` under the endpoint's secret " +
      "(the `whsec_…` shown when it was created)",
  }),
});
