// The developers page: an endpoint's delivery log and "send test event".
import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonResponse } from "../../schemas/common.ts";
import {
  WEBHOOK_TEST_EVENTS_PENDING_MAX,
  WebhookDeliveryList,
  WebhookDeliveryListQuery,
  WebhookTestEvent,
} from "../../schemas/webhook-deliveries.ts";
import { WebhookEndpointIdParam } from "../../schemas/webhooks.ts";
import { listWebhookDeliveries, sendWebhookTestEvent } from "../../services/webhooks/deliveries.ts";
import { adminCtx } from "../context.ts";
import type { App } from "../types.ts";

const base = { tags: ["Admin: webhooks"], security: [{ apiKey: [] }] };

const deliveries = createRoute({
  operationId: "listWebhookDeliveries",
  summary: "List an endpoint's deliveries",
  description: "Every attempt, newest first.",
  ...base,
  method: "get",
  path: "/v1/admin/webhook-endpoints/{id}/deliveries",
  request: { params: WebhookEndpointIdParam, query: WebhookDeliveryListQuery },
  responses: { 200: jsonResponse(WebhookDeliveryList, "Delivery attempts, newest first"), ...errorResponses(401, 404) },
});

const test = createRoute({
  operationId: "sendWebhookTestEvent",
  summary: "Send a test event to an endpoint",
  description: `A signed \`ping\` through the outbox; at most ${WEBHOOK_TEST_EVENTS_PENDING_MAX} waiting (409 beyond).`,
  ...base,
  method: "post",
  path: "/v1/admin/webhook-endpoints/{id}/test",
  request: { params: WebhookEndpointIdParam },
  responses: { 202: jsonResponse(WebhookTestEvent, "Queued"), ...errorResponses(401, 404, 409, 413) },
});

export function registerWebhookDeliveryRoutes(app: App): void {
  app.openapi(deliveries, async (c) =>
    c.json(
      await listWebhookDeliveries({
        ctx: adminCtx(c),
        endpointId: c.req.valid("param").id,
        input: c.req.valid("query"),
      }),
      200,
    ),
  );
  app.openapi(test, async (c) =>
    c.json(await sendWebhookTestEvent({ ctx: adminCtx(c), endpointId: c.req.valid("param").id }), 202),
  );
}
