// /v1/admin/customers: search, a customer's page (bookings, counts, private notes) and editing the notes.
import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import {
  CustomerDetail,
  CustomerIdParam,
  CustomerList,
  CustomerListQuery,
  CustomerPatch,
} from "../../schemas/customer.ts";
import { getCustomer, listCustomers, updateCustomer } from "../../services/customers/customers.ts";
import { adminCtx } from "../context.ts";
import type { App } from "../types.ts";

const base = { tags: ["Admin: customers"], security: [{ apiKey: [] }] };
const path = "/v1/admin/customers/{id}";

const routes = {
  list: createRoute({
    operationId: "listCustomers",
    summary: "List or search customers",
    description: "Oldest first; `q` searches name, e-mail and phone.",
    ...base,
    method: "get",
    path: "/v1/admin/customers",
    request: { query: CustomerListQuery },
    responses: { 200: jsonResponse(CustomerList, "A page of customers"), ...errorResponses(401) },
  }),
  get: createRoute({
    operationId: "getCustomer",
    summary: "Read a customer",
    description: "With private notes, booking counts and the latest bookings.",
    ...base,
    method: "get",
    path,
    request: { params: CustomerIdParam },
    responses: { 200: jsonResponse(CustomerDetail, "The customer"), ...errorResponses(401, 404) },
  }),
  patch: createRoute({
    operationId: "updateCustomer",
    summary: "Edit a customer's private notes",
    description: "At most 5,000 characters; null or empty clears them.",
    ...base,
    method: "patch",
    path,
    request: { params: CustomerIdParam, ...jsonBody(CustomerPatch) },
    responses: { 200: jsonResponse(CustomerDetail, "Updated"), ...errorResponses(401, 404, 413) },
  }),
};

export function registerCustomerRoutes(app: App): void {
  app.openapi(routes.list, async (c) =>
    c.json(await listCustomers({ ctx: adminCtx(c), input: c.req.valid("query") }), 200),
  );
  app.openapi(routes.get, async (c) =>
    c.json(await getCustomer({ ctx: adminCtx(c), id: c.req.valid("param").id }), 200),
  );
  app.openapi(routes.patch, async (c) =>
    c.json(await updateCustomer({ ctx: adminCtx(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200),
  );
}
