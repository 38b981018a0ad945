// Admin reports (owner only): figures from the ledger only, for local days `from`–`to` (both included, ≤ 366 days).
import type { Call, Query, RequestOptions } from "../http.ts";

export const adminReports = (call: Call) => ({
  /**
   * Gross takings, service revenue, cancellation fees, refunds, discounts, tips, Stripe and platform fees, dispute
   * costs, commissions and net for the period, per currency; deposits held and what Stripe owes now.
   * @example const { currencies: [gbp] } = await admin.reports.summary({ from: "2027-03-01", to: "2027-03-31" });
   */
  summary: (query: Query<"GET /v1/admin/reports/summary">, options?: RequestOptions) =>
    call("GET /v1/admin/reports/summary", { query }, options),
  /**
   * Revenue by local day, ISO week, month, staff member or service (`groupBy`, default day).
   * @example const { rows } = await admin.reports.revenue({ from: "2027-01-01", to: "2027-12-31", groupBy: "month" });
   */
  revenue: (query: Query<"GET /v1/admin/reports/revenue">, options?: RequestOptions) =>
    call("GET /v1/admin/reports/revenue", { query }, options),
  /**
   * The summary as CSV text (RFC 4180, header row, amounts as decimal strings, formula-safe text cells).
   * @example await writeFile("summary.csv", await admin.reports.summaryCsv({ from: "2027-03-01", to: "2027-03-31" }));
   */
  summaryCsv: (query: Query<"GET /v1/admin/reports/summary.csv">, options?: RequestOptions) =>
    call("GET /v1/admin/reports/summary.csv", { query }, options),
  /**
   * The revenue report as CSV text.
   * @example const csv = await admin.reports.revenueCsv({ from: "2027-01-01", to: "2027-12-31", groupBy: "staff" });
   */
  revenueCsv: (query: Query<"GET /v1/admin/reports/revenue.csv">, options?: RequestOptions) =>
    call("GET /v1/admin/reports/revenue.csv", { query }, options),
});
