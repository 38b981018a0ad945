// Pure calendar and time-zone helpers for the availability engine: local dates, wall-clock minutes and
// IANA zones, built on `Intl` only so the same code runs in Cloudflare Workers and Node.

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const MINUTES_PER_DAY = 1440;

/** A validated calendar date, e.g. `{ year: 2027, month: 3, day: 28 }`. */
interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function parseCivilDate(date: string): CivilDate | null {
  const match = DATE_PATTERN.exec(date);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function requireCivilDate(date: string): CivilDate {
  const civil = parseCivilDate(date);
  if (!civil) throw new RangeError(`Invalid calendar date: ${JSON.stringify(date)}`);
  return civil;
}

// Arithmetic (Hinnant's days-from-civil) instead of `Date.UTC`, which maps years 0–99 to 1900–1999
// and allocates nothing here.
function civilToEpochDay({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function epochDayToCivil(epochDay: number): CivilDate {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function formatCivilDate({ year, month, day }: CivilDate): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** True for a real `YYYY-MM-DD` calendar date (no 2027-02-30). */
export function isValidDate(date: string): boolean {
  return parseCivilDate(date) !== null;
}

/** ISO weekday of a calendar date: Monday = 1 … Sunday = 7. */
export function isoWeekday(date: string): number {
  // Epoch day 0 (1970-01-01) was a Thursday (ISO 4).
  return ((((civilToEpochDay(requireCivilDate(date)) + 3) % 7) + 7) % 7) + 1;
}

/** The calendar date `n` days after (or before, for negative `n`) `date`. */
export function addDays(date: string, n: number): string {
  return formatCivilDate(epochDayToCivil(civilToEpochDay(requireCivilDate(date)) + n));
}

/**
 * Minutes since midnight for a strict `HH:MM` (two-digit hour and minute), or null.
 * `"24:00"` (1440) is accepted only with `allowEndOfDay`, because it is meaningful only as an interval end.
 */
export function parseHHMM(value: string, options: { allowEndOfDay?: boolean } = {}): number | null {
  if (value === "24:00") return options.allowEndOfDay ? MINUTES_PER_DAY : null;
  const match = HHMM_PATTERN.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

// Creating a DateTimeFormat costs far more than formatting with one, so keep one per zone for the isolate's life.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True for a zone name `Intl` knows (IANA names such as `Europe/London`, and `UTC`); offsets like `+05:30` are not names. */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone === "" || /^[+-]/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

// `format` is about 3x faster than `formatToParts`; en-US with 2-digit fields renders "03/28/2027, 01:30:00".
const EN_US_PATTERN = /^(\d{2})\/(\d{2})\/(\d+), (\d{2}):(\d{2}):(\d{2})$/;

/** Wall-clock fields of an instant in a zone, as `Date.UTC` would encode them. */
function wallClockAsUtc(ms: number, timeZone: string): number {
  const formatter = formatterFor(timeZone);
  const match = EN_US_PATTERN.exec(formatter.format(ms));
  if (match) {
    const [, month, day, year, hour, minute, second] = match.map(Number);
    return Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
  }
  // Unexpected rendering (another ICU build): fall back to the structured, slower API.
  const field = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(formatter.formatToParts(ms).find((part) => part.type === type)?.value ?? 0);
  return Date.UTC(field("year"), field("month") - 1, field("day"), field("hour"), field("minute"), field("second"));
}

/** UTC offset (wall clock minus UTC, in ms) of `timeZone` at instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const wholeSeconds = Math.floor(ms / 1000) * 1000;
  return wallClockAsUtc(wholeSeconds, timeZone) - wholeSeconds;
}

/** The local calendar date of an instant in `timeZone`. */
export function instantToZonedDate(ms: number, timeZone: string): string {
  return new Date(ms + offsetAt(ms, timeZone)).toISOString().slice(0, 10);
}

// Results depend only on (zone, date, minutes) and the same few wall times recur for every staff member and
// request, so memoise; the bound keeps a long-lived isolate from growing without limit.
const wallTimeCache = new Map<string, number>();
const WALL_TIME_CACHE_LIMIT = 50_000;

/**
 * The instant (epoch ms) at which the wall clock in `timeZone` shows `minutesOfDay` (0..1440) on `date`.
 * Like Temporal's `disambiguation: "compatible"`: a time skipped by a spring-forward gap is shifted forward
 * by the gap's length; a time repeated by a fall-back takes the earlier instant.
 */
export function zonedWallTimeToInstant(date: string, minutesOfDay: number, timeZone: string): number {
  if (!Number.isInteger(minutesOfDay) || minutesOfDay < 0 || minutesOfDay > MINUTES_PER_DAY) {
    throw new RangeError(`minutesOfDay must be an integer in 0..1440, got ${minutesOfDay}`);
  }
  const key = `${timeZone}|${date}|${minutesOfDay}`;
  const cached = wallTimeCache.get(key);
  if (cached !== undefined) return cached;
  const localAsUtc = civilToEpochDay(requireCivilDate(date)) * MS_PER_DAY + minutesOfDay * MS_PER_MINUTE;
  const instant = resolveWallTime(localAsUtc, timeZone);
  if (wallTimeCache.size >= WALL_TIME_CACHE_LIMIT) wallTimeCache.clear();
  wallTimeCache.set(key, instant);
  return instant;
}

// Temporal's algorithm: the offsets a day either side bracket any single transition near the wall time;
// each is a candidate that is valid if the zone really has that offset at the resulting instant.
function resolveWallTime(localAsUtc: number, timeZone: string): number {
  const offsetBefore = offsetAt(localAsUtc - MS_PER_DAY, timeZone);
  const offsetAfter = offsetAt(localAsUtc + MS_PER_DAY, timeZone);
  const earlier = localAsUtc - Math.max(offsetBefore, offsetAfter);
  const later = localAsUtc - Math.min(offsetBefore, offsetAfter);
  if (offsetAt(earlier, timeZone) === Math.max(offsetBefore, offsetAfter)) return earlier;
  if (offsetAt(later, timeZone) === Math.min(offsetBefore, offsetAfter)) return later;
  // In a gap: read the wall time with the pre-transition offset, which lands the gap's length later.
  return localAsUtc - offsetBefore;
}
