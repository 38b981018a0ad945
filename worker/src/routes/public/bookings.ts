// Public booking routes: create (any or a specific staff member), and view / cancel / reschedule with the manage token.
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { Unauthenticated } from "../../errors.ts";
import { Booking, BookingCreated, BookingInput, RescheduleInput } from "../../schemas/booking.ts";
import { TenantSlugParam } from "../../schemas/catalog.ts";
import { errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import { CancellationQuote } from "../../schemas/refund.ts";
import { createBooking, createPublicBookingBySlug } from "../../services/bookings/create.ts";
import { type Actor, cancelBooking, getBooking, rescheduleBooking } from "../../services/bookings/manage.ts";
import { idempotencyRequest } from "../../services/idempotency/keys.ts";
import { quoteCancellation } from "../../services/refunds/refunds.ts";
import { publicCtx, publicSlugCtx, tenantCtx } from "../context.ts";
import { clientAddress } from "../rate-limit.ts";
import type { App, AppEnv } from "../types.ts";
import { PublicIdempotencyHeader } from "./idempotency-header.ts";
import { requirePublicTenant } from "./tenant.ts";

const BookingPath = TenantSlugParam.extend({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});
const TokenQuery = z.object({
  token: z.string().max(100).optional().openapi({ description: "Manage token (for e-mail links)" }),
});
const tags = ["Public: bookings"];

const createRouteDef = createRoute({
  operationId: "createPublicBooking",
  description:
    "Books a start that `listAvailability` offers. Without `staffId` any free staff member is chosen. The booking is `confirmed` when nothing is owed up front, else `pending_payment`: the slot is held until `holdExpiresAt` and `checkout.url` takes the payment. A start that is not offered, or is taken, is 409 `SLOT_UNAVAILABLE`; too many open holds 409 `TOO_MANY_HOLDS`. The `manageToken` authorises viewing, cancelling and rescheduling. Rate limited per caller address (429 `RATE_LIMITED` with `Retry-After`).",
  security: [],
  method: "post",
  path: "/v1/public/{tenant}/bookings",
  tags,
  summary: "Book a slot (no staffId = any free staff member)",
  request: { params: TenantSlugParam, headers: PublicIdempotencyHeader, ...jsonBody(BookingInput) },
  responses: { 201: jsonResponse(BookingCreated, "Booked or held"), ...errorResponses(404, 409, 413, 422, 429) },
});

const getRouteDef = createRoute({
  operationId: "getPublicBooking",
  summary: "Read a booking with its manage token",
  description:
    "Authorised by the booking's manage token, sent as `Authorization: Bearer <manageToken>` or as `?token=` (e-mail links); without it the answer is 401, with a wrong one 404.",
  security: [],
  method: "get",
  path: "/v1/public/{tenant}/bookings/{id}",
  tags,
  request: { params: BookingPath, query: TokenQuery },
  responses: { 200: jsonResponse(Booking, "The booking"), ...errorResponses(401, 404) },
});

const cancelRouteDef = createRoute({
  operationId: "cancelPublicBooking",
  summary: "Cancel a booking with its manage token",
  description:
    "Cancels a pending or confirmed booking that has not started (409 `CONFLICT` otherwise); cancelling a cancelled booking answers it again. Authorised by the manage token (bearer or `?token=`). Rate limited per booking and per caller address (429 `RATE_LIMITED` with `Retry-After`).",
  security: [],
  method: "post",
  path: "/v1/public/{tenant}/bookings/{id}/cancel",
  tags,
  request: { params: BookingPath, query: TokenQuery },
  responses: { 200: jsonResponse(Booking, "Cancelled"), ...errorResponses(401, 404, 409, 413, 429) },
});

const rescheduleRouteDef = createRoute({
  operationId: "reschedulePublicBooking",
  summary: "Move a booking to another start with its manage token",
  description:
    "Moves the same booking atomically: the customer never holds both slots or neither. A start that is not offered is 409 `SLOT_UNAVAILABLE`; past the business's limit on customer reschedules 409 `RESCHEDULE_LIMIT_REACHED`. Authorised by the manage token (bearer or `?token=`). Rate limited per booking and per caller address (429 `RATE_LIMITED` with `Retry-After`).",
  security: [],
  method: "post",
  path: "/v1/public/{tenant}/bookings/{id}/reschedule",
  tags,
  request: { params: BookingPath, query: TokenQuery, headers: PublicIdempotencyHeader, ...jsonBody(RescheduleInput) },
  responses: { 200: jsonResponse(Booking, "Moved"), ...errorResponses(401, 404, 409, 413, 422, 429) },
});

const quoteRouteDef = createRoute({
  operationId: "getPublicCancellationQuote",
  summary: "What cancelling now would refund",
  description:
    "Shown before the customer confirms a cancellation: what was paid, what cancelling now would refund and keep under the business's policy, and until when cancelling is free. Nothing changes. Authorised by the manage token (bearer or `?token=`).",
  security: [],
  method: "get",
  path: "/v1/public/{tenant}/bookings/{id}/cancellation",
  tags,
  request: { params: BookingPath, query: TokenQuery },
  responses: { 200: jsonResponse(CancellationQuote, "The quote"), ...errorResponses(401, 404) },
});

function customer(c: Context<AppEnv>): Actor {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const manageToken = bearer ?? c.req.query("token");
  if (!manageToken) throw new Unauthenticated("The booking's manage token is required");
  return { kind: "customer", manageToken };
}

export function registerPublicBookingRoutes(app: App): void {
  app.openapi(createRouteDef, async (c) => {
    const input = c.req.valid("json");
    const idem = await idempotencyRequest(c.req.valid("header")["idempotency-key"], "public.bookings.create", input);
    const address = clientAddress(c);
    const args = {
      input,
      source: "public" as const,
      idempotency: idem,
      clientAddress: address === "unknown" ? undefined : address,
    };
    // A known slug and schedule: one round trip, scoped by the slug itself. Otherwise the slug is looked up first.
    const bySlug = await createPublicBookingBySlug(c.req.valid("param").tenant, { ...args, ctx: publicSlugCtx(c) });
    const result = bySlug ?? (await createBooking({ ...args, ctx: tenantCtx(c, await requirePublicTenant(c)) }));
    return c.json(result.body, 201);
  });
  app.openapi(getRouteDef, async (c) => {
    return c.json(await getBooking({ ctx: publicCtx(c), id: c.req.valid("param").id, actor: customer(c) }), 200);
  });
  app.openapi(quoteRouteDef, async (c) => {
    const actor = customer(c);
    const id = c.req.valid("param").id;
    if (actor.kind !== "customer") throw new Unauthenticated();
    return c.json(await quoteCancellation({ ctx: publicCtx(c), id, manageToken: actor.manageToken }), 200);
  });
  app.openapi(cancelRouteDef, async (c) => {
    return c.json(await cancelBooking({ ctx: publicCtx(c), id: c.req.valid("param").id, actor: customer(c) }), 200);
  });
  app.openapi(rescheduleRouteDef, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const idem = await idempotencyRequest(
      c.req.valid("header")["idempotency-key"],
      `public.bookings.reschedule:${id}`,
      input,
    );
    const booking = await rescheduleBooking({
      ctx: publicCtx(c),
      id,
      actor: customer(c),
      start: input.start,
      idempotency: idem,
    });
    return c.json(booking, 200);
  });
}
