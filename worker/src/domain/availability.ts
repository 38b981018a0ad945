// The availability engine: which start times a service can be booked at, per API.md "Slot semantics".
// Pure: the caller loads schedules and active bookings; computeSlots and isStartOffered share one rule set.

import { type InstantSpan, normalizeRanges, overlapsAny } from "./instant-ranges";
import { addDays, instantToZonedDate, zonedWallTimeToInstant } from "./time";
import {
  type LocalInterval,
  prepareWorkingHours,
  type WeeklyInterval,
  type WorkingHours,
  workingRangesOn,
} from "./working-hours";

/** Epoch milliseconds, half-open: `[startsAt, endsAt)`. */
export interface InstantRange {
  startsAt: number;
  endsAt: number;
}
export interface StaffSchedule {
  staffId: string;
  weekly: WeeklyInterval[];
  /** Local date → intervals replacing that date's weekly hours; `[]` is a day off. */
  overrides: Record<string, LocalInterval[]>;
  timeOff: InstantRange[];
}
export interface ServiceRules {
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minNoticeMinutes: number;
  maxAdvanceDays: number;
  slotStepMinutes: number;
}
/** An active booking's blocked range, its own `[start − Bb, end + Ba)` already applied. */
export interface BusyRange extends InstantRange {
  staffId: string;
}
export interface SlotQuery {
  /** Working hours are wall-clock times in this zone. */
  tenantTimeZone: string;
  /** Only decides which instants the calendar days `fromDate..toDate` cover. */
  viewerTimeZone: string;
  /** Inclusive `YYYY-MM-DD` dates in `viewerTimeZone`. */
  fromDate: string;
  toDate: string;
  /** Epoch ms. */
  now: number;
  service: ServiceRules;
  /** Only staff who perform the service. */
  staff: StaffSchedule[];
  /** Any order, any staff. */
  busy: BusyRange[];
}
/** `staffIds` follow the order of `staff` in the query. */
export interface Slot {
  startsAt: number;
  endsAt: number;
  staffIds: string[];
}

type EngineQuery = Omit<SlotQuery, "fromDate" | "toDate" | "viewerTimeZone">;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/** The service rules in milliseconds, with rule 3 as an inclusive window of starts. */
interface Rules {
  durationMs: number;
  stepMs: number;
  bufferBeforeMs: number;
  bufferAfterMs: number;
  earliestStart: number;
  latestStart: number;
}

interface PreparedStaff {
  hours: WorkingHours;
  timeOff: InstantSpan[];
  busy: InstantSpan[];
}

/** Null when the rules cannot describe any slot: then nothing is offered rather than looping or throwing. */
function toRules(service: ServiceRules, now: number): Rules | null {
  const rules = {
    durationMs: service.durationMinutes * MS_PER_MINUTE,
    stepMs: service.slotStepMinutes * MS_PER_MINUTE,
    bufferBeforeMs: service.bufferBeforeMinutes * MS_PER_MINUTE,
    bufferAfterMs: service.bufferAfterMinutes * MS_PER_MINUTE,
    earliestStart: now + service.minNoticeMinutes * MS_PER_MINUTE,
    latestStart: now + service.maxAdvanceDays * MS_PER_DAY,
  };
  // A zero step would never advance the grid, and a zero duration would fit anywhere.
  const usable = rules.durationMs > 0 && rules.stepMs > 0 && Object.values(rules).every(Number.isFinite);
  return usable ? rules : null;
}

/** The range an appointment blocks for other bookings of the same staff member: its buffers included. */
export function blockedRange(
  startsAt: number,
  endsAt: number,
  service: Pick<ServiceRules, "bufferBeforeMinutes" | "bufferAfterMinutes">,
): InstantRange {
  return {
    startsAt: startsAt - service.bufferBeforeMinutes * MS_PER_MINUTE,
    endsAt: endsAt + service.bufferAfterMinutes * MS_PER_MINUTE,
  };
}

function prepareStaff(schedule: StaffSchedule, busy: readonly InstantSpan[]): PreparedStaff {
  return {
    hours: prepareWorkingHours(schedule),
    timeOff: normalizeRanges(schedule.timeOff),
    busy: normalizeRanges(busy),
  };
}

/** Rules 1 (time off) and 4 (other bookings' blocked ranges); the working-interval part is the caller's. */
function isFree(staff: PreparedStaff, rules: Rules, startsAt: number): boolean {
  const endsAt = startsAt + rules.durationMs;
  return (
    !overlapsAny(staff.timeOff, startsAt, endsAt) &&
    !overlapsAny(staff.busy, startsAt - rules.bufferBeforeMs, endsAt + rules.bufferAfterMs)
  );
}

/**
 * Tenant-local dates whose working intervals can hold a start in [from, to]. A date's intervals fall within
 * a day of that date's own midnight even around DST (gaps push forward, midnight fall-backs repeat a day),
 * so a margin of two dates each side is always enough; the extra dates only cost a lookup.
 */
function tenantDatesAround(from: number, to: number, timeZone: string): string[] {
  const last = addDays(instantToZonedDate(to, timeZone), 2);
  const dates: string[] = [];
  for (let date = addDays(instantToZonedDate(from, timeZone), -2); date <= last; date = addDays(date, 1)) {
    dates.push(date);
  }
  return dates;
}

/** Calls `visit` for each start of the step grid of `interval` (rule 2) that also lies in [bounds.from, bounds.to]. */
function forEachGridStart(
  interval: InstantSpan,
  rules: Rules,
  bounds: { from: number; to: number },
  visit: (startsAt: number) => void,
): void {
  const lastStart = Math.min(interval.endsAt - rules.durationMs, bounds.to);
  // Jump straight to the first grid point at or after `from` instead of walking up to it.
  const skipped = Math.max(0, Math.ceil((bounds.from - interval.startsAt) / rules.stepMs));
  for (let startsAt = interval.startsAt + skipped * rules.stepMs; startsAt <= lastStart; startsAt += rules.stepMs) {
    visit(startsAt);
  }
}

function isOnGrid(interval: InstantSpan, rules: Rules, startsAt: number): boolean {
  return (
    startsAt >= interval.startsAt &&
    startsAt + rules.durationMs <= interval.endsAt &&
    (startsAt - interval.startsAt) % rules.stepMs === 0
  );
}

function groupBusyByStaff(busy: readonly BusyRange[]): Map<string, InstantSpan[]> {
  const byStaff = new Map<string, InstantSpan[]>();
  for (const range of busy) {
    const list = byStaff.get(range.staffId);
    if (list) list.push(range);
    else byStaff.set(range.staffId, [range]);
  }
  return byStaff;
}

/** Offered starts for one staff member in [from, to], in no particular order and possibly repeated. */
function collectStarts(
  staff: PreparedStaff,
  dates: readonly string[],
  timeZone: string,
  rules: Rules,
  bounds: { from: number; to: number },
): number[] {
  const starts: number[] = [];
  for (const date of dates) {
    for (const interval of workingRangesOn(staff.hours, date, timeZone)) {
      forEachGridStart(interval, rules, bounds, (startsAt) => {
        if (isFree(staff, rules, startsAt)) starts.push(startsAt);
      });
    }
  }
  return starts;
}

/** A query made ready for the engine: its rules, its bounds (inclusive instants) and its staff, prepared once. */
interface PreparedQuery {
  rules: Rules;
  from: number;
  to: number;
  timeZone: string;
  staff: { staffId: string; prepared: PreparedStaff }[];
}

/** Null when nothing can be offered (unusable rules, an empty or fully past range). */
function prepareQuery(q: SlotQuery): PreparedQuery | null {
  const rules = toRules(q.service, q.now);
  if (!rules || q.fromDate > q.toDate) return null;
  const viewStart = zonedWallTimeToInstant(q.fromDate, 0, q.viewerTimeZone);
  const viewEnd = zonedWallTimeToInstant(addDays(q.toDate, 1), 0, q.viewerTimeZone);
  // Both bounds inclusive; instants are whole milliseconds, so "< viewEnd" is "≤ viewEnd − 1".
  const from = Math.max(viewStart, rules.earliestStart);
  const to = Math.min(viewEnd - 1, rules.latestStart);
  if (from > to) return null;
  const busyByStaff = groupBusyByStaff(q.busy);
  const staff = q.staff.map((schedule) => ({
    staffId: schedule.staffId,
    prepared: prepareStaff(schedule, busyByStaff.get(schedule.staffId) ?? []),
  }));
  return { rules, from, to, timeZone: q.tenantTimeZone, staff };
}

/** Every offered start in [from, to] (inclusive instants), each once, sorted, with every staff member free for it. */
function slotsBetween(q: PreparedQuery, from: number, to: number): Slot[] {
  const dates = tenantDatesAround(from, to, q.timeZone);
  const staffByStart = new Map<number, string[]>();
  for (const { staffId, prepared } of q.staff) {
    for (const startsAt of collectStarts(prepared, dates, q.timeZone, q.rules, { from, to })) {
      const staffIds = staffByStart.get(startsAt);
      // Overlapping intervals can yield a start twice; staff are visited in order, so checking the last suffices.
      if (!staffIds) staffByStart.set(startsAt, [staffId]);
      else if (staffIds[staffIds.length - 1] !== staffId) staffIds.push(staffId);
    }
  }
  return [...staffByStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startsAt, staffIds]) => ({ startsAt, endsAt: startsAt + q.rules.durationMs, staffIds }));
}

/**
 * Every offered start in the viewer's `fromDate..toDate`, each once, with every staff member free for it.
 * Throws RangeError for a malformed date or an unknown zone: the route validates those first.
 */
export function computeSlots(q: SlotQuery): Slot[] {
  const prepared = prepareQuery(q);
  return prepared ? slotsBetween(prepared, prepared.from, prepared.to) : [];
}

/** One page of computeSlots: its slots, and the start of the first slot left out (null after the last page). */
export interface SlotPage {
  slots: Slot[];
  nextStartsAt: number | null;
}

/**
 * The first `maxSlots` slots of computeSlots(q) that start at or after `startsAt`. The engine works through the range
 * in spans sized by the density seen so far (a day first, doubling while nothing is found) and stops once the page is
 * full, so a page costs about as much as the slots it holds, and a sparse range takes a few spans, not one per day.
 */
export function computeSlotPage(q: SlotQuery, page: { startsAt?: number | undefined; maxSlots: number }): SlotPage {
  const prepared = prepareQuery(q);
  const slots: Slot[] = [];
  if (!prepared) return { slots, nextStartsAt: null };
  const first = Math.max(prepared.from, page.startsAt ?? prepared.from);
  for (let from = first; from <= prepared.to; ) {
    const covered = from - first;
    const wanted = page.maxSlots + 1 - slots.length; // one more than fits names the next page
    const span =
      slots.length === 0
        ? Math.max(MS_PER_DAY, covered)
        : Math.max(MS_PER_DAY, Math.ceil((wanted * covered) / slots.length));
    const to = Math.min(from + span - 1, prepared.to);
    slots.push(...slotsBetween(prepared, from, to));
    if (slots.length > page.maxSlots)
      return { slots: slots.slice(0, page.maxSlots), nextStartsAt: slots[page.maxSlots]!.startsAt };
    from = to + 1;
  }
  return { slots, nextStartsAt: null };
}

/** Whether `startsAt` is offered for `staffId`: the booking-time check, deciding exactly as computeSlots does. */
export function isStartOffered(q: EngineQuery, staffId: string, startsAt: number): boolean {
  const rules = toRules(q.service, q.now);
  const schedule = q.staff.find((candidate) => candidate.staffId === staffId);
  if (!rules || !schedule || !(startsAt >= rules.earliestStart && startsAt <= rules.latestStart)) return false;
  const staff = prepareStaff(
    schedule,
    q.busy.filter((range) => range.staffId === staffId),
  );
  const inWorkingHours = tenantDatesAround(startsAt, startsAt, q.tenantTimeZone).some((date) =>
    workingRangesOn(staff.hours, date, q.tenantTimeZone).some((interval) => isOnGrid(interval, rules, startsAt)),
  );
  return inWorkingHours && isFree(staff, rules, startsAt);
}
