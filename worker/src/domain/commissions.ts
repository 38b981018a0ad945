// Commission rules (issue 14 item 1), as pure functions: which rule is in force for an appointment, what it earns,
// and how much of it a refund after completion takes back. The services read the rules and post the results
// (domain/ledger.ts commissionEarned, commissionReversed); nothing here reads a clock or the database.
import { AppError, ValidationFailed, type ValidationIssue } from "../errors.ts";
import { addDays, isoWeekday } from "./time.ts";

export const COMMISSION_RULE_KINDS = ["percent", "fixed"] as const;
export type CommissionRuleKind = (typeof COMMISSION_RULE_KINDS)[number];

/** A percent of the revenue recognised (tips excluded), or a fixed amount per appointment, from a local date on. */
export type CommissionRule =
  | { kind: "percent"; rateBps: number; serviceId: string | null; effectiveFrom: string }
  | { kind: "fixed"; amount: number; serviceId: string | null; effectiveFrom: string };

/** What a rule is worth without its scope: the staff member's legacy `commissionBps` is `{ percent, rateBps }`. */
export type CommissionTerms = { kind: "percent"; rateBps: number } | { kind: "fixed"; amount: number };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A rule that cannot be applied (a percent above 100, a negative amount): a 422 with the code, nothing stored. */
export class InvalidCommissionRule extends AppError {
  constructor(message: string, issues?: ValidationIssue[]) {
    super("COMMISSION_RULE_INVALID", message, issues);
  }
}

/** Throws InvalidCommissionRule unless the rule is applicable: 0–10000 bps, a non-negative integer amount, a date. */
export function checkRule(rule: CommissionRule): void {
  if (rule.kind === "percent" && (!Number.isSafeInteger(rule.rateBps) || rule.rateBps < 0 || rule.rateBps > 10_000))
    throw new InvalidCommissionRule(`A percent rule is 0–10000 basis points (0–100 %), got ${rule.rateBps}`);
  if (rule.kind === "fixed" && (!Number.isSafeInteger(rule.amount) || rule.amount < 0))
    throw new InvalidCommissionRule(`A fixed commission is a non-negative amount of minor units, got ${rule.amount}`);
  if (!DATE.test(rule.effectiveFrom)) throw new InvalidCommissionRule(`Not a date: ${rule.effectiveFrom}`);
}

/**
 * The rule in force on `localDate` (YYYY-MM-DD, the appointment's start in the tenant's zone) for `serviceId`: the
 * service's own rule with the latest `effectiveFrom` ≤ the date, else the default (serviceId null) likewise; null
 * when none is in force yet. Overlapping dates are fine: the latest start wins (ties: the later in the list).
 */
export function ruleInForce<R extends CommissionRule>(
  rules: readonly R[],
  serviceId: string | null,
  localDate: string,
): R | null {
  const latest = (scope: string | null): R | null => {
    let best: R | null = null;
    for (const r of rules)
      if (r.serviceId === scope && r.effectiveFrom <= localDate && (!best || r.effectiveFrom >= best.effectiveFrom))
        best = r;
    return best;
  };
  return (serviceId !== null ? latest(serviceId) : null) ?? latest(null);
}

/**
 * What a rule earns on `revenue` (minor units recognised, tips excluded, discounts deducted): a percent rule
 * rate × revenue rounded half up (never negative, never above the revenue, monotone in it); a fixed rule its amount,
 * capped at `revenue` only when `capFixed` (a cancellation or no-show fee earns at most the fee).
 */
export function commissionOf(terms: CommissionTerms, revenue: number, capFixed = false): number {
  if (!Number.isSafeInteger(revenue) || revenue < 0)
    throw new InvalidCommissionRule(`Revenue is a non-negative integer of minor units, got ${revenue}`);
  if (terms.kind === "fixed") {
    checkRule({ ...terms, serviceId: null, effectiveFrom: "2000-01-01" });
    return capFixed ? Math.min(terms.amount, revenue) : terms.amount;
  }
  checkRule({ ...terms, serviceId: null, effectiveFrom: "2000-01-01" });
  return Number((BigInt(revenue) * BigInt(terms.rateBps) + 5_000n) / 10_000n);
}

/**
 * The commission a refund after completion takes back, in proportion to the revenue refunded. `earned`: commission
 * posted on the booking; `reversed`: taken back by earlier refunds; `revenue`: recognised on it; `refundedBefore`:
 * refunded after completion before this refund of `amount`. Computed on the running total (round(earned × refunded
 * / revenue) − reversed), so partial refunds never take back more than was earned nor drift by rounding.
 */
export function commissionReversal(f: {
  earned: number;
  reversed: number;
  revenue: number;
  refundedBefore: number;
  amount: number;
}): number {
  for (const [k, v] of Object.entries(f))
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`commissionReversal: ${k} = ${v}`);
  const refunded = f.refundedBefore + f.amount;
  const target =
    f.revenue <= 0 || refunded >= f.revenue
      ? f.earned
      : Number((BigInt(f.earned) * BigInt(refunded) * 2n + BigInt(f.revenue)) / (2n * BigInt(f.revenue)));
  return Math.max(0, Math.min(f.earned, target) - f.reversed);
}

export const STATEMENT_PERIODS = ["week", "fortnight", "month"] as const;
export type StatementPeriodName = (typeof STATEMENT_PERIODS)[number];

/** The longest statement, in days (a year and a day, so any calendar year fits). */
export const STATEMENT_MAX_DAYS = 366;

/** Fortnights are counted from this Monday (ISO week 1 of 2024): every other Monday starts one. */
export const FORTNIGHT_ANCHOR = "2024-01-01";

/**
 * A statement's local dates, both inclusive: `from`/`to` as given, or the ISO week (Monday–Sunday), the fortnight
 * (two ISO weeks counted from FORTNIGHT_ANCHOR) or the calendar month that holds `date`. 400 when neither or both
 * are given, `to` is before `from`, or the period passes STATEMENT_MAX_DAYS.
 */
export function statementPeriod(q: {
  from?: string | undefined;
  to?: string | undefined;
  period?: StatementPeriodName | undefined;
  date?: string | undefined;
}): { from: string; to: string } {
  const bad = (message: string, path: string) => new ValidationFailed(message, [{ path: [path], message }]);
  if (q.period !== undefined) {
    if (q.from !== undefined || q.to !== undefined) throw bad("Give either period and date, or from and to", "period");
    if (q.date === undefined) throw bad("A period needs the date it holds", "date");
    const monday = addDays(q.date, 1 - isoWeekday(q.date));
    if (q.period === "week") return { from: monday, to: addDays(monday, 6) };
    if (q.period === "fortnight") {
      const weeks = Math.floor(daysBetween(FORTNIGHT_ANCHOR, monday) / 7);
      const start = addDays(monday, -7 * (((weeks % 2) + 2) % 2));
      return { from: start, to: addDays(start, 13) };
    }
    const first = `${q.date.slice(0, 7)}-01`;
    const next = addDays(first, 31);
    return { from: first, to: addDays(`${next.slice(0, 7)}-01`, -1) };
  }
  if (q.from === undefined || q.to === undefined) throw bad("Give from and to, or period and date", "from");
  if (q.to < q.from) throw bad("to must not be before from", "to");
  if (daysBetween(q.from, q.to) + 1 > STATEMENT_MAX_DAYS)
    throw bad(`A statement covers at most ${STATEMENT_MAX_DAYS} days`, "to");
  return { from: q.from, to: q.to };
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
