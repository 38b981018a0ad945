// Per-date overrides of a staff member's weekly hours: that local date's intervals replace the week's ([] = day off).
import { and, asc, eq, gt, gte, lte } from "drizzle-orm";
import { dateOverrides } from "../../db/schema/index.ts";
import { isValidDate } from "../../domain/time.ts";
import { NotFound } from "../../errors.ts";
import type { Override, OverrideInput, OverrideList, OverrideQuery } from "../../schemas/staff.ts";
import type { TenantCtx } from "../context.ts";
import { assertOverrideRoom } from "../limits/limits.ts";
import { decodeCursor, encodeCursor } from "./keyset.ts";
import { liveStaff } from "./staff.ts";

function toOverride(row: typeof dateOverrides.$inferSelect): Override {
  return { date: row.localDate, intervals: row.intervals.map((i) => ({ start: i.start, end: i.end })) };
}

/** Sorted by date; the cursor is the last date served. */
export async function listOverrides({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: OverrideQuery & { staffId: string };
}): Promise<OverrideList> {
  const after = input.cursor
    ? decodeCursor(input.cursor, (v) => (typeof v.date === "string" && isValidDate(v.date) ? v.date : null))
    : undefined;
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await liveStaff(tx, input.staffId, "share");
    const rows = await tx
      .select()
      .from(dateOverrides)
      .where(
        and(
          eq(dateOverrides.staffId, input.staffId),
          input.from ? gte(dateOverrides.localDate, input.from) : undefined,
          input.to ? lte(dateOverrides.localDate, input.to) : undefined,
          after ? gt(dateOverrides.localDate, after) : undefined,
        ),
      )
      .orderBy(asc(dateOverrides.localDate))
      .limit(input.limit + 1);
    const page = rows.slice(0, input.limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toOverride),
      nextCursor: rows.length > input.limit && last ? encodeCursor({ date: last.localDate }) : null,
    };
  });
}

export async function putOverride({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: OverrideInput & { staffId: string; date: string };
}): Promise<Override> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await liveStaff(tx, input.staffId, "share");
    await assertOverrideRoom(tx, { tenantId: ctx.tenantId, staffId: input.staffId, date: input.date, now: ctx.now });
    const intervals = [...input.intervals]
      .sort((a, b) => (a.start < b.start ? -1 : 1))
      .map((i) => ({ start: i.start, end: i.end }));
    const [row] = await tx
      .insert(dateOverrides)
      .values({ tenantId: ctx.tenantId, staffId: input.staffId, localDate: input.date, intervals })
      .onConflictDoUpdate({ target: [dateOverrides.staffId, dateOverrides.localDate], set: { intervals } })
      .returning();
    return toOverride(row!);
  });
}

export async function removeOverride({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { staffId: string; date: string };
}): Promise<void> {
  await ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await liveStaff(tx, input.staffId, "share");
    const removed = await tx
      .delete(dateOverrides)
      .where(and(eq(dateOverrides.staffId, input.staffId), eq(dateOverrides.localDate, input.date)))
      .returning({ date: dateOverrides.localDate });
    if (removed.length === 0) throw new NotFound("Override");
  });
}
