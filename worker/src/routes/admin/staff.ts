// /v1/admin/staff: staff members with their services and weekly hours, plus time off and per-date overrides.
import { createRoute } from "@hono/zod-openapi";
import { TENANT_LIMITS } from "../../domain/limits.ts";
import { errorResponses, jsonBody, jsonResponse, limitReachedResponse, Pagination } from "../../schemas/common.ts";
import {
  OverrideInput,
  OverrideList,
  OverrideParams,
  OverrideQuery,
  Override as OverrideSchema,
  Staff,
  StaffCreate,
  StaffIdParam,
  StaffList,
  StaffPatch,
  TimeOff,
  TimeOffCreate,
  TimeOffList,
  TimeOffParams,
} from "../../schemas/staff.ts";
import { listOverrides, putOverride, removeOverride } from "../../services/staff/overrides.ts";
import { createStaff, deleteStaff, getStaff, listStaff, updateStaff } from "../../services/staff/staff.ts";
import { addTimeOff, listTimeOff, removeTimeOff } from "../../services/staff/time-off.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";
import type { App } from "../types.ts";
import { idempotent } from "./idempotency.ts";

const base = { tags: ["Admin: staff"], security: [{ apiKey: [] }] };
const deleted = { 204: { description: "Deleted" } };
const path = "/v1/admin/staff/{id}";

const routes = {
  list: createRoute({
    operationId: "listStaff",
    summary: "List staff members",
    description:
      "Staff members, oldest first, one page at a time (`limit`, `cursor` = the previous page's `nextCursor`).",
    ...base,
    method: "get",
    path: "/v1/admin/staff",
    request: { query: Pagination },
    responses: { 200: jsonResponse(StaffList, "Staff, oldest first"), ...errorResponses(401) },
  }),
  create: createRoute({
    operationId: "createStaff",
    summary: "Add a staff member",
    description:
      "Adds a staff member with the services they perform and their weekly hours (ISO weekdays, wall-clock times in the business's time zone). Accepts an `Idempotency-Key`.",
    ...base,
    method: "post",
    path: "/v1/admin/staff",
    middleware: [idempotent()],
    request: { headers: IdempotencyHeader, ...jsonBody(StaffCreate) },
    responses: {
      201: jsonResponse(Staff, "Created"),
      ...errorResponses(401, 409, 413),
      ...limitReachedResponse(
        `at most ${TENANT_LIMITS.staffPerTenant} staff members per business and ${TENANT_LIMITS.staffPerService} per service`,
      ),
    },
  }),
  get: createRoute({
    operationId: "getStaff",
    summary: "Read a staff member",
    description: "One staff member with their services and weekly hours; another business's id is 404.",
    ...base,
    method: "get",
    path,
    request: { params: StaffIdParam },
    responses: { 200: jsonResponse(Staff, "The staff member"), ...errorResponses(401, 404) },
  }),
  patch: createRoute({
    operationId: "updateStaff",
    summary: "Update a staff member",
    description: "Changes only the fields sent; `serviceIds` and `weeklyHours`, when sent, replace the previous ones.",
    ...base,
    method: "patch",
    path,
    request: { params: StaffIdParam, ...jsonBody(StaffPatch) },
    responses: {
      200: jsonResponse(Staff, "Updated"),
      ...errorResponses(401, 404, 413),
      ...limitReachedResponse(`at most ${TENANT_LIMITS.staffPerService} staff members per service`),
    },
  }),
  delete: createRoute({
    operationId: "deleteStaff",
    summary: "Remove a staff member",
    description: "Removes the staff member; one with upcoming bookings is 409 `CONFLICT`.",
    ...base,
    method: "delete",
    path,
    request: { params: StaffIdParam },
    responses: { ...deleted, ...errorResponses(401, 404, 409, 413) },
  }),
  listTimeOff: createRoute({
    operationId: "listTimeOff",
    summary: "List a staff member's time off",
    description: "Time off entries, oldest first, one page at a time.",
    ...base,
    method: "get",
    path: `${path}/time-off`,
    request: { params: StaffIdParam, query: Pagination },
    responses: { 200: jsonResponse(TimeOffList, "Time off, oldest entry first"), ...errorResponses(401, 404) },
  }),
  addTimeOff: createRoute({
    operationId: "createTimeOff",
    summary: "Add time off for a staff member",
    description: "Blocks `[start, end)` (instants) for the staff member. Accepts an `Idempotency-Key`.",
    ...base,
    method: "post",
    path: `${path}/time-off`,
    middleware: [idempotent()],
    request: { params: StaffIdParam, headers: IdempotencyHeader, ...jsonBody(TimeOffCreate) },
    responses: { 201: jsonResponse(TimeOff, "Created"), ...errorResponses(401, 404, 409, 413, 422) },
  }),
  removeTimeOff: createRoute({
    operationId: "deleteTimeOff",
    summary: "Remove a time off entry",
    description: "The time is bookable again.",
    ...base,
    method: "delete",
    path: `${path}/time-off/{timeOffId}`,
    request: { params: TimeOffParams },
    responses: { ...deleted, ...errorResponses(401, 404, 413) },
  }),
  listOverrides: createRoute({
    operationId: "listOverrides",
    summary: "List a staff member's date overrides",
    description:
      "Per-date hours that replace the weekly hours, by date, one page at a time; `from`/`to` narrow the dates.",
    ...base,
    method: "get",
    path: `${path}/overrides`,
    request: { params: StaffIdParam, query: OverrideQuery },
    responses: { 200: jsonResponse(OverrideList, "Overrides by date"), ...errorResponses(401, 404) },
  }),
  putOverride: createRoute({
    operationId: "setOverride",
    summary: "Set a staff member's hours for one date",
    description: "That local date's intervals replace the week's hours; an empty list is a day off.",
    ...base,
    method: "put",
    path: `${path}/overrides/{date}`,
    request: { params: OverrideParams, ...jsonBody(OverrideInput) },
    responses: {
      200: jsonResponse(OverrideSchema, "That date's hours"),
      ...errorResponses(401, 404, 413),
      ...limitReachedResponse(
        `at most ${TENANT_LIMITS.futureOverridesPerStaff} overrides dated today or later per staff member`,
      ),
    },
  }),
  removeOverride: createRoute({
    operationId: "deleteOverride",
    summary: "Remove a date override",
    description: "The date follows the weekly hours again.",
    ...base,
    method: "delete",
    path: `${path}/overrides/{date}`,
    request: { params: OverrideParams },
    responses: { ...deleted, ...errorResponses(401, 404, 413) },
  }),
};

export function registerStaffRoutes(app: App): void {
  app.openapi(routes.list, async (c) =>
    c.json(await listStaff({ ctx: adminCtx(c), input: c.req.valid("query") }), 200),
  );
  app.openapi(routes.create, async (c) =>
    c.json(await createStaff({ ctx: adminCtx(c), input: c.req.valid("json") }), 201),
  );
  app.openapi(routes.get, async (c) => c.json(await getStaff({ ctx: adminCtx(c), input: c.req.valid("param") }), 200));
  app.openapi(routes.patch, async (c) =>
    c.json(
      await updateStaff({ ctx: adminCtx(c), input: { id: c.req.valid("param").id, patch: c.req.valid("json") } }),
      200,
    ),
  );
  app.openapi(routes.delete, async (c) => {
    await deleteStaff({ ctx: adminCtx(c), input: c.req.valid("param") });
    return c.body(null, 204);
  });
  app.openapi(routes.listTimeOff, async (c) =>
    c.json(
      await listTimeOff({ ctx: adminCtx(c), input: { ...c.req.valid("query"), staffId: c.req.valid("param").id } }),
      200,
    ),
  );
  app.openapi(routes.addTimeOff, async (c) =>
    c.json(
      await addTimeOff({ ctx: adminCtx(c), input: { ...c.req.valid("json"), staffId: c.req.valid("param").id } }),
      201,
    ),
  );
  app.openapi(routes.removeTimeOff, async (c) => {
    const { id, timeOffId } = c.req.valid("param");
    await removeTimeOff({ ctx: adminCtx(c), input: { staffId: id, timeOffId } });
    return c.body(null, 204);
  });
  app.openapi(routes.listOverrides, async (c) =>
    c.json(
      await listOverrides({ ctx: adminCtx(c), input: { ...c.req.valid("query"), staffId: c.req.valid("param").id } }),
      200,
    ),
  );
  app.openapi(routes.putOverride, async (c) => {
    const { id, date } = c.req.valid("param");
    return c.json(await putOverride({ ctx: adminCtx(c), input: { ...c.req.valid("json"), staffId: id, date } }), 200);
  });
  app.openapi(routes.removeOverride, async (c) => {
    const { id, date } = c.req.valid("param");
    await removeOverride({ ctx: adminCtx(c), input: { staffId: id, date } });
    return c.body(null, 204);
  });
}
