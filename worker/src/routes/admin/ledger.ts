// /v1/admin/ledger: the journal (entries with their lines) and the trial balance at an instant. Owner only, for now
// (domain/permissions.ts lists them for no other role): money pages decide who else may read it. Also the alerts of
// the hourly ledger check (services/reconciliation/ledger-checks.ts), one per failure however long it lasts.
import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonResponse } from "../../schemas/common.ts";
import {
  LedgerAlertList,
  LedgerAlertsQuery,
  LedgerBalances,
  LedgerBalancesQuery,
  LedgerEntryList,
  LedgerListQuery,
} from "../../schemas/ledger.ts";
import { ledgerBalances, listLedger } from "../../services/ledger/read.ts";
import { listLedgerAlerts } from "../../services/reconciliation/alerts.ts";
import { adminCtx } from "../context.ts";
import type { App } from "../types.ts";

const base = { tags: ["Admin: ledger"], security: [{ apiKey: [] }] };

const listRoute = createRoute({
  operationId: "listLedgerEntries",
  summary: "List journal entries",
  description:
    "The double-entry ledger's entries, each with all its lines (signed minor units: debit positive, credit " +
    "negative; they sum to zero per currency), in the order they occurred. `bookingId` and `account` keep the " +
    "entries with a line on that booking or account; `from` (inclusive) and `to` (exclusive) bound `occurredAt`.",
  ...base,
  method: "get",
  path: "/v1/admin/ledger",
  request: { query: LedgerListQuery },
  responses: { 200: jsonResponse(LedgerEntryList, "A page of entries"), ...errorResponses(401) },
});

const balancesRoute = createRoute({
  operationId: "getLedgerBalances",
  summary: "Trial balance",
  description:
    "Every account's balance (debit positive) from the entries that occurred at or before `at` (default: now); " +
    "per currency the balances sum to zero (`totals`).",
  ...base,
  method: "get",
  path: "/v1/admin/ledger/balances",
  request: { query: LedgerBalancesQuery },
  responses: { 200: jsonResponse(LedgerBalances, "The trial balance"), ...errorResponses(401) },
});

const alertsRoute = createRoute({
  operationId: "listLedgerAlerts",
  summary: "List ledger alerts",
  description:
    "What the hourly ledger check found wrong (MONEY.md identities 1-4; a healthy ledger has none), the most " +
    "recently seen first. One alert per identity and subject however many checks found it: `firstSeenAt`, " +
    "`lastSeenAt` and `count` (check runs) say how long it has lasted; `detail` is the latest finding.",
  ...base,
  method: "get",
  path: "/v1/admin/ledger/alerts",
  request: { query: LedgerAlertsQuery },
  responses: { 200: jsonResponse(LedgerAlertList, "A page of alerts"), ...errorResponses(401, 403) },
});

export function registerLedgerRoutes(app: App): void {
  app.openapi(listRoute, async (c) => c.json(await listLedger({ ctx: adminCtx(c), input: c.req.valid("query") }), 200));
  app.openapi(balancesRoute, async (c) =>
    c.json(await ledgerBalances({ ctx: adminCtx(c), at: c.req.valid("query").at }), 200),
  );
  app.openapi(alertsRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(await listLedgerAlerts({ ctx: adminCtx(c), limit: q.limit, cursor: q.cursor }), 200);
  });
}
