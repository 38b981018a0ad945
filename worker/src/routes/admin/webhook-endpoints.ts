// /v1/admin/webhook-endpoints: where the tenant's booking events are POSTed (Standard Webhooks signatures).
import { createRoute } from "@hono/zod-openapi";
import { TENANT_LIMITS } from "../../domain/limits.ts";
import { ErrorResponse, errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import {
  WEBHOOK_PAYLOADS,
  WebhookDeliveryHeaders,
  WebhookEndpointCreate,
  WebhookEndpointCreated,
  WebhookEndpointIdParam,
  WebhookEndpointList,
  WebhookEndpointListQuery,
  webhookEventSchema,
} from "../../schemas/webhooks.ts";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
} from "../../services/webhooks/endpoints.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";
import type { App } from "../types.ts";
import { idempotent } from "./idempotency.ts";

const base = { tags: ["Admin: webhooks"], security: [{ apiKey: [] }] };

const listRoute = createRoute({
  operationId: "listWebhookEndpoints",
  summary: "List webhook endpoints",
  description:
    "Endpoints, oldest first, one page at a time; never their signing secrets. The payloads they receive are described under `webhooks`.",
  ...base,
  method: "get",
  path: "/v1/admin/webhook-endpoints",
  request: { query: WebhookEndpointListQuery },
  responses: {
    200: jsonResponse(WebhookEndpointList, "Endpoints, oldest first (never their secrets)"),
    ...errorResponses(401),
  },
});

const createEndpointRoute = createRoute({
  operationId: "createWebhookEndpoint",
  summary: "Add a webhook endpoint",
  ...base,
  method: "post",
  path: "/v1/admin/webhook-endpoints",
  description:
    "The signing secret is shown only in this 201 and is never stored in plaintext, not even for an " +
    "`Idempotency-Key` replay: a repeat with the same key and body creates no second endpoint but answers 409 " +
    "`CONFLICT` naming the endpoint that was created. It is listed by `GET /v1/admin/webhook-endpoints`; if its " +
    "secret was lost, delete it and create another.",
  middleware: [
    idempotent({
      secret: {
        redact: ({ secret: _secret, ...rest }) => rest,
        refusal: (stored) =>
          `This Idempotency-Key already created webhook endpoint ${String(stored.id)}; its signing secret is shown ` +
          "only once and cannot be shown again. Find it in GET /v1/admin/webhook-endpoints, and delete it and " +
          "create another if the secret was lost",
      },
    }),
  ],
  request: { headers: IdempotencyHeader, ...jsonBody(WebhookEndpointCreate) },
  responses: {
    201: jsonResponse(WebhookEndpointCreated, "Created; the signing secret is shown only now"),
    ...errorResponses(401, 409, 413),
    422: jsonResponse(
      ErrorResponse,
      `URL_NOT_PUBLIC (not a public host on the default https port); LIMIT_REACHED (at most ${TENANT_LIMITS.webhookEndpointsPerTenant} webhook endpoints per business); or IDEMPOTENCY_KEY_REUSED`,
    ),
  },
});

const deleteRoute = createRoute({
  operationId: "deleteWebhookEndpoint",
  summary: "Remove a webhook endpoint",
  description: "No further deliveries are made to it, retries included.",
  ...base,
  method: "delete",
  path: "/v1/admin/webhook-endpoints/{id}",
  request: { params: WebhookEndpointIdParam },
  responses: { 204: { description: "Deleted: no further deliveries" }, ...errorResponses(401, 404, 413) },
});

/** The outgoing deliveries, one per event type, published under the document's top-level `webhooks`. */
const EVENT_SUMMARIES: Record<keyof typeof WEBHOOK_PAYLOADS, string> = {
  "booking.created": "A booking was made (confirmed, or held until paid)",
  "booking.confirmed": "A held booking was paid for and is confirmed",
  "booking.cancelled": "A booking was cancelled by the customer or the business",
  "booking.rescheduled": "A booking moved to another start",
  "booking.expired": "A payment hold lapsed unpaid; the slot is free again",
  ping: "A test event, sent to one endpoint on request",
};

function registerOutgoingWebhooks(app: App): void {
  for (const type of Object.keys(WEBHOOK_PAYLOADS) as (keyof typeof WEBHOOK_PAYLOADS)[]) {
    app.openAPIRegistry.registerWebhook({
      method: "post",
      path: type,
      operationId: `${type.replace(/\.(\w)/, (_m, c: string) => c.toUpperCase())}Webhook`,
      tags: ["Webhooks"],
      summary: EVENT_SUMMARIES[type],
      description:
        (type === "ping"
          ? "POSTed to the one endpoint named by `POST /v1/admin/webhook-endpoints/{id}/test`, whatever its event types, through the outbox like every event, signed per "
          : `POSTed to every endpoint subscribed to \`${type}\` (\`POST /v1/admin/webhook-endpoints\`), signed per `) +
        "Standard Webhooks. A 2xx answer is a delivery; anything else (a redirect included), or no answer within the " +
        "timeout (10 s by default), is retried later with the same `webhook-id`, so receivers must deduplicate on it. Events may arrive " +
        "out of order.",
      security: [],
      request: {
        headers: WebhookDeliveryHeaders,
        body: { required: true, content: { "application/json": { schema: webhookEventSchema(type) } } },
      },
      responses: {
        200: { description: "Any 2xx: delivered" },
        default: { description: "Anything else: retried later" },
      },
    });
  }
}

export function registerWebhookEndpointRoutes(app: App): void {
  registerOutgoingWebhooks(app);
  app.openapi(listRoute, async (c) =>
    c.json(await listWebhookEndpoints({ ctx: adminCtx(c), input: c.req.valid("query") }), 200),
  );
  app.openapi(createEndpointRoute, async (c) =>
    c.json(await createWebhookEndpoint({ ctx: adminCtx(c), input: c.req.valid("json") }), 201),
  );
  app.openapi(deleteRoute, async (c) => {
    await deleteWebhookEndpoint({ ctx: adminCtx(c), input: c.req.valid("param") });
    return c.body(null, 204);
  });
}
