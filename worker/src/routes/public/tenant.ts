// Resolves `/v1/public/{tenant}/…` slugs to a tenant id; an unknown slug is a 404 like any other missing object.
// The catalog and availability reads resolve theirs in their one round trip instead (services check the pattern).
import { createMiddleware } from "hono/factory";
import { NotFound } from "../../errors.ts";
import { resolveTenantSlug } from "../../services/tenants/tenants.ts";
import type { AppEnv } from "../types.ts";

/** The reads that resolve the slug inside their own single round trip (and 404 from its result): no look-up here. */
const RESOLVED_IN_READ = /^\/v1\/public\/[^/]+\/(?:catalog|availability)$/;

export const resolvePublicTenant = createMiddleware<AppEnv>(async (c, next) => {
  if (RESOLVED_IN_READ.test(c.req.path)) return next();
  const tenantId = await resolveTenantSlug({ db: c.var.db(), slug: c.req.param("tenant") ?? "" });
  if (!tenantId) throw new NotFound("Business");
  c.set("tenantId", tenantId);
  await next();
});
