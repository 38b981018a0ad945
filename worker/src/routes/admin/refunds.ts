// Refunds of a booking (issue 13 item 5): the owner refunds any amount up to what is refundable, lists the booking's
// refunds with their state, and retries a failed one. Owner-only (domain/permissions.ts lists them for no other role).
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import { Refund, RefundInput, RefundList } from "../../schemas/refund.ts";
import { createRefund, listRefunds, retryRefund } from "../../services/refunds/refunds.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";
import type { App } from "../types.ts";
import { idempotent } from "./idempotency.ts";

const security = [{ apiKey: [] }];
const tags = ["Admin: bookings"];
const pathParam = (name: string) =>
  z
    .string()
    .max(64)
    .openapi({ param: { name, in: "path" } });
const IdPath = z.object({ id: pathParam("id") });
const RefundPath = z.object({ id: pathParam("id"), refundId: pathParam("refundId") });

const create = createRoute({
  operationId: "createRefund",
  summary: "Refund a booking",
  description:
    "Refunds `amount` minor units (absent: everything still refundable) of what the booking paid. Above what was paid minus what was refunded or is being refunded: 422 `REFUND_EXCEEDS_REFUNDABLE`; a negative or fractional amount, or a currency other than that of the booking's payment (the booking's, unless a mismatched payment brought another; see `amount_mismatch`): 400. The refund, its ledger entry and the effect that asks Stripe are written together; its state (pending → succeeded | failed) follows. Owner only. Accepts an `Idempotency-Key`.",
  method: "post",
  path: "/v1/admin/bookings/{id}/refunds",
  tags,
  security,
  middleware: [idempotent()],
  request: { params: IdPath, headers: IdempotencyHeader, ...jsonBody(RefundInput) },
  responses: { 201: jsonResponse(Refund, "Decided (pending)"), ...errorResponses(401, 403, 404, 409, 413, 422) },
});
const list = createRoute({
  operationId: "listRefunds",
  summary: "List a booking's refunds",
  description: "Every refund of the booking, oldest first, with its state; a failed one can be retried.",
  method: "get",
  path: "/v1/admin/bookings/{id}/refunds",
  tags,
  security,
  request: { params: IdPath },
  responses: { 200: jsonResponse(RefundList, "The refunds"), ...errorResponses(401, 403, 404) },
});
const retry = createRoute({
  operationId: "retryRefund",
  summary: "Retry a failed refund",
  description:
    "Asks Stripe again for a failed refund, as its next attempt (a new Stripe idempotency key). 409 `CONFLICT` unless the refund failed. Owner only.",
  method: "post",
  path: "/v1/admin/bookings/{id}/refunds/{refundId}/retry",
  tags,
  security,
  request: { params: RefundPath },
  responses: { 200: jsonResponse(Refund, "Pending again"), ...errorResponses(401, 403, 404, 409, 413) },
});

export function registerRefundRoutes(app: App): void {
  app.openapi(create, async (c) =>
    c.json(
      await createRefund({ ctx: adminCtx(c), bookingId: c.req.valid("param").id, input: c.req.valid("json") }),
      201,
    ),
  );
  app.openapi(list, async (c) =>
    c.json(await listRefunds({ ctx: adminCtx(c), bookingId: c.req.valid("param").id }), 200),
  );
  app.openapi(retry, async (c) => {
    const { id, refundId } = c.req.valid("param");
    return c.json(await retryRefund({ ctx: adminCtx(c), bookingId: id, refundId }), 200);
  });
}
