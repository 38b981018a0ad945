// /v1/admin/services: the bookable services, with their price, booking rules and the staff who perform them.
import { createRoute } from "@hono/zod-openapi";
import { TENANT_LIMITS } from "../../domain/limits.ts";
import { errorResponses, jsonBody, jsonResponse, limitReachedResponse, Pagination } from "../../schemas/common.ts";
import { Service, ServiceCreate, ServiceIdParam, ServiceList, ServicePatch } from "../../schemas/service.ts";
import {
  createService,
  deleteService,
  getService,
  listServices,
  updateService,
} from "../../services/services/services.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";
import type { App } from "../types.ts";
import { idempotent } from "./idempotency.ts";

const base = { tags: ["Admin: services"], security: [{ apiKey: [] }] };
const path = "/v1/admin/services/{id}";

const routes = {
  list: createRoute({
    operationId: "listServices",
    summary: "List services",
    description: "Services, oldest first, one page at a time (`limit`, `cursor` = the previous page's `nextCursor`).",
    ...base,
    method: "get",
    path: "/v1/admin/services",
    request: { query: Pagination },
    responses: { 200: jsonResponse(ServiceList, "Services, oldest first"), ...errorResponses(401) },
  }),
  create: createRoute({
    operationId: "createService",
    summary: "Add a service",
    description:
      "Adds a bookable service: duration, price, buffers, notice, booking window, slot step, optional deposit and the staff who perform it. Accepts an `Idempotency-Key`.",
    ...base,
    method: "post",
    path: "/v1/admin/services",
    middleware: [idempotent()],
    request: { headers: IdempotencyHeader, ...jsonBody(ServiceCreate) },
    responses: {
      201: jsonResponse(Service, "Created"),
      ...errorResponses(401, 409, 413),
      ...limitReachedResponse(
        `at most ${TENANT_LIMITS.servicesPerTenant} services per business and ${TENANT_LIMITS.staffPerService} staff members per service`,
      ),
    },
  }),
  get: createRoute({
    operationId: "getService",
    summary: "Read a service",
    description: "One service with its staff; another business's id is 404.",
    ...base,
    method: "get",
    path,
    request: { params: ServiceIdParam },
    responses: { 200: jsonResponse(Service, "The service"), ...errorResponses(401, 404) },
  }),
  patch: createRoute({
    operationId: "updateService",
    summary: "Update a service",
    description: "Changes only the fields sent; `staffIds`, when sent, replaces the previous list.",
    ...base,
    method: "patch",
    path,
    request: { params: ServiceIdParam, ...jsonBody(ServicePatch) },
    responses: {
      200: jsonResponse(Service, "Updated"),
      ...errorResponses(401, 404, 413),
      ...limitReachedResponse(`at most ${TENANT_LIMITS.staffPerService} staff members per service`),
    },
  }),
  delete: createRoute({
    operationId: "deleteService",
    summary: "Remove a service",
    description: "Removes the service from the catalog; one with upcoming bookings is 409 `CONFLICT`.",
    ...base,
    method: "delete",
    path,
    request: { params: ServiceIdParam },
    responses: { 204: { description: "Deleted" }, ...errorResponses(401, 404, 409, 413) },
  }),
};

export function registerServiceRoutes(app: App): void {
  app.openapi(routes.list, async (c) =>
    c.json(await listServices({ ctx: adminCtx(c), input: c.req.valid("query") }), 200),
  );
  app.openapi(routes.create, async (c) =>
    c.json(await createService({ ctx: adminCtx(c), input: c.req.valid("json") }), 201),
  );
  app.openapi(routes.get, async (c) =>
    c.json(await getService({ ctx: adminCtx(c), input: c.req.valid("param") }), 200),
  );
  app.openapi(routes.patch, async (c) =>
    c.json(
      await updateService({ ctx: adminCtx(c), input: { id: c.req.valid("param").id, patch: c.req.valid("json") } }),
      200,
    ),
  );
  app.openapi(routes.delete, async (c) => {
    await deleteService({ ctx: adminCtx(c), input: c.req.valid("param") });
    return c.body(null, 204);
  });
}
