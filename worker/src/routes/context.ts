// Glue from a Hono context to a service context: the one place routes learn who they act for.
import type { Context } from "hono";
import type { TenantCtx } from "../services/context.ts";
import type { AppEnv } from "./types.ts";

/** A service context for the given business (the admin and public helpers below pick which one). */
export function tenantCtx(c: Context<AppEnv>, tenantId: string): TenantCtx {
  return { ...publicSlugCtx(c), tenantId };
}

/** The admin API's context: the principal's business, and who acts (services narrow by the actor's role). */
export function adminCtx(c: Context<AppEnv>): TenantCtx {
  return { ...tenantCtx(c, c.var.principal.tenantId), actor: c.var.principal.actor };
}

export function publicCtx(c: Context<AppEnv>): TenantCtx {
  return tenantCtx(c, c.var.tenantId);
}

/** The public reads that resolve their slug inside their own round trip: no tenant id yet, only the database and clock. */
export function publicReadCtx(c: Context<AppEnv>): Pick<TenantCtx, "db" | "now"> {
  return { db: c.var.db(), now: c.var.deps.now() };
}

/** A public write by slug whose tenant is not known yet (the booking by slug): everything of a context but the tenant. */
export function publicSlugCtx(c: Context<AppEnv>): Omit<TenantCtx, "tenantId"> {
  const deps = c.var.deps;
  return { db: c.var.db(), now: deps.now(), config: deps.config };
}
