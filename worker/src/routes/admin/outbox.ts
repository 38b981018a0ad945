// /v1/admin/outbox: events whose side effects are pending, failing or dead, and a retry for failed or dead ones.
import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonResponse } from "../../schemas/common.ts";
import { OutboxIdParam, OutboxItem, OutboxList, OutboxListQuery } from "../../schemas/outbox.ts";
import { listOutbox, retryOutbox } from "../../services/outbox/outbox.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";
import type { App } from "../types.ts";
import { idempotent } from "./idempotency.ts";

const base = { tags: ["Admin: outbox"], security: [{ apiKey: [] }] };

const listRoute = createRoute({
  operationId: "listOutboxEvents",
  summary: "List events not yet delivered",
  description:
    "Outbox events that are pending, failed (to be retried) or dead (retries exhausted), oldest first; `status` narrows them.",
  ...base,
  method: "get",
  path: "/v1/admin/outbox",
  request: { query: OutboxListQuery },
  responses: { 200: jsonResponse(OutboxList, "Events not done yet, oldest first"), ...errorResponses(401) },
});

const retryRoute = createRoute({
  operationId: "retryOutboxEvent",
  summary: "Retry an event",
  description:
    "Makes a failed or dead event pending again and sends it to the queue; a done event is 409 `CONFLICT`. Accepts an `Idempotency-Key`.",
  ...base,
  method: "post",
  path: "/v1/admin/outbox/{id}/retry",
  middleware: [idempotent()],
  request: { params: OutboxIdParam, headers: IdempotencyHeader },
  responses: {
    200: jsonResponse(OutboxItem, "Pending again and re-sent to the queue"),
    ...errorResponses(401, 404, 409, 413, 422),
  },
});

export function registerOutboxRoutes(app: App): void {
  app.openapi(listRoute, async (c) => c.json(await listOutbox({ ctx: adminCtx(c), input: c.req.valid("query") }), 200));
  app.openapi(retryRoute, async (c) =>
    c.json(await retryOutbox({ ctx: adminCtx(c), input: c.req.valid("param") }), 200),
  );
}
