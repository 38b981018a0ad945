// Public booking routes: create (any or a specific staff member), and view / cancel / reschedule with the manage token.
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { Unauthenticated } from "../../errors.ts";
import { Booking, BookingCreated, BookingInput, RescheduleInput } from "../../schemas/booking.ts";
import { TenantSlugParam } from "../../schemas/catalog.ts";
import { errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import { createBooking } from "../../services/bookings/create.ts";
import { idempotencyRequest } from "../../services/bookings/idempotency.ts";
import { type Actor, cancelBooking, getBooking, rescheduleBooking } from "../../services/bookings/manage.ts";
import { publicCtx } from "../context.ts";
import { clientAddress } from "../rate-limit.ts";
import type { App, AppEnv } from "../types.ts";
import { PublicIdempotencyHeader } from "./idempotency-header.ts";

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
  method: "post",
  path: "/v1/public/{tenant}/bookings",
  tags,
  summary: "Book a slot (no staffId = any free staff member)",
  request: { params: TenantSlugParam, headers: PublicIdempotencyHeader, ...jsonBody(BookingInput) },
  responses: { 201: jsonResponse(BookingCreated, "Booked or held"), ...errorResponses(400, 404, 409, 422, 429) },
});

const getRouteDef = createRoute({
  method: "get",
  path: "/v1/public/{tenant}/bookings/{id}",
  tags,
  request: { params: BookingPath, query: TokenQuery },
  responses: { 200: jsonResponse(Booking, "The booking"), ...errorResponses(401, 404) },
});

const cancelRouteDef = createRoute({
  method: "post",
  path: "/v1/public/{tenant}/bookings/{id}/cancel",
  tags,
  request: { params: BookingPath, query: TokenQuery },
  responses: { 200: jsonResponse(Booking, "Cancelled"), ...errorResponses(401, 404, 409, 429) },
});

const rescheduleRouteDef = createRoute({
  method: "post",
  path: "/v1/public/{tenant}/bookings/{id}/reschedule",
  tags,
  request: { params: BookingPath, query: TokenQuery, headers: PublicIdempotencyHeader, ...jsonBody(RescheduleInput) },
  responses: { 200: jsonResponse(Booking, "Moved"), ...errorResponses(400, 401, 404, 409, 422, 429) },
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
    const result = await createBooking({
      ctx: publicCtx(c),
      input,
      source: "public",
      idempotency: idem,
      clientAddress: address === "unknown" ? undefined : address,
    });
    return c.json(result.body, 201);
  });
  app.openapi(getRouteDef, async (c) => {
    return c.json(await getBooking({ ctx: publicCtx(c), id: c.req.valid("param").id, actor: customer(c) }), 200);
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
