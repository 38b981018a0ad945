// /v1/admin/invitations: invite someone by e-mail with a role (staff: their staff record), list and withdraw.
import { createRoute } from "@hono/zod-openapi";
import { Invitation, InvitationCreate, InvitationIdParam, InvitationList } from "../../schemas/auth.ts";
import { errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import { createInvitation, listInvitations, revokeInvitation } from "../../services/auth/invitations.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";
import type { App } from "../types.ts";
import { idempotent } from "./idempotency.ts";

const base = { tags: ["Admin: invitations"], security: [{ apiKey: [] }] };

const listRoute = createRoute({
  operationId: "listInvitations",
  summary: "List invitations",
  description: "The 100 latest invitations, newest first, with their status (pending, accepted, expired).",
  ...base,
  method: "get",
  path: "/v1/admin/invitations",
  responses: { 200: jsonResponse(InvitationList, "Invitations, newest first"), ...errorResponses(401, 403) },
});

const createInvitationRoute = createRoute({
  operationId: "createInvitation",
  summary: "Invite someone to the business",
  description:
    "E-mails a link that works once for 30 minutes. A staff invitation names the staff record the user will act as " +
    "(404 if there is none, 409 if it already has a sign-in). Only an owner may invite an owner (403). An address " +
    "that is already a member is 409.",
  ...base,
  method: "post",
  path: "/v1/admin/invitations",
  middleware: [idempotent()],
  request: { headers: IdempotencyHeader, ...jsonBody(InvitationCreate) },
  responses: {
    201: jsonResponse(Invitation, "Invited; the e-mail goes out through the outbox"),
    ...errorResponses(401, 403, 404, 409, 413, 422),
  },
});

const revokeRoute = createRoute({
  operationId: "revokeInvitation",
  summary: "Withdraw an invitation",
  description: "Its link stops working. An accepted invitation is 409; only an owner may withdraw an owner's (403).",
  ...base,
  method: "delete",
  path: "/v1/admin/invitations/{id}",
  request: { params: InvitationIdParam },
  responses: { 204: { description: "Withdrawn" }, ...errorResponses(401, 403, 404, 409, 413) },
});

export function registerInvitationRoutes(app: App): void {
  app.openapi(listRoute, async (c) => c.json(await listInvitations({ ctx: adminCtx(c) }), 200));
  app.openapi(createInvitationRoute, async (c) =>
    c.json(await createInvitation({ ctx: adminCtx(c), input: c.req.valid("json") }), 201),
  );
  app.openapi(revokeRoute, async (c) => {
    await revokeInvitation({ ctx: adminCtx(c), id: c.req.valid("param").id });
    return c.body(null, 204);
  });
}
