// Reports from the ledger only (issue 14 item 4; docs/ARCHITECTURE.md "Reports"): which ledger lines each figure
// sums, the period rules, and the CSV form. Pure: services/reports/ reads the sums (debits and credits per account and
// currency) and hands them here.

/** Sums of lines on one account in one currency: debits ≥ 0, credits ≤ 0 (amount = debits + credits). */
export interface AccountSums {
  account: string;
  currency: string;
  debits: number;
  credits: number;
}

/** How a figure reads an account: its balance (debits + credits) or only its credits, and the sign shown. */
interface Term {
  /** An account code of the chart, or a per-staff base ending in `:` (`tips_payable:` = every staff member's). */
  account: string;
  side: "balance" | "credits";
  sign: 1 | -1;
}

const income = (account: string): Term => ({ account, side: "balance", sign: -1 });
const expense = (account: string): Term => ({ account, side: "balance", sign: 1 });

/**
 * Every figure of a report and the ledger lines it sums (docs/API.md "Reports" lists the same table). Income is shown
 * positive (credits), expenses and contra-income positive (debits). Period figures sum the lines of entries that
 * occurred in the period; `depositsHeld` and `stripeOwes` are balances over all time up to now.
 */
export const FIGURES = {
  serviceRevenue: [income("service_revenue")],
  cancellationFees: [income("cancellation_fees")],
  grossTakings: [income("service_revenue"), income("cancellation_fees")],
  refunds: [expense("refunds_given")],
  discounts: [expense("discounts")],
  tips: [{ account: "tips_payable:", side: "credits", sign: -1 }],
  stripeFees: [expense("stripe_fees")],
  platformFees: [expense("platform_fees")],
  disputeCosts: [expense("dispute_fees"), expense("dispute_losses")],
  commissions: [expense("commission_expense")],
  net: [
    income("service_revenue"),
    income("cancellation_fees"),
    income("refunds_given"),
    income("discounts"),
    income("stripe_fees"),
    income("platform_fees"),
    income("dispute_fees"),
    income("dispute_losses"),
    income("commission_expense"),
  ],
  depositsHeld: [income("customer_deposits")],
  stripeOwes: [expense("stripe_balance")],
} as const satisfies Record<string, readonly Term[]>;

export type FigureName = keyof typeof FIGURES;
export const SUMMARY_FIGURES = Object.keys(FIGURES) as FigureName[];
/** The figures of each row of the revenue report. */
export const REVENUE_FIGURES = [
  "serviceRevenue",
  "cancellationFees",
  "refunds",
  "discounts",
  "tips",
] as const satisfies readonly FigureName[];
export type RevenueFigure = (typeof REVENUE_FIGURES)[number];
/** `netRevenue` of a revenue row: what the business keeps of its sales before fees (no tips: they are the staff's). */
export const NET_REVENUE: readonly Term[] = [
  income("service_revenue"),
  income("cancellation_fees"),
  income("refunds_given"),
  income("discounts"),
];

function matches(term: Term, account: string): boolean {
  return term.account.endsWith(":") ? account.startsWith(term.account) : account === term.account;
}

/** A figure from the sums of one currency. */
export function figureOf(terms: readonly Term[], sums: readonly AccountSums[]): number {
  let total = 0;
  for (const s of sums)
    for (const t of terms)
      if (matches(t, s.account)) total += t.sign * (t.side === "credits" ? s.credits : s.debits + s.credits);
  return total + 0; // never -0
}

export function figuresOf<K extends FigureName>(names: readonly K[], sums: readonly AccountSums[]): Record<K, number> {
  return Object.fromEntries(names.map((n) => [n, figureOf(FIGURES[n], sums)])) as Record<K, number>;
}

// ---------------------------------------------------------------------------------------------------------------
// Periods: `from` and `to` are local dates of the tenant (both included); a day of 23 or 25 hours is still one day.

export const MAX_PERIOD_DAYS = 366;
export const GROUP_BY = ["day", "week", "month", "staff", "service"] as const;
export type GroupBy = (typeof GROUP_BY)[number];

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Why a period is refused, or null: `from` after `to`, or longer than MAX_PERIOD_DAYS days. */
export function periodProblem(from: string, to: string): string | null {
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (Number.isNaN(days)) return "from and to must be dates (YYYY-MM-DD)";
  if (days < 1) return "from must not be after to";
  if (days > MAX_PERIOD_DAYS) return `A period is at most ${MAX_PERIOD_DAYS} days (this one has ${days})`;
  return null;
}

/** The key of the day/week/month a local date falls in: the date, the Monday of its ISO week, `YYYY-MM`. */
export function periodKey(date: string, groupBy: "day" | "week" | "month"): string {
  if (groupBy === "day") return date;
  if (groupBy === "month") return date.slice(0, 7);
  const n = dayNumber(date);
  const weekday = (new Date(n * DAY_MS).getUTCDay() + 6) % 7; // Monday 0
  return dateOf(n - weekday);
}

/** Every key of a period, in order (so a chart has its empty days too). */
export function periodKeys(from: string, to: string, groupBy: "day" | "week" | "month"): string[] {
  const keys: string[] = [];
  for (let n = dayNumber(from); n <= dayNumber(to); n++) {
    const key = periodKey(dateOf(n), groupBy);
    if (keys[keys.length - 1] !== key) keys.push(key);
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------------------------
// Money as text and CSV.

/** The ISO 4217 exponent of a currency (GBP 2, JPY 0, BHD 3), from the runtime's currency data. */
export function exponentOf(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Minor units as a decimal string in the currency's exponent: 12345 GBP → "123.45", -5 → "-0.05", 500 JPY → "500". */
export function decimalOf(minor: number, exponent: number): string {
  if (!Number.isSafeInteger(minor)) throw new Error(`not an amount of minor units: ${minor}`);
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor));
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, "0");
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/**
 * A text cell that no spreadsheet will read as a formula: one starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return gets a leading `'` (OWASP "CSV injection"). Amounts are written by `decimalOf`, not through here.
 */
export function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF (quotes doubled). */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export type CsvCell = { text: string } | { amount: number; exponent: number } | { raw: string };

/** An RFC 4180 document (CRLF line ends, header row first); text cells are neutralised by `safeText`. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const cell = (c: CsvCell) =>
    "text" in c ? field(safeText(c.text)) : "amount" in c ? decimalOf(c.amount, c.exponent) : field(c.raw);
  return [header.map(field).join(","), ...rows.map((r) => r.map(cell).join(","))].map((l) => `${l}\r\n`).join("");
}
