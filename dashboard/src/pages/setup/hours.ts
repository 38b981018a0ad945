// The hours editor's logic, pure: a week as seven days (Monday first) of wall-clock intervals, and the operations the
// editor offers — add a shift, add or remove a break, copy a day — plus the checks the API would make (end after
// start, no overlap), reported per interval and field so the editor can show each error beside its input.

export interface Span {
  start: string;
  end: string;
}

/** Seven days, Monday (0) to Sunday (6), each a list of intervals in the order shown. */
export type Week = Span[][];

export interface WeeklyInterval {
  /** ISO weekday, Monday = 1. */
  weekday: number;
  start: string;
  end: string;
}

/** The problems the editor names; the page turns them into sentences. */
export type HoursProblem = "badTime" | "endBeforeStart" | "overlaps";

export interface HoursError {
  day: number;
  index: number;
  field: "start" | "end";
  problem: HoursProblem;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of "HH:MM" ("24:00" allowed as an end), or null. */
export function toMinutes(v: string, end = false): number | null {
  if (end && v === "24:00") return 1440;
  const m = HHMM.exec(v);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function toHHMM(minutes: number): string {
  const m = Math.max(0, Math.min(1440, Math.round(minutes)));
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

export const emptyWeek = (): Week => Array.from({ length: 7 }, () => []);

/** The API's weekly hours as a week, each day's intervals in time order. */
export function fromWeekly(hours: readonly WeeklyInterval[]): Week {
  const week = emptyWeek();
  for (const h of hours) week[h.weekday - 1]?.push({ start: h.start, end: h.end });
  for (const day of week) day.sort((a, b) => (toMinutes(a.start) ?? 0) - (toMinutes(b.start) ?? 0));
  return week;
}

/** The week as the API takes it; `at(i)` of the result is day/index `positions[i]` (to place the API's issues). */
export function toWeekly(week: Week): { hours: WeeklyInterval[]; positions: { day: number; index: number }[] } {
  const hours: WeeklyInterval[] = [];
  const positions: { day: number; index: number }[] = [];
  week.forEach((day, d) => {
    day.forEach((s, index) => {
      hours.push({ weekday: d + 1, start: s.start, end: s.end });
      positions.push({ day: d, index });
    });
  });
  return { hours, positions };
}

const replaceDay = (week: Week, day: number, spans: Span[]): Week => week.map((d, i) => (i === day ? spans : d));

/** A new shift after the day's last one (an hour after it ends, two hours long), or 09:00–17:00 on an empty day. */
export function addShift(week: Week, day: number): Week {
  const spans = week[day] ?? [];
  const last = spans.at(-1);
  const lastEnd = last ? toMinutes(last.end, true) : null;
  if (lastEnd === null) return replaceDay(week, day, [...spans, { start: "09:00", end: "17:00" }]);
  const start = Math.min(lastEnd + 60, 1380);
  return replaceDay(week, day, [...spans, { start: toHHMM(start), end: toHHMM(Math.min(start + 120, 1440)) }]);
}

export function removeShift(week: Week, day: number, index: number): Week {
  return replaceDay(
    week,
    day,
    (week[day] ?? []).filter((_, i) => i !== index),
  );
}

/** Changes one end of one interval (the text as typed: it is checked by `validateWeek`, not here). */
export function setTime(week: Week, day: number, index: number, field: "start" | "end", value: string): Week {
  return replaceDay(
    week,
    day,
    (week[day] ?? []).map((s, i) => (i === index ? { ...s, [field]: value } : s)),
  );
}

/**
 * Splits an interval with a break: `[start, breakStart)` and `[breakEnd, end)`. Without a break given, a one-hour
 * break at 13:00 when it fits, else one in the middle (half an hour for short shifts). Unchanged when the interval
 * is unreadable or too short to keep a part on each side.
 */
export function addBreak(week: Week, day: number, index: number, brk?: Span): Week {
  const spans = week[day] ?? [];
  const s = spans[index];
  if (!s) return week;
  const a = toMinutes(s.start);
  const b = toMinutes(s.end, true);
  if (a === null || b === null || b - a < 30) return week;
  let from: number;
  let to: number;
  if (brk) {
    const bs = toMinutes(brk.start);
    const be = toMinutes(brk.end, true);
    if (bs === null || be === null || bs <= a || be >= b || be <= bs) return week;
    from = bs;
    to = be;
  } else if (a + 60 <= 780 && 840 + 60 <= b) {
    from = 780;
    to = 840;
  } else {
    const len = b - a >= 180 ? 60 : b - a >= 90 ? 30 : 10;
    from = a + Math.floor((b - a - len) / 2 / 5) * 5;
    to = from + len;
  }
  const parts = [
    { start: s.start, end: toHHMM(from) },
    { start: toHHMM(to), end: s.end },
  ];
  return replaceDay(week, day, [...spans.slice(0, index), ...parts, ...spans.slice(index + 1)]);
}

/** Removes the break after interval `index`: it and the next one become one interval. */
export function removeBreak(week: Week, day: number, index: number): Week {
  const spans = week[day] ?? [];
  const a = spans[index];
  const b = spans[index + 1];
  if (!a || !b) return week;
  return replaceDay(week, day, [...spans.slice(0, index), { start: a.start, end: b.end }, ...spans.slice(index + 2)]);
}

/** Copies one day's intervals onto other days (replacing theirs). */
export function copyDay(week: Week, from: number, to: readonly number[]): Week {
  const src = week[from] ?? [];
  return week.map((d, i) => (i !== from && to.includes(i) ? src.map((s) => ({ ...s })) : d));
}

/** Monday's hours on Tuesday to Friday. */
export const copyMondayToWeekdays = (week: Week): Week => copyDay(week, 0, [1, 2, 3, 4]);

/** The breaks of a day: the gaps between consecutive intervals (in the order shown). */
export function breaksOf(spans: readonly Span[]): { after: number; start: string; end: string }[] {
  const out: { after: number; start: string; end: string }[] = [];
  for (let i = 0; i + 1 < spans.length; i++) {
    const a = toMinutes(spans[i]!.end, true);
    const b = toMinutes(spans[i + 1]!.start);
    if (a !== null && b !== null && b > a) out.push({ after: i, start: spans[i]!.end, end: spans[i + 1]!.start });
  }
  return out;
}

/** One day's problems: unreadable times, an end not after its start, an interval overlapping another. */
export function validateDay(spans: readonly Span[], day = 0): HoursError[] {
  const errors: HoursError[] = [];
  const ok: { index: number; a: number; b: number }[] = [];
  spans.forEach((s, index) => {
    const a = toMinutes(s.start);
    const b = toMinutes(s.end, true);
    if (a === null) errors.push({ day, index, field: "start", problem: "badTime" });
    if (b === null) errors.push({ day, index, field: "end", problem: "badTime" });
    if (a === null || b === null) return;
    if (b <= a) errors.push({ day, index, field: "end", problem: "endBeforeStart" });
    else ok.push({ index, a, b });
  });
  ok.sort((x, y) => x.a - y.a);
  for (let k = 1; k < ok.length; k++) {
    // touching (one ends when the next starts) is fine; the later of two overlapping intervals gets the error
    if (ok[k]!.a < ok[k - 1]!.b) errors.push({ day, index: ok[k]!.index, field: "start", problem: "overlaps" });
  }
  return errors;
}

export function validateWeek(week: Week): HoursError[] {
  return week.flatMap((spans, day) => validateDay(spans, day));
}

/** Total working minutes of a day (valid intervals only), for the day's summary. */
export function minutesOf(spans: readonly Span[]): number {
  return spans.reduce((n, s) => {
    const a = toMinutes(s.start);
    const b = toMinutes(s.end, true);
    return a !== null && b !== null && b > a ? n + b - a : n;
  }, 0);
}

/**
 * Where an API issue about the weekly hours belongs: `weeklyHours.<n>` is the n-th interval sent (`positions` from
 * `toWeekly`), shown at that interval's end; null for any other path.
 */
export function weeklyIssueField(key: string, positions: readonly { day: number; index: number }[]): string | null {
  const m = /^weeklyHours\.(\d+)(?:\.(start|end))?/.exec(key);
  const p = m ? positions[Number(m[1])] : undefined;
  return p ? `hours.${p.day}.${p.index}.${m?.[2] ?? "end"}` : null;
}
