// Row-level role rules the services apply beside their queries (the operation table is domain/permissions.ts).
import { OWNER_ONLY_POLICIES, staffScopeOf } from "../../domain/permissions.ts";
import { Forbidden, NotFound } from "../../errors.ts";
import type { TenantCtx } from "../context.ts";

/** A staff user may reach only their own staff record: anyone else's looks missing (404, nothing revealed). */
export function assertOwnStaff(ctx: TenantCtx, staffId: string): void {
  const scope = staffScopeOf(ctx.actor);
  if (scope && scope !== staffId) throw new NotFound("Staff member");
}

/** Payments settings in the tenant's policies are the owner's (a manager changing them gets 403). */
export function assertMayChangePolicies(ctx: TenantCtx, policies: Record<string, unknown> | undefined): void {
  if (!policies || !ctx.actor || ctx.actor.role === "owner") return;
  const touched = OWNER_ONLY_POLICIES.filter((k) => policies[k] !== undefined);
  if (touched.length > 0) throw new Forbidden(`Only an owner can change ${touched.join(", ")} (payments settings)`);
}
