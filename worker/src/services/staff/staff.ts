// Staff verbs: list, read, create, update (links and weekly hours replaced as a whole) and soft delete.
import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { bookings, staff, weeklyHours } from "../../db/schema/index.ts";
import { Conflict, NotFound } from "../../errors.ts";
import { looksLikeId, newId } from "../../lib/ids.ts";
import type { ListQuery, Staff, StaffCreate, StaffList, StaffPatch, WeeklyInterval } from "../../schemas/staff.ts";
import { assertOwnStaff } from "../auth/scope.ts";
import type { TenantCtx } from "../context.ts";
import { assertRoomInServices, assertStaffRoom, lockCatalogLimits } from "../limits/limits.ts";
import { afterKeyset, cursorAt, decodeKeyset, pageOf } from "./keyset.ts";
import { assertLinkable, dropLinks, linkedIds, replaceLinks } from "./links.ts";

type StaffRow = typeof staff.$inferSelect;

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
const minuteOf = (value: string) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));
const orNull = (v: string | null) => (v === "" ? null : v);

/** The live staff member, optionally locked: `share` for writes that hang off it, `update` to change or delete it. */
export async function liveStaff(tx: Tx, id: string, lock?: "share" | "update"): Promise<StaffRow> {
  // An id that cannot be ours never reaches SQL (a NUL byte there would be a driver error, not a 404).
  if (!looksLikeId("stf", id)) throw new NotFound("Staff member");
  const query = tx
    .select()
    .from(staff)
    .where(and(eq(staff.id, id), isNull(staff.deletedAt)));
  const [row] = lock ? await query.for(lock) : await query;
  if (!row) throw new NotFound("Staff member");
  return row;
}

async function toStaffList(tx: Tx, rows: StaffRow[]): Promise<Staff[]> {
  const ids = rows.map((r) => r.id);
  const links = await linkedIds(tx, "staff", ids);
  const hours = ids.length
    ? await tx
        .select()
        .from(weeklyHours)
        .where(inArray(weeklyHours.staffId, ids))
        .orderBy(asc(weeklyHours.weekday), asc(weeklyHours.startMinute))
    : [];
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    commissionBps: r.commissionBps,
    serviceIds: links.get(r.id) ?? [],
    weeklyHours: hours
      .filter((h) => h.staffId === r.id)
      .map((h): WeeklyInterval => ({ weekday: h.weekday, start: hhmm(h.startMinute), end: hhmm(h.endMinute) })),
    photoUrl: r.photoUrl,
    bio: r.bio,
    createdAt: r.createdAt.toISOString(),
  }));
}

async function toStaff(tx: Tx, row: StaffRow): Promise<Staff> {
  const [one] = await toStaffList(tx, [row]);
  return one!;
}

async function replaceWeeklyHours(tx: Tx, tenantId: string, staffId: string, intervals: WeeklyInterval[]) {
  await tx.delete(weeklyHours).where(eq(weeklyHours.staffId, staffId));
  if (intervals.length === 0) return;
  await tx.insert(weeklyHours).values(
    intervals.map((i) => ({
      tenantId,
      staffId,
      weekday: i.weekday,
      startMinute: minuteOf(i.start),
      endMinute: minuteOf(i.end),
    })),
  );
}

export async function listStaff({ ctx, input }: { ctx: TenantCtx; input: ListQuery }): Promise<StaffList> {
  const keyset = decodeKeyset(input.cursor);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const rows = await tx
      .select({ row: staff, id: staff.id, cursorAt: cursorAt(staff.createdAt) })
      .from(staff)
      .where(and(isNull(staff.deletedAt), afterKeyset(staff.createdAt, staff.id, keyset)))
      .orderBy(asc(staff.createdAt), asc(staff.id))
      .limit(input.limit + 1);
    const page = pageOf(rows, input.limit, (r) => r.row);
    return { data: await toStaffList(tx, page.data), nextCursor: page.nextCursor };
  });
}

export async function getStaff({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<Staff> {
  assertOwnStaff(ctx, input.id);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    return toStaff(tx, await liveStaff(tx, input.id));
  });
}

export async function createStaff({ ctx, input }: { ctx: TenantCtx; input: StaffCreate }): Promise<Staff> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await lockCatalogLimits(tx, ctx.tenantId);
    await assertStaffRoom(tx, ctx.tenantId);
    await assertLinkable(tx, "staff", input.serviceIds);
    await assertRoomInServices(tx, null, input.serviceIds);
    const [row] = await tx
      .insert(staff)
      .values({
        id: newId("stf"),
        tenantId: ctx.tenantId,
        name: input.name,
        email: input.email ?? null,
        commissionBps: input.commissionBps,
        photoUrl: input.photoUrl ?? null,
        bio: orNull(input.bio ?? null),
      })
      .returning();
    await replaceLinks(tx, ctx.tenantId, "staff", row!.id, input.serviceIds);
    await replaceWeeklyHours(tx, ctx.tenantId, row!.id, input.weeklyHours);
    return toStaff(tx, row!);
  });
}

export async function updateStaff({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { id: string; patch: StaffPatch };
}): Promise<Staff> {
  const { id, patch } = input;
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    if (patch.serviceIds) await lockCatalogLimits(tx, ctx.tenantId);
    let row = await liveStaff(tx, id, "update");
    if (patch.serviceIds) {
      await assertLinkable(tx, "staff", patch.serviceIds);
      await assertRoomInServices(tx, id, patch.serviceIds);
    }
    const profile = patch.photoUrl !== undefined || patch.bio !== undefined;
    if (patch.name !== undefined || patch.email !== undefined || patch.commissionBps !== undefined || profile) {
      [row] = (await tx
        .update(staff)
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.email !== undefined && { email: patch.email }),
          ...(patch.commissionBps !== undefined && { commissionBps: patch.commissionBps }),
          ...(patch.photoUrl !== undefined && { photoUrl: patch.photoUrl }),
          ...(patch.bio !== undefined && { bio: orNull(patch.bio) }),
        })
        .where(eq(staff.id, id))
        .returning()) as [StaffRow];
    }
    if (patch.serviceIds) await replaceLinks(tx, ctx.tenantId, "staff", id, patch.serviceIds);
    if (patch.weeklyHours) await replaceWeeklyHours(tx, ctx.tenantId, id, patch.weeklyHours);
    return toStaff(tx, row);
  });
}

/** Soft delete: bookings keep pointing at the row; refused while the member still has future active bookings. */
export async function deleteStaff({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<void> {
  await ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await liveStaff(tx, input.id, "update");
    const [upcoming] = await tx
      .select({ id: bookings.id })
      .from(bookings)
      .where(
        and(
          eq(bookings.staffId, input.id),
          inArray(bookings.status, ["pending_payment", "confirmed"]),
          gt(bookings.startsAt, ctx.now),
        ),
      )
      .limit(1);
    if (upcoming) throw new Conflict("This staff member still has upcoming bookings; cancel or move them first");
    await tx.update(staff).set({ deletedAt: ctx.now }).where(eq(staff.id, input.id));
    await dropLinks(tx, "staff", input.id);
  });
}
