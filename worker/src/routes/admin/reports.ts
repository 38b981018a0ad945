// /v1/admin/reports: figures from the ledger only (docs/API.md "Reports"), as JSON and as CSV. Owner only
// (domain/permissions.ts OWNER_ONLY_OPERATIONS): money pages decide who else may read them.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { errorResponses, jsonResponse } from "../../schemas/common.ts";
import { ReportRevenue, ReportRevenueQuery, ReportSummary, ReportSummaryQuery } from "../../schemas/reports.ts";
import { reportRevenue, reportSummary, revenueCsv, summaryCsv } from "../../services/reports/read.ts";
import { adminCtx } from "../context.ts";
import type { App } from "../types.ts";

const base = { tags: ["Admin: reports"], security: [{ apiKey: [] }] };

const SUMMARY =
  "Takings, revenue, refunds, discounts, tips, fees, dispute costs, commissions and net for the local days " +
  "`from`–`to` (both included, in the business's time zone, at most 366 days), each a sum of named ledger lines " +
  '(docs/API.md "Reports"); `depositsHeld` and `stripeOwes` are balances now.';
const REVENUE =
  "Revenue by local day, ISO week (keyed by its Monday), month, staff member or service, for the local days " +
  "`from`–`to` (both included, at most 366 days); a day of 23 or 25 hours is one day. Sums of ledger lines only.";
const csvResponse = (description: string) => ({
  200: {
    description:
      `${description} (RFC 4180, header row, amounts as decimal strings in the currency's exponent; text ` +
      "cells starting with = + - @ tab or CR are prefixed with ')",
    content: { "text/csv": { schema: { type: "string" as const } } },
  },
  ...errorResponses(401),
});

const summaryRoute = createRoute({
  operationId: "getReportSummary",
  summary: "Summary report",
  description: SUMMARY,
  ...base,
  method: "get",
  path: "/v1/admin/reports/summary",
  request: { query: ReportSummaryQuery },
  responses: { 200: jsonResponse(ReportSummary, "The summary"), ...errorResponses(401) },
});

const revenueRoute = createRoute({
  operationId: "getReportRevenue",
  summary: "Revenue report",
  description: REVENUE,
  ...base,
  method: "get",
  path: "/v1/admin/reports/revenue",
  request: { query: ReportRevenueQuery },
  responses: { 200: jsonResponse(ReportRevenue, "Revenue rows"), ...errorResponses(401) },
});

const summaryCsvRoute = createRoute({
  operationId: "getReportSummaryCsv",
  summary: "Summary report as CSV",
  description: `${SUMMARY} One row per currency.`,
  ...base,
  method: "get",
  path: "/v1/admin/reports/summary.csv",
  request: { query: ReportSummaryQuery },
  responses: csvResponse("The summary"),
});

const revenueCsvRoute = createRoute({
  operationId: "getReportRevenueCsv",
  summary: "Revenue report as CSV",
  description: REVENUE,
  ...base,
  method: "get",
  path: "/v1/admin/reports/revenue.csv",
  request: { query: ReportRevenueQuery },
  responses: csvResponse("Revenue rows"),
});

const csv = (c: Context, body: string, name: string) =>
  c.body(body, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${name}.csv"`,
    "cache-control": "private, no-store",
  });

export function registerReportRoutes(app: App): void {
  app.openapi(summaryRoute, async (c) =>
    c.json(await reportSummary({ ctx: adminCtx(c), input: c.req.valid("query") }), 200),
  );
  app.openapi(revenueRoute, async (c) =>
    c.json(await reportRevenue({ ctx: adminCtx(c), input: c.req.valid("query") }), 200),
  );
  app.openapi(summaryCsvRoute, async (c) => {
    const q = c.req.valid("query");
    return csv(c, summaryCsv(await reportSummary({ ctx: adminCtx(c), input: q })), `summary-${q.from}-${q.to}`);
  });
  app.openapi(revenueCsvRoute, async (c) => {
    const q = c.req.valid("query");
    const report = await reportRevenue({ ctx: adminCtx(c), input: q });
    return csv(c, revenueCsv(report), `revenue-${q.groupBy}-${q.from}-${q.to}`);
  });
}
