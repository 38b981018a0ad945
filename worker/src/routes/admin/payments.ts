// /v1/admin/payments: the business's Stripe connection (Connect). Owner only (domain/permissions.ts).
import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonResponse } from "../../schemas/common.ts";
import { ConnectResult, PaymentsState } from "../../schemas/payments.ts";
import { connectStripe, getPaymentsState } from "../../services/payments/connect.ts";
import { adminCtx } from "../context.ts";
import type { App } from "../types.ts";

const base = { tags: ["Admin: payments"], security: [{ apiKey: [] }] };

const stateRoute = createRoute({
  operationId: "getPayments",
  summary: "Stripe connection state",
  description:
    "Whether the business has a Stripe connected account, whether it can take charges and receive payouts, and " +
    "what Stripe still needs (`requirements`). Until `chargesEnabled`, services that take a deposit cannot be paid " +
    "online (409 `PAYMENTS_NOT_READY` on their checkout link).",
  ...base,
  method: "get",
  path: "/v1/admin/payments",
  responses: { 200: jsonResponse(PaymentsState, "The connection state"), ...errorResponses(401) },
});

const connectRoute = createRoute({
  operationId: "connectPayments",
  summary: "Start or continue Stripe onboarding",
  description:
    "Returns a Stripe onboarding URL for the business. The connected account is created on the first call and kept; " +
    "every call makes a new link (links are single use and expire within minutes). Stripe's `account.updated` " +
    "events then update the state. 409 `PAYMENTS_NOT_READY` when this server has no Stripe key.",
  ...base,
  method: "post",
  path: "/v1/admin/payments/connect",
  responses: { 200: jsonResponse(ConnectResult, "The onboarding link"), ...errorResponses(401, 409, 413) },
});

export function registerPaymentsAdminRoutes(app: App): void {
  app.openapi(stateRoute, async (c) => c.json(await getPaymentsState({ ctx: adminCtx(c) }), 200));
  app.openapi(connectRoute, async (c) => {
    const ctx = adminCtx(c);
    const back = `${ctx.config.publicBaseUrl}/app/setup`;
    return c.json(await connectStripe({ ctx, returnUrl: back, refreshUrl: back }), 200);
  });
}
