// Lists bookable slots: one query for the rules and bookings, then the pure engine, one page of at most
// MAX_SLOTS_PER_RESPONSE slots at a time.
import { computeSlotPage } from "../../domain/availability.ts";
import { MAX_SLOTS_PER_RESPONSE } from "../../domain/limits.ts";
import { addDays } from "../../domain/time.ts";
import type { Availability, AvailabilityQuery } from "../../schemas/booking.ts";
import type { TenantCtx } from "../context.ts";
import { busyRanges, loadSchedulingAndCommit, schedulingWindow } from "./scheduling.ts";

const DAY = 86_400_000;

export async function getAvailability({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: AvailabilityQuery;
}): Promise<Availability> {
  return ctx.db.withTenantTx(ctx.tenantId, async (_tx, session) => {
    // A later page needs nothing before its cursor (the cursor is a UTC instant; the margin covers the zones).
    const firstDate = input.cursor && input.cursor.slice(0, 10) > input.from ? input.cursor.slice(0, 10) : input.from;
    // The viewer's zone is not known to the database yet; a day either side covers every zone (−12 … +14).
    const approxFrom = Date.parse(`${firstDate}T00:00:00Z`) - 2 * DAY;
    const approxTo = Date.parse(`${addDays(input.to, 1)}T00:00:00Z`) + 2 * DAY;
    const data = await loadSchedulingAndCommit(session, {
      serviceId: input.serviceId,
      staffId: input.staffId,
      from: approxFrom,
      to: approxTo,
      fromDate: addDays(firstDate, -2),
      toDate: addDays(input.to, 2),
    });
    const viewerTimeZone = input.timezone ?? data.timezone;
    const now = ctx.now.getTime();
    if (input.staffId && data.staff.length === 0)
      return { timezone: viewerTimeZone, serviceId: input.serviceId, slots: [], nextCursor: null };
    const page = computeSlotPage(
      {
        tenantTimeZone: data.timezone,
        viewerTimeZone,
        fromDate: input.from,
        toDate: input.to,
        now,
        service: data.service,
        staff: data.staff,
        busy: busyRanges(data.bookings, now),
      },
      { startsAt: input.cursor ? Date.parse(input.cursor) : undefined, maxSlots: MAX_SLOTS_PER_RESPONSE },
    );
    return {
      timezone: viewerTimeZone,
      serviceId: input.serviceId,
      slots: page.slots.map((s) => ({ start: iso(s.startsAt), end: iso(s.endsAt), staffIds: s.staffIds })),
      nextCursor: page.nextStartsAt === null ? null : iso(page.nextStartsAt),
    };
  });
}

/** API.md instants: ISO 8601 UTC, seconds precision, `Z`. */
export function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Everything that can matter to a start (durations and buffers are at most a day each) lies within ±2 days. */
export function windowAround(startsAt: number, serviceId: string, staffId?: string) {
  return schedulingWindow(serviceId, staffId, startsAt - 2 * DAY, startsAt + 2 * DAY);
}
