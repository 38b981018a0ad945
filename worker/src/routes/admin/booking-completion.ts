// Completing a booking with what was paid at the venue (docs/API.md "Completing a booking"), and reading what the
// desk should collect before it.
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { ErrorResponse, errorResponses, jsonResponse } from "../../schemas/common.ts";
import { CompletedBooking, CompletionInput, CompletionQuote } from "../../schemas/completion.ts";
import { completeBooking } from "../../services/desk/complete.ts";
import { getCompletionQuote } from "../../services/desk/read.ts";
import { adminCtx } from "../context.ts";
import type { App } from "../types.ts";

const security = [{ apiKey: [] }];
const tags = ["Admin: bookings"];
const IdPath = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});
const error = (description: string) => ({ description, content: { "application/json": { schema: ErrorResponse } } });

const complete = createRoute({
  operationId: "completeBooking",
  summary: "Mark a booking completed, with what was paid at the desk",
  description:
    "A confirmed booking becomes `completed`. The optional body records the money taken at the venue by method, a tip " +
    "for a staff member and a discount; the balance due is price − deposits held − discount, and the payments must " +
    "equal it plus the tip. The completion and commission journal entries post in the same transaction. Completing " +
    "again with the same body answers the first completion; with another body it is 409 `ALREADY_COMPLETED`.",
  method: "post",
  path: "/v1/admin/bookings/{id}/complete",
  tags,
  security,
  request: {
    params: IdPath,
    body: { required: false, content: { "application/json": { schema: CompletionInput } } },
  },
  responses: {
    200: jsonResponse(CompletedBooking, "Completed (or the first completion, replayed)"),
    ...errorResponses(401, 404, 413),
    409: error(
      "CONFLICT (not a confirmed booking), ALREADY_COMPLETED (completed with another body) or DEPOSITS_EXCEED_PRICE",
    ),
    422: error(
      "DESK_OVERPAID (payments exceed the balance due plus the tip), BALANCE_DUE (less paid, and `acceptBalanceDue` not set), TIP_EXCEEDS_PAYMENTS or DISCOUNT_EXCEEDS_BALANCE",
    ),
  },
});

const quote = createRoute({
  operationId: "getBookingCompletion",
  summary: "What the desk should collect, or what the completion recorded",
  description:
    "Before completion: the price, the deposits the booking holds and the balance due (`status: open`). After: the " +
    "completion recorded (`status: completed`).",
  method: "get",
  path: "/v1/admin/bookings/{id}/completion",
  tags,
  security,
  request: { params: IdPath },
  responses: { 200: jsonResponse(CompletionQuote, "The balance due or the completion"), ...errorResponses(401, 404) },
});

/**
 * Before the body was defined, callers completed with a JSON content type and no body at all; they keep working: an
 * empty body means "no body", whatever its content type says (a malformed non-empty body is still a 400).
 */
const emptyBodyIsNone: MiddlewareHandler = async (c, next) => {
  const raw = c.req.raw;
  if (raw.method === "POST" && raw.body !== null && (await raw.clone().text()) === "") {
    const headers = new Headers(raw.headers);
    headers.delete("content-type");
    headers.delete("content-length");
    c.req.raw = new Request(raw.url, { method: raw.method, headers, signal: raw.signal });
  }
  await next();
};

export function registerBookingCompletionRoutes(app: App): void {
  app.use(complete.getRoutingPath(), emptyBodyIsNone);
  app.openapi(complete, async (c) =>
    c.json(await completeBooking({ ctx: adminCtx(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200),
  );
  app.openapi(quote, async (c) =>
    c.json(await getCompletionQuote({ ctx: adminCtx(c), id: c.req.valid("param").id }), 200),
  );
}
