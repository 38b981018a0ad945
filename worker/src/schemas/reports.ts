// Reports from the ledger (Admin API, owner only): the summary of a period and revenue grouped by day, week, month,
// staff member or service; every figure a sum of named ledger lines (domain/reports.ts FIGURES, docs/API.md "Reports").
import { z } from "@hono/zod-openapi";
import { GROUP_BY, periodProblem } from "../domain/reports.ts";
import { LocalDate } from "./common.ts";

const period = {
  from: LocalDate.openapi({ description: "First local day of the period (the business's time zone), included" }),
  to: LocalDate.openapi({ description: "Last local day of the period, included; at most 366 days after `from`" }),
};

const checkPeriod = (q: { from: string; to: string }, ctx: z.RefinementCtx) => {
  const problem = periodProblem(q.from, q.to);
  if (problem) ctx.addIssue({ code: "custom", message: problem, path: ["to"] });
};

export const ReportSummaryQuery = z.object(period).superRefine(checkPeriod);
export type ReportSummaryQuery = z.infer<typeof ReportSummaryQuery>;

export const ReportGroupBy = z.enum(GROUP_BY).openapi("ReportGroupBy");

export const ReportRevenueQuery = z
  .object({ ...period, groupBy: ReportGroupBy.default("day").openapi({ description: "How rows are grouped" }) })
  .superRefine(checkPeriod);
export type ReportRevenueQuery = z.infer<typeof ReportRevenueQuery>;

const minor = (description: string) =>
  z
    .number()
    .int()
    .openapi({ description: `Minor units. ${description}` });

export const ReportSummaryFigures = z
  .object({
    currency: z.string().openapi({ example: "GBP" }),
    exponent: z.number().int().openapi({ description: "ISO 4217 exponent of the currency (GBP 2, JPY 0)" }),
    grossTakings: minor("Service revenue + cancellation fees (credits to service_revenue, cancellation_fees)"),
    serviceRevenue: minor("−Σ service_revenue: price of appointments delivered"),
    cancellationFees: minor("−Σ cancellation_fees: kept from late cancellations and no-shows"),
    refunds: minor("Σ refunds_given: refunds of revenue already recognised"),
    discounts: minor("Σ discounts: discounts given at the desk"),
    tips: minor("−Σ credits to tips_payable:<staff>: tips received for staff"),
    stripeFees: minor("Σ stripe_fees"),
    platformFees: minor("Σ platform_fees"),
    disputeCosts: minor("Σ dispute_fees + Σ dispute_losses"),
    commissions: minor("Σ commission_expense"),
    net: minor("−Σ every income and expense account: gross − refunds − discounts − fees − disputes − commissions"),
    depositsHeld: minor("Now, all time: −Σ customer_deposits (paid for appointments not yet delivered)"),
    stripeOwes: minor("Now, all time: Σ stripe_balance (the business's Stripe balance, pending + available)"),
  })
  .openapi("ReportSummaryFigures");

export const ReportSummary = z
  .object({
    from: z.string(),
    to: z.string(),
    timezone: z.string().openapi({ description: "The business's time zone the days are counted in" }),
    currencies: z
      .array(ReportSummaryFigures)
      .openapi({ description: "One per currency with lines; the business's own currency first, always present" }),
  })
  .openapi("ReportSummary");
export type ReportSummary = z.infer<typeof ReportSummary>;

export const ReportRevenueRow = z
  .object({
    key: z.string().openapi({
      description:
        "The local date (day), the Monday of the ISO week (week), `YYYY-MM` (month), the staff or service id ('' for none)",
    }),
    label: z.string().openapi({ description: "The key, or the staff member's or service's name" }),
    currency: z.string(),
    exponent: z.number().int(),
    serviceRevenue: minor("−Σ service_revenue"),
    cancellationFees: minor("−Σ cancellation_fees"),
    refunds: minor("Σ refunds_given"),
    discounts: minor("Σ discounts"),
    tips: minor("−Σ credits to tips_payable:<staff>"),
    netRevenue: minor("serviceRevenue + cancellationFees − refunds − discounts"),
  })
  .openapi("ReportRevenueRow");
export type ReportRevenueRow = z.infer<typeof ReportRevenueRow>;

export const ReportRevenue = z
  .object({
    from: z.string(),
    to: z.string(),
    timezone: z.string(),
    groupBy: ReportGroupBy,
    rows: z.array(ReportRevenueRow).openapi({
      description:
        "day/week/month: every period of the range in order (empty ones with zeros) in the business's currency, " +
        "then any other currency's non-empty rows; staff/service: one row per staff member or service with lines",
    }),
  })
  .openapi("ReportRevenue");
export type ReportRevenue = z.infer<typeof ReportRevenue>;
