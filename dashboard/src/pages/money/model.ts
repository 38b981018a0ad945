// The Money page's pure parts: which local dates a period picker choice covers (in the business's time zone), the
// bar chart's scale, amounts as the CSV's decimal strings, and the "Mark paid" amount read from its field.
import { addDays, toLocal, weekdayMon0 } from "../../models/time.ts";

export type PeriodChoice = "week" | "month" | "lastMonth" | "custom";
export const PERIOD_CHOICES: readonly PeriodChoice[] = ["week", "month", "lastMonth", "custom"];
/** The reports' own limit: at most 366 days, both ends included. */
export const MAX_PERIOD_DAYS = 366;

export interface Period {
  from: string;
  to: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date (`2027-02-30` is not). */
export function isDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
export function daysIn(p: Period): number {
  const n = (Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000 + 1;
  return Math.max(0, Math.round(n));
}

const lastOfMonth = (ym: string) => {
  const [y, m] = ym.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/**
 * The local dates a choice covers on the business's `today` (`YYYY-MM-DD` in its zone): this ISO week (Monday to
 * Sunday), this calendar month, last calendar month, or the custom range as given.
 */
export function periodFor(choice: PeriodChoice, today: string, custom?: Period): Period {
  switch (choice) {
    case "week": {
      const monday = addDays(today, -weekdayMon0(today));
      return { from: monday, to: addDays(monday, 6) };
    }
    case "month": {
      const first = `${today.slice(0, 7)}-01`;
      return { from: first, to: lastOfMonth(first) };
    }
    case "lastMonth": {
      const prev = addDays(`${today.slice(0, 7)}-01`, -1);
      return { from: `${prev.slice(0, 7)}-01`, to: prev };
    }
    case "custom":
      return custom ?? { from: today, to: today };
  }
}

/** The business's today from an instant. */
export const localToday = (now: Date, timeZone: string): string => toLocal(now, timeZone).date;

/** Why a custom range cannot be asked for (null: it can): the same rules the API applies, said before asking. */
export function customProblem(p: Period): { field: "from" | "to"; code: "date" | "order" | "long" } | null {
  if (!isDate(p.from)) return { field: "from", code: "date" };
  if (!isDate(p.to)) return { field: "to", code: "date" };
  if (p.to < p.from) return { field: "to", code: "order" };
  if (daysIn(p) > MAX_PERIOD_DAYS) return { field: "to", code: "long" };
  return null;
}

export interface Bar {
  key: string;
  value: number;
  /** Top edge and height in chart units (0 at the top, `height` at the bottom). */
  y: number;
  h: number;
}

/**
 * Bars for values on a chart `height` units tall, with a zero line: positives rise from it, negatives hang below it;
 * the largest magnitude fills the height used on its side. All zeros: flat bars on the baseline at the bottom.
 */
export function scaleBars(
  values: readonly { key: string; value: number }[],
  height: number,
): { bars: Bar[]; zero: number; max: number; min: number } {
  const max = Math.max(0, ...values.map((v) => v.value));
  const min = Math.min(0, ...values.map((v) => v.value));
  const span = max - min;
  if (span === 0) return { bars: values.map((v) => ({ ...v, y: height, h: 0 })), zero: height, max, min };
  const unit = height / span;
  const zero = max * unit;
  const bars = values.map((v) => {
    const h = Math.abs(v.value) * unit;
    return { ...v, y: v.value >= 0 ? zero - h : zero, h };
  });
  return { bars, zero, max, min };
}

/** Minor units as the CSV writes them: `1234` with exponent 2 → `12.34`, `-5` → `-0.05`, JPY `500` → `500`. */
export function decimal(minor: number, exponent: number): string {
  if (exponent === 0) return String(minor);
  const sign = minor < 0 ? "-" : "";
  const s = String(Math.abs(minor)).padStart(exponent + 1, "0");
  return `${sign}${s.slice(0, -exponent)}.${s.slice(-exponent)}`;
}

/** A typed amount ("12.5", "12,50") in minor units, or null when it is not a positive amount of that precision. */
export function parseAmount(text: string, exponent: number): number | null {
  const t = text.trim().replace(",", ".");
  const re = exponent === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${exponent}})?$`);
  if (!re.test(t)) return null;
  const [whole, frac = ""] = t.split(".") as [string, string?];
  const minor = Number(whole) * 10 ** exponent + Number(frac.padEnd(exponent, "0") || "0");
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}

/** A CSV file's name for a report and period (what the download saves as). */
export const csvName = (report: "summary" | "revenue", p: Period, groupBy?: string) =>
  `bookra-${report}${groupBy ? `-${groupBy}` : ""}-${p.from}-to-${p.to}.csv`;
