// Payouts and reconciliation with Stripe (issue 14 items 3 and 5): the payouts Stripe reported and which appointments
// are in each, reconciliation runs (on demand here, daily by the cron) and the differences they found. Owner only
// (domain/permissions.ts lists them for no other role).
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import {
  ListQuery,
  PayoutDetail,
  PayoutList,
  ReconciliationRunDetail,
  ReconciliationRunList,
  ReconciliationRunRequest,
} from "../../schemas/reconciliation.ts";
import { getPayout, listPayouts } from "../../services/reconciliation/payouts.ts";
import {
  getReconciliationRun,
  listReconciliationRuns,
  runReconciliation,
} from "../../services/reconciliation/reconcile.ts";
import { adminCtx } from "../context.ts";
import type { App } from "../types.ts";

const security = [{ apiKey: [] }];
const tags = ["Admin: money"];
const IdPath = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});

const listPayoutsRoute = createRoute({
  operationId: "listPayouts",
  summary: "List payouts",
  description: "The payouts Stripe reported for the business's connected account (`payout.*` events), newest first.",
  tags,
  security,
  method: "get",
  path: "/v1/admin/payouts",
  request: { query: ListQuery },
  responses: { 200: jsonResponse(PayoutList, "A page of payouts"), ...errorResponses(401, 403) },
});

const getPayoutRoute = createRoute({
  operationId: "getPayout",
  summary: "What is in a payout",
  description:
    "Which appointments are in this bank deposit: the payout's balance transactions on the connected account (all " +
    "pages, as Stripe lists them), each with the ledger entry that records it and the booking it concerns.",
  tags,
  security,
  method: "get",
  path: "/v1/admin/payouts/{id}",
  request: { params: IdPath },
  responses: { 200: jsonResponse(PayoutDetail, "The payout and its contents"), ...errorResponses(401, 403, 404, 409) },
});

const runRoute = createRoute({
  operationId: "runReconciliation",
  summary: "Reconcile a day with Stripe",
  description:
    "Holds the connected account's balance transactions of a UTC day (default: today) against the ledger — each " +
    "must have exactly one entry whose `stripe_balance` lines sum to its net and whose fee lines sum to its fee; no " +
    "entry may name one Stripe does not have — and the account's balance against the ledger's `stripe_balance`. " +
    "The run and its differences are stored; nothing is posted. 409 PAYMENTS_NOT_READY without a Stripe account.",
  tags,
  security,
  method: "post",
  path: "/v1/admin/reconciliation/runs",
  request: jsonBody(ReconciliationRunRequest),
  responses: {
    201: jsonResponse(ReconciliationRunDetail, "The run with its differences (none: `clean`)"),
    ...errorResponses(401, 403, 409, 413),
  },
});

const listRunsRoute = createRoute({
  operationId: "listReconciliationRuns",
  summary: "List reconciliation runs",
  description: "Runs, newest first, each with how many transactions it checked and how many differences it found.",
  tags,
  security,
  method: "get",
  path: "/v1/admin/reconciliation",
  request: { query: ListQuery },
  responses: { 200: jsonResponse(ReconciliationRunList, "A page of runs"), ...errorResponses(401, 403) },
});

const getRunRoute = createRoute({
  operationId: "getReconciliationRun",
  summary: "A reconciliation run's differences",
  description: "One run with every difference it found, by kind.",
  tags,
  security,
  method: "get",
  path: "/v1/admin/reconciliation/runs/{id}",
  request: { params: IdPath },
  responses: { 200: jsonResponse(ReconciliationRunDetail, "The run"), ...errorResponses(401, 403, 404) },
});

export function registerReconciliationRoutes(app: App): void {
  app.openapi(listPayoutsRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(await listPayouts({ ctx: adminCtx(c), limit: q.limit, cursor: q.cursor }), 200);
  });
  app.openapi(getPayoutRoute, async (c) =>
    c.json(await getPayout({ ctx: adminCtx(c), id: c.req.valid("param").id }), 200),
  );
  app.openapi(runRoute, async (c) =>
    c.json(await runReconciliation({ ctx: adminCtx(c), day: c.req.valid("json").day }), 201),
  );
  app.openapi(listRunsRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(await listReconciliationRuns({ ctx: adminCtx(c), limit: q.limit, cursor: q.cursor }), 200);
  });
  app.openapi(getRunRoute, async (c) =>
    c.json(await getReconciliationRun({ ctx: adminCtx(c), id: c.req.valid("param").id }), 200),
  );
}
