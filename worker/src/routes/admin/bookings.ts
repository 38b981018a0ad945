// Admin booking routes: walk-in/phone bookings under the same rules, listing, and the status changes (completion,
// with its desk payments, is booking-completion.ts).
import { createRoute, z } from "@hono/zod-openapi";
import {
  AdminBooking,
  Booking,
  BookingCreated,
  BookingInput,
  BookingList,
  BookingListQuery,
  RescheduleInput,
} from "../../schemas/booking.ts";
import { errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import { createBooking } from "../../services/bookings/create.ts";
import { getAdminBooking, listBookings } from "../../services/bookings/list.ts";
import { cancelBooking, recordOutcome, rescheduleBooking } from "../../services/bookings/manage.ts";
import { idempotencyRequest } from "../../services/idempotency/keys.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";
import type { App } from "../types.ts";

const security = [{ apiKey: [] }];
const tags = ["Admin: bookings"];
const IdPath = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});
const admin = { kind: "admin" } as const;

const list = createRoute({
  operationId: "listBookings",
  summary: "List bookings",
  description: "Bookings by start, filtered by time range, staff member, service and status, one page at a time.",
  method: "get",
  path: "/v1/admin/bookings",
  tags,
  security,
  request: { query: BookingListQuery },
  responses: { 200: jsonResponse(BookingList, "A page of bookings by start"), ...errorResponses(401) },
});
const create = createRoute({
  operationId: "createBooking",
  summary: "Book for a customer (walk-in or phone)",
  description:
    "An owner books under the same rules as the public API (the start must be offered; 409 `SLOT_UNAVAILABLE` otherwise). Accepts an `Idempotency-Key`.",
  method: "post",
  path: "/v1/admin/bookings",
  tags,
  security,
  request: { headers: IdempotencyHeader, ...jsonBody(BookingInput) },
  responses: { 201: jsonResponse(BookingCreated, "Booked"), ...errorResponses(401, 404, 409, 413, 422) },
});
const getOne = createRoute({
  operationId: "getBooking",
  summary: "Read a booking",
  description: "One booking with its customer, notes and source.",
  method: "get",
  path: "/v1/admin/bookings/{id}",
  tags,
  security,
  request: { params: IdPath },
  responses: { 200: jsonResponse(AdminBooking, "The booking"), ...errorResponses(401, 404) },
});
const cancel = createRoute({
  operationId: "cancelBooking",
  summary: "Cancel a booking",
  description:
    "Cancels a pending or confirmed booking that has not started (409 `CONFLICT` otherwise); cancelling a cancelled booking answers it again.",
  method: "post",
  path: "/v1/admin/bookings/{id}/cancel",
  tags,
  security,
  request: { params: IdPath },
  responses: { 200: jsonResponse(Booking, "Cancelled"), ...errorResponses(401, 404, 409, 413) },
});
const reschedule = createRoute({
  operationId: "rescheduleBooking",
  summary: "Move a booking to another start",
  description:
    "Moves the same booking atomically to a start that is offered (409 `SLOT_UNAVAILABLE` otherwise). Accepts an `Idempotency-Key`.",
  method: "post",
  path: "/v1/admin/bookings/{id}/reschedule",
  tags,
  security,
  request: { params: IdPath, headers: IdempotencyHeader, ...jsonBody(RescheduleInput) },
  responses: { 200: jsonResponse(Booking, "Moved"), ...errorResponses(401, 404, 409, 413, 422) },
});
const noShow = createRoute({
  operationId: "markBookingNoShow",
  summary: "Mark a booking as a no-show",
  description:
    "A confirmed booking that has started becomes `no_show` (marking it again answers it again); any other state, or a booking yet to start, is 409 `CONFLICT`.",
  method: "post",
  path: "/v1/admin/bookings/{id}/no-show",
  tags,
  security,
  request: { params: IdPath },
  responses: { 200: jsonResponse(Booking, "Marked no-show"), ...errorResponses(401, 404, 409, 413) },
});

export function registerBookingRoutes(app: App): void {
  app.openapi(list, async (c) => c.json(await listBookings({ ctx: adminCtx(c), input: c.req.valid("query") }), 200));
  app.openapi(create, async (c) => {
    const input = c.req.valid("json");
    const idem = await idempotencyRequest(c.req.valid("header")["idempotency-key"], "admin.bookings.create", input);
    const result = await createBooking({ ctx: adminCtx(c), input, source: "admin", idempotency: idem });
    return c.json(result.body, 201);
  });
  app.openapi(getOne, async (c) =>
    c.json(await getAdminBooking({ ctx: adminCtx(c), id: c.req.valid("param").id }), 200),
  );
  app.openapi(cancel, async (c) =>
    c.json(await cancelBooking({ ctx: adminCtx(c), id: c.req.valid("param").id, actor: admin }), 200),
  );
  app.openapi(reschedule, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const idem = await idempotencyRequest(
      c.req.valid("header")["idempotency-key"],
      `admin.bookings.reschedule:${id}`,
      input,
    );
    return c.json(
      await rescheduleBooking({ ctx: adminCtx(c), id, actor: admin, start: input.start, idempotency: idem }),
      200,
    );
  });
  app.openapi(noShow, async (c) =>
    c.json(await recordOutcome({ ctx: adminCtx(c), id: c.req.valid("param").id, outcome: "no_show" }), 200),
  );
}
