// The dashboard's calendar: every live staff member's working hours per local date (weekly hours with the date
// overrides applied, by the availability engine's own code), time off and bookings in a range, one query per kind.
import { and, asc, eq, gt, gte, inArray, isNull, lt, lte, or } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import {
  bookings,
  customers,
  dateOverrides,
  services,
  staff,
  tenants,
  timeOff,
  weeklyHours,
} from "../../db/schema/index.ts";
import { staffScopeOf } from "../../domain/permissions.ts";
import { addDays, zonedWallTimeToInstant } from "../../domain/time.ts";
import { prepareWorkingHours, workingRangesOn } from "../../domain/working-hours.ts";
import { NotFound } from "../../errors.ts";
import { looksLikeId } from "../../lib/ids.ts";
import type { Calendar, CalendarBooking, CalendarQuery, CalendarStaff } from "../../schemas/calendar.ts";
import type { TimeOff } from "../../schemas/staff.ts";
import { iso } from "../bookings/availability.ts";
import type { TenantCtx } from "../context.ts";

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

function datesOf(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
  return dates;
}

/** Rows by staff id, in their query order. */
function byStaff<T extends { staffId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.staffId);
    if (group) group.push(row);
    else groups.set(row.staffId, [row]);
  }
  return groups;
}

interface Range {
  from: string;
  to: string;
  startsAt: Date;
  endsAt: Date;
}

/** One query per kind for all the staff at once: hours, overrides, time off, bookings. */
async function loadSchedules(tx: Tx, ids: string[], range: Range, now: Date) {
  const hours = await tx.select().from(weeklyHours).where(inArray(weeklyHours.staffId, ids));
  const overrides = await tx
    .select()
    .from(dateOverrides)
    .where(
      and(
        inArray(dateOverrides.staffId, ids),
        gte(dateOverrides.localDate, range.from),
        lte(dateOverrides.localDate, range.to),
      ),
    );
  const off = await tx
    .select()
    .from(timeOff)
    .where(and(inArray(timeOff.staffId, ids), lt(timeOff.startsAt, range.endsAt), gt(timeOff.endsAt, range.startsAt)))
    .orderBy(asc(timeOff.startsAt), asc(timeOff.id));
  // What occupies the calendar: confirmed, completed and no-show bookings, and holds still awaiting payment.
  const booked = await tx
    .select({ b: bookings, staffId: bookings.staffId, serviceName: services.name, customer: customers })
    .from(bookings)
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(customers, eq(customers.id, bookings.customerId))
    .where(
      and(
        inArray(bookings.staffId, ids),
        lt(bookings.startsAt, range.endsAt),
        gt(bookings.endsAt, range.startsAt),
        or(
          inArray(bookings.status, ["confirmed", "completed", "no_show"]),
          and(eq(bookings.status, "pending_payment"), gt(bookings.holdExpiresAt, now)),
        ),
      ),
    )
    .orderBy(asc(bookings.startsAt), asc(bookings.id));
  return { hours: byStaff(hours), overrides: byStaff(overrides), off: byStaff(off), booked: byStaff(booked) };
}

type Schedules = Awaited<ReturnType<typeof loadSchedules>>;

function toTimeOff(o: typeof timeOff.$inferSelect): TimeOff {
  return {
    id: o.id,
    staffId: o.staffId,
    start: o.startsAt.toISOString(),
    end: o.endsAt.toISOString(),
    reason: o.reason,
  };
}

interface BookedRow {
  b: typeof bookings.$inferSelect;
  serviceName: string;
  customer: typeof customers.$inferSelect;
}

function toCalendarBooking(row: BookedRow): CalendarBooking {
  const { b } = row;
  return {
    id: b.id,
    status: b.status,
    serviceId: b.serviceId,
    serviceName: row.serviceName,
    start: iso(b.startsAt.getTime()),
    end: iso(b.endsAt.getTime()),
    holdExpiresAt: b.holdExpiresAt ? iso(b.holdExpiresAt.getTime()) : null,
    price: { amount: Number(b.priceAmount), currency: b.currency },
    customer: { id: b.customerId, name: row.customer.name, email: row.customer.email, phone: row.customer.phone },
  };
}

function toCalendarStaff(
  person: { id: string; name: string },
  s: Schedules,
  dates: string[],
  zone: string,
): CalendarStaff {
  const hours = prepareWorkingHours({
    weekly: (s.hours.get(person.id) ?? []).map((h) => ({
      weekday: h.weekday,
      start: hhmm(h.startMinute),
      end: hhmm(h.endMinute),
    })),
    overrides: Object.fromEntries((s.overrides.get(person.id) ?? []).map((o) => [o.localDate, o.intervals])),
  });
  return {
    id: person.id,
    name: person.name,
    days: dates.map((date) => ({
      date,
      working: workingRangesOn(hours, date, zone)
        .sort((a, b) => a.startsAt - b.startsAt)
        .map((r) => ({ start: iso(r.startsAt), end: iso(r.endsAt) })),
    })),
    timeOff: (s.off.get(person.id) ?? []).map(toTimeOff),
    bookings: (s.booked.get(person.id) ?? []).map(toCalendarBooking),
  };
}

export async function getCalendar({ ctx, input }: { ctx: TenantCtx; input: CalendarQuery }): Promise<Calendar> {
  // A staff user's calendar is their own, whatever the query asks for (another staff member's is a 404).
  const scope = staffScopeOf(ctx.actor);
  if (scope && input.staffId !== undefined && input.staffId !== scope) throw new NotFound("Staff member");
  if (scope) input = { ...input, staffId: scope };
  if (input.staffId !== undefined && !looksLikeId("stf", input.staffId)) throw new NotFound("Staff member");
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [tenant] = await tx.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, ctx.tenantId));
    if (!tenant) throw new NotFound("Tenant");
    const zone = tenant.timezone;
    const people = await tx
      .select({ id: staff.id, name: staff.name })
      .from(staff)
      .where(and(isNull(staff.deletedAt), input.staffId ? eq(staff.id, input.staffId) : undefined))
      .orderBy(asc(staff.createdAt), asc(staff.id));
    if (input.staffId && people.length === 0) throw new NotFound("Staff member");
    const answer = { timezone: zone, from: input.from, to: input.to };
    if (people.length === 0) return { ...answer, staff: [] };
    const range: Range = {
      from: input.from,
      to: input.to,
      startsAt: new Date(zonedWallTimeToInstant(input.from, 0, zone)),
      endsAt: new Date(zonedWallTimeToInstant(addDays(input.to, 1), 0, zone)),
    };
    const schedules = await loadSchedules(
      tx,
      people.map((p) => p.id),
      range,
      ctx.now,
    );
    const dates = datesOf(input.from, input.to);
    return { ...answer, staff: people.map((p) => toCalendarStaff(p, schedules, dates, zone)) };
  });
}
