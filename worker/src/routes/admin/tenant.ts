// GET|PATCH /v1/admin/tenant: the key's own tenant settings.
import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import { Tenant, TenantPatch } from "../../schemas/tenant.ts";
import { getTenant, updateTenant } from "../../services/tenants/tenants.ts";
import { adminCtx } from "../context.ts";
import type { App } from "../types.ts";

const security = [{ apiKey: [] }];

const getRoute = createRoute({
  operationId: "getTenant",
  summary: "Read the business",
  description: "The business the API key belongs to: name, slug, time zone, currency, branding and policies.",
  method: "get",
  path: "/v1/admin/tenant",
  tags: ["Admin: tenant"],
  security,
  responses: { 200: jsonResponse(Tenant, "The tenant"), ...errorResponses(401) },
});

const patchRoute = createRoute({
  operationId: "updateTenant",
  summary: "Update the business",
  description:
    "Changes only the fields sent (name, time zone, currency, branding, policies); answers the whole business. Changing the currency while services are priced in it is 409 `CONFLICT`.",
  method: "patch",
  path: "/v1/admin/tenant",
  tags: ["Admin: tenant"],
  security,
  request: jsonBody(TenantPatch),
  responses: { 200: jsonResponse(Tenant, "Updated tenant"), ...errorResponses(401, 409, 413) },
});

export function registerTenantRoutes(app: App): void {
  app.openapi(getRoute, async (c) => c.json(await getTenant({ ctx: adminCtx(c) }), 200));
  app.openapi(patchRoute, async (c) =>
    c.json(await updateTenant({ ctx: adminCtx(c), input: c.req.valid("json") }), 200),
  );
}
