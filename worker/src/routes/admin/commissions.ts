// /v1/admin/staff/{id}/commission-rules, /statement and /payments (issue 14 items 1–2): HTTP only; the services
// read and post the ledger. Rules and payments are the owner's; a staff session reads its own statement.
import { createRoute } from "@hono/zod-openapi";
import {
  CommissionRuleList,
  CommissionRulesPut,
  STATEMENT_MAX_ENTRIES,
  StaffPayment,
  StaffPaymentInput,
  StaffStatement,
  StatementQuery,
} from "../../schemas/commissions.ts";
import { errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import { StaffIdParam } from "../../schemas/staff.ts";
import { payStaff } from "../../services/commissions/pay.ts";
import { listCommissionRules, putCommissionRules } from "../../services/commissions/rules.ts";
import { staffStatement } from "../../services/commissions/statement.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";
import type { App } from "../types.ts";
import { idempotent } from "./idempotency.ts";

const base = { tags: ["Admin: commissions"], security: [{ apiKey: [] }] };
const path = "/v1/admin/staff/{id}";

const routes = {
  listRules: createRoute({
    operationId: "listCommissionRules",
    summary: "List a staff member's commission rules",
    description:
      "The default rule (`serviceId` null) and per-service overrides, each effective from a local date. An appointment " +
      "earns by the service's rule with the latest `effectiveFrom` on or before its start's local date, else the " +
      "default's likewise, else `defaultRateBps` (the staff member's `commissionBps`).",
    ...base,
    method: "get",
    path: `${path}/commission-rules`,
    request: { params: StaffIdParam },
    responses: { 200: jsonResponse(CommissionRuleList, "The rules"), ...errorResponses(401, 404) },
  }),
  putRules: createRoute({
    operationId: "setCommissionRules",
    summary: "Replace a staff member's commission rules",
    description:
      "Replaces the list. A percent rule (`rateBps`, of the revenue recognised, tips excluded, discounts deducted) " +
      "above 10000 or a negative fixed `amount` is 422 `COMMISSION_RULE_INVALID`; an unknown service or two rules " +
      "with the same service and date is 400. Commission already posted never changes: rules apply to completions " +
      "(and fees, with `policies.commissionOnFees`) posted from now on, by each appointment's date.",
    ...base,
    method: "put",
    path: `${path}/commission-rules`,
    request: { params: StaffIdParam, ...jsonBody(CommissionRulesPut) },
    responses: { 200: jsonResponse(CommissionRuleList, "The rules"), ...errorResponses(401, 404, 413, 422) },
  }),
  statement: createRoute({
    operationId: "getStaffStatement",
    summary: "A staff member's statement",
    description:
      "For `from`–`to` (local dates, inclusive) or the `period` (week, fortnight, month) holding `date`, in the " +
      "business's time zone: appointments delivered, revenue, commission, tips, commission taken back by refunds, " +
      `payments and the balance owed — each a sum of the journal lines listed in \`entries\` (at most ${STATEMENT_MAX_ENTRIES}). ` +
      "A staff session may read only its own (403 otherwise).",
    ...base,
    method: "get",
    path: `${path}/statement`,
    request: { params: StaffIdParam, query: StatementQuery },
    responses: { 200: jsonResponse(StaffStatement, "The statement"), ...errorResponses(401, 403, 404) },
  }),
  pay: createRoute({
    operationId: "createStaffPayment",
    summary: "Pay a staff member",
    description:
      "Posts a payment of commission and tips owed (tips first) from the bank or the cash desk. More than owed is " +
      "422 `STAFF_OVERPAID` and nothing is stored. Accepts an `Idempotency-Key`.",
    ...base,
    method: "post",
    path: `${path}/payments`,
    middleware: [idempotent()],
    request: { params: StaffIdParam, headers: IdempotencyHeader, ...jsonBody(StaffPaymentInput) },
    responses: { 201: jsonResponse(StaffPayment, "Paid"), ...errorResponses(401, 404, 409, 413, 422) },
  }),
};

export function registerCommissionRoutes(app: App): void {
  app.openapi(routes.listRules, async (c) =>
    c.json(await listCommissionRules({ ctx: adminCtx(c), staffId: c.req.valid("param").id }), 200),
  );
  app.openapi(routes.putRules, async (c) =>
    c.json(
      await putCommissionRules({ ctx: adminCtx(c), staffId: c.req.valid("param").id, input: c.req.valid("json") }),
      200,
    ),
  );
  app.openapi(routes.statement, async (c) =>
    c.json(
      await staffStatement({ ctx: adminCtx(c), staffId: c.req.valid("param").id, query: c.req.valid("query") }),
      200,
    ),
  );
  app.openapi(routes.pay, async (c) =>
    c.json(await payStaff({ ctx: adminCtx(c), staffId: c.req.valid("param").id, input: c.req.valid("json") }), 201),
  );
}
