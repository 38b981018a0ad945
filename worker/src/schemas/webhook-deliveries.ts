// The developers page (Admin API): an endpoint's delivery log and test events.
import { z } from "@hono/zod-openapi";
import { Cursor } from "./common.ts";

/** At most this many test events of one endpoint may wait for delivery at a time (more is 409 CONFLICT). */
export const WEBHOOK_TEST_EVENTS_PENDING_MAX = 5;

export const WebhookDelivery = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    attempt: z.number().int(),
    succeeded: z.boolean(),
    responseStatus: z.number().int().nullable(),
    durationMs: z.number().int(),
    error: z
      .string()
      .nullable()
      .openapi({ description: "Why it failed, by class only (e.g. `HTTP 5xx`, `timed out`)" }),
    createdAt: z.string(),
  })
  .openapi("WebhookDelivery");
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryList = z
  .object({ data: z.array(WebhookDelivery), nextCursor: z.string().nullable() })
  .openapi("WebhookDeliveryList", { description: "Newest first" });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

export const WebhookDeliveryListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ example: 50 }),
  cursor: Cursor.optional(),
});
export type WebhookDeliveryListQuery = z.infer<typeof WebhookDeliveryListQuery>;

export const WebhookTestEvent = z
  .object({
    eventId: z.string(),
    type: z.literal("ping"),
    endpointId: z.string(),
  })
  .openapi("WebhookTestEvent");
export type WebhookTestEvent = z.infer<typeof WebhookTestEvent>;
