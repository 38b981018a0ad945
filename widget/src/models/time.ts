// Calendar dates (`YYYY-MM-DD`) and instants in the customer's IANA zone, with Intl only (no date library).

export interface Month {
  y: number;
  /** 1..12 */
  m: number;
}

const cache = new Map<string, Intl.DateTimeFormat>();

/** A cached Intl.DateTimeFormat: building one is the slow part of formatting. */
export function dtf(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, opts);
    cache.set(key, f);
  }
  return f;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The calendar date of an instant in a zone. */
export function dateKeyIn(instant: string | Date, timeZone: string): string {
  const parts = dtf("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(
    typeof instant === "string" ? new Date(instant) : instant,
  );
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

export const toKey = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

export function parseKey(key: string): { y: number; m: number; d: number } {
  const [y, m, d] = key.split("-").map(Number) as [number, number, number];
  return { y, m, d };
}

/** A calendar date as a UTC-noon Date, for formatting it with `timeZone: "UTC"`. */
export const keyDate = (key: string) => new Date(`${key}T12:00:00Z`);

export function addDays(key: string, n: number): string {
  const d = keyDate(key);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const daysInMonth = ({ y, m }: Month) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** 0 = Monday … 6 = Sunday. */
export const weekdayOf = (key: string) => (keyDate(key).getUTCDay() + 6) % 7;

export const monthOf = (key: string): Month => {
  const { y, m } = parseKey(key);
  return { y, m };
};

export const addMonths = ({ y, m }: Month, n: number): Month => {
  const i = y * 12 + (m - 1) + n;
  return { y: Math.floor(i / 12), m: (i % 12) + 1 };
};

export const sameMonth = (a: Month, b: Month) => a.y === b.y && a.m === b.m;

/** The customer's zone, falling back to UTC when the runtime cannot tell. */
export function guessZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** Every IANA zone the browser knows, with the current one included even if it is an alias. */
export function zoneList(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone");
  } catch {
    // old runtime: the current zone only
  }
  return zones.includes(current) ? zones : [current, ...zones];
}
