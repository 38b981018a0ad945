// Standard 5-field cron expressions (minute hour day-of-month month day-of-week, UTC, as Cloudflare runs them): `*`,
// numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`, month and weekday names (JAN, MON), weekday 7 = Sunday.
// Day-of-month and day-of-week combine as in Vixie cron: when both are restricted, either one matching is enough.
// Cloudflare's extensions (L, W, #) are refused with a clear error rather than guessed at.

export interface CronSchedule {
  expression: string;
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

function parseField(
  text: string,
  min: number,
  max: number,
  names: string[] = [],
  nameBase = 0,
  expression = text,
): Set<number> {
  const value = (s: string): number => {
    const byName = names.indexOf(s.toUpperCase());
    if (byName >= 0) return byName + nameBase;
    if (!/^\d+$/.test(s)) throw new Error(`cron "${expression}": "${s}" is not a number or name`);
    const n = Number(s);
    if (n < min || n > max) throw new Error(`cron "${expression}": ${n} is outside ${min}-${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron "${expression}": cannot read "${part}"`);
    const [, range, stepText] = m as unknown as [string, string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new Error(`cron "${expression}": step must be at least 1`);
    let lo: number;
    let hi: number;
    if (range === "*") {
      lo = min;
      hi = max;
    } else if (range.includes("-")) {
      const [a, b, ...rest] = range.split("-");
      if (rest.length > 0 || a === undefined || b === undefined)
        throw new Error(`cron "${expression}": cannot read "${part}"`);
      lo = value(a);
      hi = value(b);
      if (lo > hi) throw new Error(`cron "${expression}": range ${range} runs backwards`);
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max; // "5/15" means 5, 20, 35, 50
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron "${expression}": expected 5 fields, got ${fields.length}`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (/[LW#?]/i.test(dom.replace(/[A-Z]{3}/gi, "")) || /[LW#?]/i.test(dow.replace(/[A-Z]{3}/gi, "")))
    throw new Error(`cron "${expression}": L, W, # and ? are not supported`);
  const daysOfWeek = parseField(dow, 0, 7, WEEKDAYS, 0, expression);
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    expression,
    minutes: parseField(minute, 0, 59, [], 0, expression),
    hours: parseField(hour, 0, 23, [], 0, expression),
    daysOfMonth: parseField(dom, 1, 31, [], 0, expression),
    months: parseField(month, 1, 12, MONTHS, 1, expression),
    daysOfWeek,
    domRestricted: !dom.startsWith("*"),
    dowRestricted: !dow.startsWith("*"),
  };
}

/** Whether the schedule fires in the UTC minute that contains `at`. */
export function cronMatches(s: CronSchedule, at: Date): boolean {
  if (!s.minutes.has(at.getUTCMinutes()) || !s.hours.has(at.getUTCHours()) || !s.months.has(at.getUTCMonth() + 1))
    return false;
  const dom = s.daysOfMonth.has(at.getUTCDate());
  const dow = s.daysOfWeek.has(at.getUTCDay());
  if (s.domRestricted && s.dowRestricted) return dom || dow;
  if (s.domRestricted) return dom;
  if (s.dowRestricted) return dow;
  return true;
}

/** The first minute strictly after `after` at which the schedule fires (UTC, on the minute); null past 5 years. */
export function nextCronTime(s: CronSchedule, after: Date): Date | null {
  const t = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  const limit = after.getTime() + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!s.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!cronMatches({ ...s, minutes: ALL_MINUTES, hours: ALL_HOURS }, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!s.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!s.minutes.has(t.getUTCMinutes())) {
      t.setTime(t.getTime() + 60_000);
      continue;
    }
    return t;
  }
  return null;
}

const ALL_MINUTES = new Set(Array.from({ length: 60 }, (_, i) => i));
const ALL_HOURS = new Set(Array.from({ length: 24 }, (_, i) => i));

/** The `crons` of wrangler.toml's `[triggers]` table (the only part of the file the local cron driver needs). */
export function cronTriggersOf(toml: string): string[] {
  const lines = toml.split("\n").map((l) => l.replace(/#.*$/, ""));
  const start = lines.findIndex((l) => l.trim() === "[triggers]");
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.trim().startsWith("["));
  const table = lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
  const m = /^\s*crons\s*=\s*\[([^\]]*)\]/m.exec(table);
  return m ? [...(m[1] ?? "").matchAll(/"([^"]*)"|'([^']*)'/g)].map((x) => x[1] ?? x[2] ?? "") : [];
}
