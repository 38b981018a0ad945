// Admin booking listing: search, filters and keyset pagination on (start, id), customer, service and staff names joined.
import { and, asc, eq, gt, gte, ilike, inArray, like, lt, or, type SQL, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { bookings, customers, services, staff, tenants } from "../../db/schema/index.ts";
import { staffScopeOf } from "../../domain/permissions.ts";
import { phoneDigits, substringPattern } from "../../domain/search.ts";
import { addDays, zonedWallTimeToInstant } from "../../domain/time.ts";
import { NotFound, ValidationFailed } from "../../errors.ts";
import type { AdminBooking, BookingListQuery } from "../../schemas/booking.ts";
import type { TenantCtx } from "../context.ts";
import { CURSOR_ID } from "../staff/keyset.ts";
import { toBooking } from "./view.ts";

type Row = {
  b: typeof bookings.$inferSelect;
  c: typeof customers.$inferSelect;
  serviceName: string;
  staffName: string;
};

export function toAdminBooking({ b, c, serviceName, staffName }: Row): AdminBooking {
  return {
    ...toBooking(b),
    customer: { id: c.id, name: c.name, email: c.email, phone: c.phone },
    notes: b.notes,
    source: b.source,
    serviceName,
    staffName,
    paymentFlag: b.paymentFlag,
  };
}

/** Bookings with their customer and the names of their service and staff member (removed ones keep their name). */
export function selectAdminBookings(tx: Tx) {
  return tx
    .select({ b: bookings, c: customers, serviceName: services.name, staffName: staff.name })
    .from(bookings)
    .innerJoin(customers, eq(customers.id, bookings.customerId))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(staff, eq(staff.id, bookings.staffId));
}

/** A case-insensitive substring of the customer's name, e-mail or phone (or of the phone's digits). */
export function customerMatches(q: string): SQL {
  const pattern = substringPattern(q);
  const digits = phoneDigits(q);
  return or(
    ilike(customers.name, pattern),
    ilike(customers.email, pattern),
    ilike(customers.phone, pattern),
    ...(digits ? [like(sql`regexp_replace(${customers.phone}, '[^0-9]', '', 'g')`, substringPattern(digits))] : []),
  )!;
}

const isDate = (v: string) => v.length === 10;

/** The list's time bounds as instants: a date is a day in the business's zone (`to` inclusive). */
async function boundsOf(tx: Tx, tenantId: string, input: BookingListQuery): Promise<SQL[]> {
  const { from, to } = input;
  let timeZone = "UTC";
  if ((from && isDate(from)) || (to && isDate(to))) {
    const [t] = await tx.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId));
    timeZone = t?.timezone ?? "UTC";
  }
  const at = (v: string, days: number) =>
    isDate(v) ? new Date(zonedWallTimeToInstant(addDays(v, days), 0, timeZone)) : new Date(v);
  const where: SQL[] = [];
  if (from) where.push(gte(bookings.startsAt, at(from, 0)));
  if (to) where.push(lt(bookings.startsAt, at(to, 1)));
  return where;
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
  if (input.staffId) where.push(eq(bookings.staffId, input.staffId));
  // A staff user sees only their own bookings, whatever the filter says.
  const scope = staffScopeOf(ctx.actor);
  if (scope) where.push(eq(bookings.staffId, scope));
  if (input.serviceId) where.push(eq(bookings.serviceId, input.serviceId));
  if (input.customerId) where.push(eq(bookings.customerId, input.customerId));
  if (input.status) where.push(inArray(bookings.status, input.status));
  if (input.q) where.push(customerMatches(input.q));
  if (input.cursor) {
    const after = decodeCursor(input.cursor);
    where.push(
      or(gt(bookings.startsAt, after.startsAt), and(eq(bookings.startsAt, after.startsAt), gt(bookings.id, after.id)))!,
    );
  }
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    where.push(...(await boundsOf(tx, ctx.tenantId, input)));
    const rows = await selectAdminBookings(tx)
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
    const [row] = await selectAdminBookings(tx).where(eq(bookings.id, id));
    const scope = staffScopeOf(ctx.actor);
    if (!row || (scope && row.b.staffId !== scope)) throw new NotFound("Booking");
    return toAdminBooking(row);
  });
}
