// A staff member's time off: absolute instant ranges that remove working time (listed, added, removed).
import { and, asc, eq } from "drizzle-orm";
import { timeOff } from "../../db/schema/index.ts";
import { NotFound } from "../../errors.ts";
import { looksLikeId, newId } from "../../lib/ids.ts";
import type { ListQuery, TimeOff, TimeOffCreate, TimeOffList } from "../../schemas/staff.ts";
import { assertOwnStaff } from "../auth/scope.ts";
import type { TenantCtx } from "../context.ts";
import { afterKeyset, cursorAt, decodeKeyset, pageOf } from "./keyset.ts";
import { liveStaff } from "./staff.ts";

function toTimeOff(row: typeof timeOff.$inferSelect): TimeOff {
  return {
    id: row.id,
    staffId: row.staffId,
    start: row.startsAt.toISOString(),
    end: row.endsAt.toISOString(),
    reason: row.reason,
  };
}

export async function listTimeOff({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: ListQuery & { staffId: string };
}): Promise<TimeOffList> {
  const keyset = decodeKeyset(input.cursor);
  assertOwnStaff(ctx, input.staffId);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await liveStaff(tx, input.staffId, "share");
    const rows = await tx
      .select({ row: timeOff, id: timeOff.id, cursorAt: cursorAt(timeOff.createdAt) })
      .from(timeOff)
      .where(and(eq(timeOff.staffId, input.staffId), afterKeyset(timeOff.createdAt, timeOff.id, keyset)))
      .orderBy(asc(timeOff.createdAt), asc(timeOff.id))
      .limit(input.limit + 1);
    return pageOf(rows, input.limit, (r) => toTimeOff(r.row));
  });
}

export async function addTimeOff({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: TimeOffCreate & { staffId: string };
}): Promise<TimeOff> {
  assertOwnStaff(ctx, input.staffId);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await liveStaff(tx, input.staffId, "share");
    const [row] = await tx
      .insert(timeOff)
      .values({
        id: newId("off"),
        tenantId: ctx.tenantId,
        staffId: input.staffId,
        startsAt: new Date(input.start),
        endsAt: new Date(input.end),
        reason: input.reason ?? null,
      })
      .returning();
    return toTimeOff(row!);
  });
}

export async function removeTimeOff({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { staffId: string; timeOffId: string };
}): Promise<void> {
  assertOwnStaff(ctx, input.staffId);
  await ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await liveStaff(tx, input.staffId, "share");
    if (!looksLikeId("off", input.timeOffId)) throw new NotFound("Time off");
    const removed = await tx
      .delete(timeOff)
      .where(and(eq(timeOff.id, input.timeOffId), eq(timeOff.staffId, input.staffId)))
      .returning({ id: timeOff.id });
    if (removed.length === 0) throw new NotFound("Time off");
  });
}
