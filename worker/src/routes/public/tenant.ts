// Resolves `/v1/public/{tenant}/…` slugs to a tenant id; an unknown slug is a 404 like any other missing object.
import { createMiddleware } from "hono/factory";
import { NotFound } from "../../errors.ts";
import { resolveTenantSlug } from "../../services/tenants/tenants.ts";
import type { AppEnv } from "../types.ts";

export const resolvePublicTenant = createMiddleware<AppEnv>(async (c, next) => {
  const tenantId = await resolveTenantSlug({ db: c.var.db(), slug: c.req.param("tenant") ?? "" });
  if (!tenantId) throw new NotFound("Business");
  c.set("tenantId", tenantId);
  await next();
});
