// Resolves `/v1/public/{tenant}/…` slugs to a tenant id; an unknown slug is a 404 like any other missing object.
import { createMiddleware } from "hono/factory";
import { NotFound } from "../../errors.ts";
import type { AppEnv } from "../types.ts";

const SLUG = /^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$/;

export const resolvePublicTenant = createMiddleware<AppEnv>(async (c, next) => {
  const slug = c.req.param("tenant") ?? "";
  const tenantId = SLUG.test(slug) ? await c.var.db().tenantIdForSlug(slug) : null;
  if (!tenantId) throw new NotFound("Business");
  c.set("tenantId", tenantId);
  await next();
});
