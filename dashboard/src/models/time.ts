// Wall-clock arithmetic in the business's time zone with Intl only: an instant's local date and minute of the day,
// and back. Calendar dates are `YYYY-MM-DD` strings; minutes count from local midnight.

const partsCache = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsCache.set(timeZone, f);
  }
  return f;
}

export interface Local {
  /** The local calendar date, YYYY-MM-DD. */
  date: string;
  /** Minutes since local midnight (0–1439). */
  minutes: number;
}

/** The local date and minute of the day of an instant in `timeZone`. */
export function toLocal(instant: string | number | Date, timeZone: string): Local {
  const p: Record<string, string> = {};
  for (const { type, value } of partsFormat(timeZone).formatToParts(new Date(instant))) p[type] = value;
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute) };
}

/** The zone's offset from UTC, in minutes, at an instant. */
function offsetAt(ms: number, timeZone: string): number {
  const l = toLocal(ms, timeZone);
  const asUtc = Date.parse(`${l.date}T00:00:00Z`) + l.minutes * 60_000;
  return Math.round((asUtc - (ms - (ms % 60_000))) / 60_000);
}

/**
 * The instant (UTC ISO) of a local date and minute in `timeZone`. In a spring-forward gap the time after the gap is
 * returned; in a fall-back overlap, the earlier of the two.
 */
export function fromLocal(date: string, minutes: number, timeZone: string): string {
  const naive = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  // the zone's offsets a day either side: one of them is in force at the wall time (the same, save on a change day)
  const before = naive - offsetAt(naive - 86_400_000, timeZone) * 60_000;
  const after = naive - offsetAt(naive + 86_400_000, timeZone) * 60_000;
  const ok = (ms: number) => {
    const l = toLocal(ms, timeZone);
    return l.date === date && l.minutes === minutes;
  };
  // both fit in a fall-back overlap (the earlier wins); neither in a spring-forward gap (the old offset lands after it)
  const pick = [Math.min(before, after), Math.max(before, after)].find(ok) ?? before;
  return new Date(pick).toISOString();
}

/** A date `n` days after `date` (negative: before). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayMon0(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The seven dates of the week (Monday first) that holds `date`. */
export function weekOf(date: string): string[] {
  const monday = addDays(date, -weekdayMon0(date));
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** "09:30" for a minute of the day. */
export function hhmm(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}
