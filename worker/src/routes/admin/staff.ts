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
    ...base,
    method: "get",
    path: "/v1/admin/staff",
    request: { query: Pagination },
    responses: { 200: jsonResponse(StaffList, "Staff, oldest first"), ...errorResponses(400, 401) },
  }),
  create: createRoute({
    ...base,
    method: "post",
    path: "/v1/admin/staff",
    middleware: [idempotent()],
    request: { headers: IdempotencyHeader, ...jsonBody(StaffCreate) },
    responses: {
      201: jsonResponse(Staff, "Created"),
      ...errorResponses(400, 401, 409),
      ...limitReachedResponse(
        `at most ${TENANT_LIMITS.staffPerTenant} staff members per business and ${TENANT_LIMITS.staffPerService} per service`,
      ),
    },
  }),
  get: createRoute({
    ...base,
    method: "get",
    path,
    request: { params: StaffIdParam },
    responses: { 200: jsonResponse(Staff, "The staff member"), ...errorResponses(401, 404) },
  }),
  patch: createRoute({
    ...base,
    method: "patch",
    path,
    request: { params: StaffIdParam, ...jsonBody(StaffPatch) },
    responses: {
      200: jsonResponse(Staff, "Updated"),
      ...errorResponses(400, 401, 404),
      ...limitReachedResponse(`at most ${TENANT_LIMITS.staffPerService} staff members per service`),
    },
  }),
  delete: createRoute({
    ...base,
    method: "delete",
    path,
    request: { params: StaffIdParam },
    responses: { ...deleted, ...errorResponses(401, 404, 409) },
  }),
  listTimeOff: createRoute({
    ...base,
    method: "get",
    path: `${path}/time-off`,
    request: { params: StaffIdParam, query: Pagination },
    responses: { 200: jsonResponse(TimeOffList, "Time off, oldest entry first"), ...errorResponses(400, 401, 404) },
  }),
  addTimeOff: createRoute({
    ...base,
    method: "post",
    path: `${path}/time-off`,
    middleware: [idempotent()],
    request: { params: StaffIdParam, headers: IdempotencyHeader, ...jsonBody(TimeOffCreate) },
    responses: { 201: jsonResponse(TimeOff, "Created"), ...errorResponses(400, 401, 404, 409, 422) },
  }),
  removeTimeOff: createRoute({
    ...base,
    method: "delete",
    path: `${path}/time-off/{timeOffId}`,
    request: { params: TimeOffParams },
    responses: { ...deleted, ...errorResponses(401, 404) },
  }),
  listOverrides: createRoute({
    ...base,
    method: "get",
    path: `${path}/overrides`,
    request: { params: StaffIdParam, query: OverrideQuery },
    responses: { 200: jsonResponse(OverrideList, "Overrides by date"), ...errorResponses(400, 401, 404) },
  }),
  putOverride: createRoute({
    ...base,
    method: "put",
    path: `${path}/overrides/{date}`,
    request: { params: OverrideParams, ...jsonBody(OverrideInput) },
    responses: {
      200: jsonResponse(OverrideSchema, "That date's hours"),
      ...errorResponses(400, 401, 404),
      ...limitReachedResponse(
        `at most ${TENANT_LIMITS.futureOverridesPerStaff} overrides dated today or later per staff member`,
      ),
    },
  }),
  removeOverride: createRoute({
    ...base,
    method: "delete",
    path: `${path}/overrides/{date}`,
    request: { params: OverrideParams },
    responses: { ...deleted, ...errorResponses(400, 401, 404) },
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
