// Glue from a Hono context to a service context: the one place routes learn who they act for.
import type { Context } from "hono";
import type { AppEnv } from "../app.ts";
import type { TenantCtx } from "../services/context.ts";

export function adminCtx(c: Context<AppEnv>): TenantCtx {
  return { db: c.var.db(), tenantId: c.var.principal.tenantId, now: c.var.deps.now() };
}

export function publicCtx(c: Context<AppEnv>): TenantCtx {
  return { db: c.var.db(), tenantId: c.var.tenantId, now: c.var.deps.now() };
}
