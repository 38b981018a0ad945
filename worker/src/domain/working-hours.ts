// Turns a staff member's wall-clock working hours (weekly pattern plus per-date overrides) into absolute
// instant ranges for one local date in the tenant's zone, so 09:00–17:00 stays 09:00–17:00 across DST.

import type { InstantSpan } from "./instant-ranges";
import { isoWeekday, parseHHMM, zonedWallTimeToInstant } from "./time";

/** Wall-clock working hours, `"HH:MM"`; `end` may be `"24:00"`. */
export interface LocalInterval {
  start: string;
  end: string;
}
/** Weekly working hours on an ISO weekday (Monday = 1 … Sunday = 7). */
export interface WeeklyInterval extends LocalInterval {
  weekday: number;
}

interface MinuteInterval {
  start: number;
  end: number;
}

export interface WorkingHours {
  /** Index 1..7 (ISO weekday); index 0 is unused. */
  byWeekday: MinuteInterval[][];
  overrides: Record<string, LocalInterval[]>;
}

// Malformed or empty intervals are skipped rather than thrown: validation belongs to the route, and a bad
// row must not make a whole calendar unavailable.
function toMinuteInterval(interval: LocalInterval): MinuteInterval | null {
  const start = parseHHMM(interval.start);
  const end = parseHHMM(interval.end, { allowEndOfDay: true });
  return start !== null && end !== null && start < end ? { start, end } : null;
}

function toMinuteIntervals(intervals: readonly LocalInterval[]): MinuteInterval[] {
  return intervals.map(toMinuteInterval).filter((interval): interval is MinuteInterval => interval !== null);
}

/** Parses the weekly pattern once per request; overrides stay raw because only a few dates are ever looked up. */
export function prepareWorkingHours(schedule: {
  weekly: readonly WeeklyInterval[];
  overrides: Record<string, LocalInterval[]>;
}): WorkingHours {
  const byWeekday: MinuteInterval[][] = [[], [], [], [], [], [], [], []];
  const weekly: readonly WeeklyInterval[] = schedule.weekly;
  for (const interval of weekly) {
    const parsed = toMinuteInterval(interval);
    if (parsed) byWeekday[interval.weekday]?.push(parsed);
  }
  return { byWeekday, overrides: schedule.overrides };
}

/** The working intervals of `date` as instant ranges; one per interval, unsorted and possibly overlapping. */
export function workingRangesOn(hours: WorkingHours, date: string, timeZone: string): InstantSpan[] {
  // `Object.hasOwn` so that a date key can never pick up an inherited property.
  const override = Object.hasOwn(hours.overrides, date) ? hours.overrides[date] : undefined;
  const intervals = override ? toMinuteIntervals(override) : (hours.byWeekday[isoWeekday(date)] ?? []);
  return intervals.map(({ start, end }) => ({
    startsAt: zonedWallTimeToInstant(date, start, timeZone),
    endsAt: zonedWallTimeToInstant(date, end, timeZone),
  }));
}
