// Resolves `/v1/public/{tenant}/…` slugs to a tenant id; an unknown slug is a 404 like any other missing object.
// The catalog and availability reads resolve theirs in their one round trip instead (services check the pattern), and
// a new booking looks its slug up only when it cannot be booked by slug in one round trip (requirePublicTenant).
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { NotFound } from "../../errors.ts";
import { resolveTenantSlug } from "../../services/tenants/tenants.ts";
import type { AppEnv } from "../types.ts";

/** The reads that resolve the slug inside their own single round trip (and 404 from its result): no look-up here. */
const RESOLVED_IN_READ = /^\/v1\/public\/[^/]+\/(?:catalog|availability)$/;

/** A new booking: the route resolves the slug itself, and only when the one-round-trip path cannot decide. */
const NEW_BOOKING = /^\/v1\/public\/[^/]+\/bookings$/;

export const resolvePublicTenant = createMiddleware<AppEnv>(async (c, next) => {
  if (RESOLVED_IN_READ.test(c.req.path)) return next();
  if (c.req.method === "POST" && NEW_BOOKING.test(c.req.path)) return next();
  await requirePublicTenant(c);
  await next();
});

/** The tenant id of the request's slug (looked up once per request); an unknown slug is a 404. */
export async function requirePublicTenant(c: Context<AppEnv>): Promise<string> {
  const known = c.get("tenantId") as string | undefined;
  if (known) return known;
  const tenantId = await resolveTenantSlug({ db: c.var.db(), slug: c.req.param("tenant") ?? "" });
  if (!tenantId) throw new NotFound("Business");
  c.set("tenantId", tenantId);
  return tenantId;
}
