// The dashboard's calendar: every live staff member's working hours per local date (weekly hours with the date
// overrides applied, by the availability engine's own code), time off and bookings in a range, one query per kind.
import { and, asc, eq, gt, gte, inArray, isNull, lt, lte, or, type SQL } from "drizzle-orm";
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
import { addDays, zonedWallTimeToInstant } from "../../domain/time.ts";
import { prepareWorkingHours, workingRangesOn } from "../../domain/working-hours.ts";
import { NotFound } from "../../errors.ts";
import { looksLikeId } from "../../lib/ids.ts";
import type { Calendar, CalendarQuery, CalendarStaff } from "../../schemas/calendar.ts";
import { iso } from "../bookings/availability.ts";
import type { TenantCtx } from "../context.ts";

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

function datesOf(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
  return dates;
}

export async function getCalendar({ ctx, input }: { ctx: TenantCtx; input: CalendarQuery }): Promise<Calendar> {
  if (input.staffId !== undefined && !looksLikeId("stf", input.staffId)) throw new NotFound("Staff member");
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [tenant] = await tx.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, ctx.tenantId));
    if (!tenant) throw new NotFound("Tenant");
    const zone = tenant.timezone;
    const startsAt = new Date(zonedWallTimeToInstant(input.from, 0, zone));
    const endsAt = new Date(zonedWallTimeToInstant(addDays(input.to, 1), 0, zone));
    const only = (column: typeof staff.id | typeof bookings.staffId): SQL[] =>
      input.staffId ? [eq(column, input.staffId)] : [];

    const people = await tx
      .select({ id: staff.id, name: staff.name })
      .from(staff)
      .where(and(isNull(staff.deletedAt), ...only(staff.id)))
      .orderBy(asc(staff.createdAt), asc(staff.id));
    if (input.staffId && people.length === 0) throw new NotFound("Staff member");
    const ids = people.map((p) => p.id);
    if (ids.length === 0) return { timezone: zone, from: input.from, to: input.to, staff: [] };

    const hours = await tx.select().from(weeklyHours).where(inArray(weeklyHours.staffId, ids));
    const overrides = await tx
      .select()
      .from(dateOverrides)
      .where(
        and(
          inArray(dateOverrides.staffId, ids),
          gte(dateOverrides.localDate, input.from),
          lte(dateOverrides.localDate, input.to),
        ),
      );
    const off = await tx
      .select()
      .from(timeOff)
      .where(and(inArray(timeOff.staffId, ids), lt(timeOff.startsAt, endsAt), gt(timeOff.endsAt, startsAt)))
      .orderBy(asc(timeOff.startsAt), asc(timeOff.id));
    // What occupies the calendar: confirmed, completed and no-show bookings, and holds still awaiting payment.
    const booked = await tx
      .select({
        b: bookings,
        serviceName: services.name,
        customerName: customers.name,
      })
      .from(bookings)
      .innerJoin(services, eq(services.id, bookings.serviceId))
      .innerJoin(customers, eq(customers.id, bookings.customerId))
      .where(
        and(
          inArray(bookings.staffId, ids),
          lt(bookings.startsAt, endsAt),
          gt(bookings.endsAt, startsAt),
          or(
            inArray(bookings.status, ["confirmed", "completed", "no_show"]),
            and(eq(bookings.status, "pending_payment"), gt(bookings.holdExpiresAt, ctx.now)),
          ),
        ),
      )
      .orderBy(asc(bookings.startsAt), asc(bookings.id));

    const dates = datesOf(input.from, input.to);
    const result: CalendarStaff[] = people.map((p) => {
      const schedule = prepareWorkingHours({
        weekly: hours
          .filter((h) => h.staffId === p.id)
          .map((h) => ({ weekday: h.weekday, start: hhmm(h.startMinute), end: hhmm(h.endMinute) })),
        overrides: Object.fromEntries(
          overrides.filter((o) => o.staffId === p.id).map((o) => [o.localDate, o.intervals]),
        ),
      });
      return {
        id: p.id,
        name: p.name,
        days: dates.map((date) => ({
          date,
          working: workingRangesOn(schedule, date, zone)
            .sort((a, b) => a.startsAt - b.startsAt)
            .map((r) => ({ start: iso(r.startsAt), end: iso(r.endsAt) })),
        })),
        timeOff: off
          .filter((o) => o.staffId === p.id)
          .map((o) => ({
            id: o.id,
            staffId: o.staffId,
            start: o.startsAt.toISOString(),
            end: o.endsAt.toISOString(),
            reason: o.reason,
          })),
        bookings: booked
          .filter(({ b }) => b.staffId === p.id)
          .map(({ b, serviceName, customerName }) => ({
            id: b.id,
            status: b.status,
            serviceId: b.serviceId,
            serviceName,
            start: iso(b.startsAt.getTime()),
            end: iso(b.endsAt.getTime()),
            holdExpiresAt: b.holdExpiresAt ? iso(b.holdExpiresAt.getTime()) : null,
            customer: { id: b.customerId, name: customerName },
          })),
      };
    });
    return { timezone: zone, from: input.from, to: input.to, staff: result };
  });
}
