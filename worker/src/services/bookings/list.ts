// Admin booking listing: filters and keyset pagination on (start, id), customer details joined.
import { and, asc, eq, gt, gte, lt, or, type SQL } from "drizzle-orm";
import { bookings, customers } from "../../db/schema/index.ts";
import { staffScopeOf } from "../../domain/permissions.ts";
import { NotFound, ValidationFailed } from "../../errors.ts";
import type { AdminBooking, BookingListQuery } from "../../schemas/booking.ts";
import type { TenantCtx } from "../context.ts";
import { CURSOR_ID } from "../staff/keyset.ts";
import { toBooking } from "./view.ts";

type Row = { b: typeof bookings.$inferSelect; c: typeof customers.$inferSelect };

function toAdminBooking({ b, c }: Row): AdminBooking {
  return {
    ...toBooking(b),
    customer: { id: c.id, name: c.name, email: c.email, phone: c.phone },
    notes: b.notes,
    source: b.source,
  };
}

/** The latest instant a cursor may name: Postgres and JS both hold it, and it is past any booking window. */
const LAST_CURSOR_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** `[startsAt ms, id]` as encodeCursor wrote it; anything else (1e400, 8.64e15, 1.5, a NUL in the id) is a 400. */
function decodeCursor(cursor: string): { startsAt: Date; id: string } {
  let value: unknown;
  try {
    value = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    value = null;
  }
  const [t, id] = Array.isArray(value) && value.length === 2 ? value : [];
  if (!Number.isSafeInteger(t) || (t as number) < 0 || (t as number) > LAST_CURSOR_MS || !CURSOR_ID.test(String(id)))
    throw new ValidationFailed("The cursor is not one this API issued", [
      { path: ["cursor"], message: "Invalid cursor" },
    ]);
  return { startsAt: new Date(t as number), id: id as string };
}

function encodeCursor(b: { startsAt: Date; id: string }): string {
  return btoa(JSON.stringify([b.startsAt.getTime(), b.id]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export async function listBookings({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: BookingListQuery;
}): Promise<{ data: AdminBooking[]; nextCursor: string | null }> {
  const where: SQL[] = [];
  if (input.from) where.push(gte(bookings.startsAt, new Date(input.from)));
  if (input.to) where.push(lt(bookings.startsAt, new Date(input.to)));
  if (input.staffId) where.push(eq(bookings.staffId, input.staffId));
  // A staff user sees only their own bookings, whatever the filter says.
  const scope = staffScopeOf(ctx.actor);
  if (scope) where.push(eq(bookings.staffId, scope));
  if (input.serviceId) where.push(eq(bookings.serviceId, input.serviceId));
  if (input.status) where.push(eq(bookings.status, input.status));
  if (input.cursor) {
    const after = decodeCursor(input.cursor);
    where.push(
      or(gt(bookings.startsAt, after.startsAt), and(eq(bookings.startsAt, after.startsAt), gt(bookings.id, after.id)))!,
    );
  }
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const rows = await tx
      .select({ b: bookings, c: customers })
      .from(bookings)
      .innerJoin(customers, eq(customers.id, bookings.customerId))
      .where(and(...where))
      .orderBy(asc(bookings.startsAt), asc(bookings.id))
      .limit(input.limit + 1);
    const page = rows.slice(0, input.limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toAdminBooking),
      nextCursor: rows.length > input.limit && last ? encodeCursor(last.b) : null,
    };
  });
}

export async function getAdminBooking({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<AdminBooking> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [row] = await tx
      .select({ b: bookings, c: customers })
      .from(bookings)
      .innerJoin(customers, eq(customers.id, bookings.customerId))
      .where(eq(bookings.id, id));
    const scope = staffScopeOf(ctx.actor);
    if (!row || (scope && row.b.staffId !== scope)) throw new NotFound("Booking");
    return toAdminBooking(row);
  });
}
