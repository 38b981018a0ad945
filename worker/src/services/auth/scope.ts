// Row-level role rules the services apply beside their queries (the operation table is domain/permissions.ts).
import { staffScopeOf } from "../../domain/permissions.ts";
import { NotFound } from "../../errors.ts";
import type { TenantCtx } from "../context.ts";

/** A staff user may reach only their own staff record: anyone else's looks missing (404, nothing revealed). */
export function assertOwnStaff(ctx: TenantCtx, staffId: string): void {
  const scope = staffScopeOf(ctx.actor);
  if (scope && scope !== staffId) throw new NotFound("Staff member");
}
