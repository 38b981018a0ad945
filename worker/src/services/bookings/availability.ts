// Lists bookable slots: one query for the rules and bookings (or the edge cache's copy of its result, while the
// versions match), then the pure engine, one page of at most MAX_SLOTS_PER_RESPONSE slots at a time.
import { sql } from "drizzle-orm";
import { computeSlotPage } from "../../domain/availability.ts";
import { MAX_SLOTS_PER_RESPONSE } from "../../domain/limits.ts";
import { SLUG_PATTERN } from "../../domain/slugs.ts";
import { addDays } from "../../domain/time.ts";
import { NotFound } from "../../errors.ts";
import type { Availability, AvailabilityQuery } from "../../schemas/booking.ts";
import { type PublicReadCache, type PublicReadOutcome, readStamped } from "../catalog/read-cache.ts";
import type { TenantCtx } from "../context.ts";
import {
  busyRanges,
  parseSchedulingData,
  type SchedulingData,
  schedulingDataCall,
  schedulingWindow,
} from "./scheduling.ts";

const DAY = 86_400_000;

export interface AvailabilityRead {
  availability: Availability;
  /** Whether the edge cache served the scheduling data (the database was asked only for the versions). */
  cache: PublicReadOutcome;
}

/**
 * Slots for a tenant's public slug, in one round trip: the versions, and scheduling_data() only when the cached entry
 * for this window is stale or absent. The engine always runs, with the request's clock (notice, lapsed holds).
 */
export async function getAvailability({
  ctx,
  slug,
  input,
  cache,
}: {
  ctx: Pick<TenantCtx, "db" | "now">;
  slug: string;
  input: AvailabilityQuery;
  cache?: PublicReadCache | undefined;
}): Promise<AvailabilityRead> {
  if (!SLUG_PATTERN.test(slug)) throw new NotFound("Business");
  // A later page needs nothing before its cursor (the cursor is a UTC instant; the margin covers the zones).
  const firstDate = input.cursor && input.cursor.slice(0, 10) > input.from ? input.cursor.slice(0, 10) : input.from;
  // The viewer's zone is not known to the database yet; a day either side covers every zone (−12 … +14).
  const window = {
    serviceId: input.serviceId,
    staffId: input.staffId,
    from: Date.parse(`${firstDate}T00:00:00Z`) - 2 * DAY,
    to: Date.parse(`${addDays(input.to, 1)}T00:00:00Z`) + 2 * DAY,
    fromDate: addDays(firstDate, -2),
    toDate: addDays(input.to, 2),
  };
  const read = await readStamped({
    db: ctx.db,
    scope: { slug },
    cache,
    // The window is a function of these four; the viewer's zone and the cursor's time of day only shape the slots.
    key: `availability|slug:${slug}|${JSON.stringify([input.serviceId, input.staffId ?? null, firstDate, input.to])}`,
    stamp: sql`availability_version()`,
    data: schedulingDataCall(window),
  });
  if (read.data === null) throw new NotFound("Business");
  const data = parseSchedulingData(read.data);
  await read.remember();
  return { availability: slotsOf(data, input, ctx.now.getTime()), cache: read.cache };
}

function slotsOf(data: SchedulingData, input: AvailabilityQuery, now: number): Availability {
  const viewerTimeZone = input.timezone ?? data.timezone;
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
}

/** API.md instants: ISO 8601 UTC, seconds precision, `Z`. */
export function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Everything that can matter to a start (durations and buffers are at most a day each) lies within ±2 days. */
export function windowAround(startsAt: number, serviceId: string, staffId?: string) {
  return schedulingWindow(serviceId, staffId, startsAt - 2 * DAY, startsAt + 2 * DAY);
}
