// Reports from the ledger only (issue 14 item 4): sums of the daily rollup of journal lines (migrations/0025,
// kept in the posting's statement), never bookings' state. One statement per report; domain/reports.ts says which
// lines each figure sums and writes the CSV.
import { type SQL, sql } from "drizzle-orm";
import { inlined } from "../../db/client.ts";
import {
  type AccountSums,
  exponentOf,
  FIGURES,
  figureOf,
  figuresOf,
  NET_REVENUE,
  periodKeys,
  REVENUE_FIGURES,
  SUMMARY_FIGURES,
  toCsv,
} from "../../domain/reports.ts";
import type {
  ReportRevenue,
  ReportRevenueQuery,
  ReportRevenueRow,
  ReportSummary,
  ReportSummaryQuery,
} from "../../schemas/reports.ts";
import type { TenantCtx } from "../context.ts";

interface Tenant {
  timezone: string;
  currency: string;
}

type SumRow = AccountSums & { key: string };

const sums = (rows: SumRow[] | null | undefined): SumRow[] =>
  (rows ?? []).map((r) => ({ ...r, debits: Number(r.debits), credits: Number(r.credits) }));

/** Currencies with lines, the business's own first (always). */
function currenciesOf(tenant: Tenant, rows: readonly AccountSums[]): string[] {
  return [tenant.currency, ...[...new Set(rows.map((r) => r.currency))].filter((c) => c !== tenant.currency).sort()];
}

export async function reportSummary({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: ReportSummaryQuery;
}): Promise<ReportSummary> {
  const result = await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
    tx.execute(
      inlined(sql`
        SELECT (SELECT json_build_object('timezone', timezone, 'currency', currency) FROM tenants
                WHERE id = ${ctx.tenantId}) AS tenant,
               (SELECT json_agg(p) FROM (
                  SELECT '' AS key, account, currency, sum(debits) AS debits, sum(credits) AS credits FROM ledger_daily
                  WHERE tenant_id = ${ctx.tenantId} AND day BETWEEN ${input.from}::date AND ${input.to}::date
                  GROUP BY account, currency) p) AS period,
               (SELECT json_agg(b) FROM (
                  SELECT '' AS key, account, currency, sum(debits) AS debits, sum(credits) AS credits FROM ledger_daily
                  WHERE tenant_id = ${ctx.tenantId} AND account IN ('customer_deposits', 'stripe_balance')
                  GROUP BY account, currency) b) AS now`),
    ),
  );
  const row = result.rows[0] as { tenant: Tenant; period: SumRow[] | null; now: SumRow[] | null };
  const period = sums(row.period);
  const now = sums(row.now);
  const periodNames = SUMMARY_FIGURES.filter((n) => n !== "depositsHeld" && n !== "stripeOwes");
  return {
    from: input.from,
    to: input.to,
    timezone: row.tenant.timezone,
    currencies: currenciesOf(row.tenant, [...period, ...now]).map((currency) => {
      const inPeriod = period.filter((s) => s.currency === currency);
      const atNow = now.filter((s) => s.currency === currency);
      return {
        currency,
        exponent: exponentOf(currency),
        ...figuresOf(periodNames, inPeriod),
        depositsHeld: figureOf(FIGURES.depositsHeld, atNow),
        stripeOwes: figureOf(FIGURES.stripeOwes, atNow),
      } as ReportSummary["currencies"][number];
    }),
  };
}

const KEY: Record<ReportRevenueQuery["groupBy"], SQL> = {
  day: sql`d.day::text`,
  week: sql`date_trunc('week', d.day)::date::text`,
  month: sql`to_char(d.day, 'YYYY-MM')`,
  staff: sql`d.staff_id`,
  service: sql`d.service_id`,
};

export async function reportRevenue({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: ReportRevenueQuery;
}): Promise<ReportRevenue> {
  const { groupBy } = input;
  const names =
    groupBy === "staff"
      ? sql`(SELECT json_object_agg(id, name) FROM staff WHERE tenant_id = ${ctx.tenantId})`
      : groupBy === "service"
        ? sql`(SELECT json_object_agg(id, name) FROM services WHERE tenant_id = ${ctx.tenantId})`
        : sql`NULL::json`;
  const result = await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
    tx.execute(
      inlined(sql`
        SELECT (SELECT json_build_object('timezone', timezone, 'currency', currency) FROM tenants
                WHERE id = ${ctx.tenantId}) AS tenant,
               ${names} AS names,
               (SELECT json_agg(g) FROM (
                  SELECT ${KEY[groupBy]} AS key,
                         CASE WHEN d.account LIKE 'tips\\_payable:%' THEN 'tips_payable:' ELSE d.account END AS account,
                         d.currency, sum(d.debits) AS debits, sum(d.credits) AS credits
                  FROM ledger_daily d
                  WHERE d.tenant_id = ${ctx.tenantId} AND d.day BETWEEN ${input.from}::date AND ${input.to}::date
                    AND (d.account IN ('service_revenue', 'cancellation_fees', 'refunds_given', 'discounts')
                         OR d.account LIKE 'tips\\_payable:%')
                  GROUP BY 1, 2, 3) g) AS groups`),
    ),
  );
  const row = result.rows[0] as { tenant: Tenant; names: Record<string, string> | null; groups: SumRow[] | null };
  const groups = sums(row.groups);
  // key + currency → its sums (a year by day is ~365 keys: one pass, not a filter per key)
  const byKey = new Map<string, SumRow[]>();
  for (const g of groups) {
    const k = `${g.currency}\u0000${g.key}`;
    const list = byKey.get(k);
    if (list) list.push(g);
    else byKey.set(k, [g]);
  }
  const rowOf = (key: string, currency: string, label: string): ReportRevenueRow => {
    const these = byKey.get(`${currency}\u0000${key}`) ?? [];
    return {
      key,
      label,
      currency,
      exponent: exponentOf(currency),
      ...figuresOf(REVENUE_FIGURES, these),
      netRevenue: figureOf(NET_REVENUE, these),
    };
  };
  const currencies = currenciesOf(row.tenant, groups);
  let rows: ReportRevenueRow[];
  if (groupBy === "staff" || groupBy === "service") {
    const names = row.names ?? {};
    const keys = (currency: string) => [...new Set(groups.filter((g) => g.currency === currency).map((g) => g.key))];
    rows = currencies.flatMap((currency) =>
      keys(currency)
        .map((key) => rowOf(key, currency, key === "" ? `(no ${groupBy})` : (names[key] ?? key)))
        .sort((a, b) => b.netRevenue - a.netRevenue || a.key.localeCompare(b.key)),
    );
  } else {
    const all = periodKeys(input.from, input.to, groupBy);
    rows = currencies.flatMap((currency, i) => {
      const keys = i === 0 ? all : all.filter((k) => byKey.has(`${currency}\u0000${k}`));
      return keys.map((key) => rowOf(key, currency, key));
    });
  }
  return { from: input.from, to: input.to, timezone: row.tenant.timezone, groupBy, rows };
}

// ---------------------------------------------------------------------------------------------------------------
// CSV: the same figures as the JSON, amounts as decimal strings in each currency's exponent.

const SUMMARY_COLUMNS = SUMMARY_FIGURES;

export function summaryCsv(report: ReportSummary): string {
  return toCsv(
    ["from", "to", "timezone", "currency", ...SUMMARY_COLUMNS],
    report.currencies.map((c) => [
      { raw: report.from },
      { raw: report.to },
      { text: report.timezone },
      { raw: c.currency },
      ...SUMMARY_COLUMNS.map((n) => ({ amount: c[n], exponent: c.exponent })),
    ]),
  );
}

const REVENUE_COLUMNS = [...REVENUE_FIGURES, "netRevenue"] as const;

export function revenueCsv(report: ReportRevenue): string {
  return toCsv(
    [report.groupBy, "label", "currency", ...REVENUE_COLUMNS],
    report.rows.map((r) => [
      { text: r.key },
      { text: r.label },
      { raw: r.currency },
      ...REVENUE_COLUMNS.map((n) => ({ amount: r[n], exponent: r.exponent })),
    ]),
  );
}
