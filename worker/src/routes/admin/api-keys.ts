// /v1/admin/api-keys: list keys (never their secrets), issue one (its secret shown once), revoke one.
import { createRoute } from "@hono/zod-openapi";
import { ApiKeyCreate, ApiKeyCreated, ApiKeyIdParam, ApiKeyList } from "../../schemas/api-key.ts";
import { errorResponses, jsonBody, jsonResponse, Pagination } from "../../schemas/common.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys/api-keys.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";
import type { App } from "../types.ts";
import { idempotent } from "./idempotency.ts";

const base = { tags: ["Admin: API keys"], security: [{ apiKey: [] }] };

const listRoute = createRoute({
  operationId: "listApiKeys",
  summary: "List API keys",
  description: "Keys, oldest first, revoked ones included; never their secrets or hashes.",
  ...base,
  method: "get",
  path: "/v1/admin/api-keys",
  request: { query: Pagination },
  responses: {
    200: jsonResponse(ApiKeyList, "Keys, oldest first, revoked ones included"),
    ...errorResponses(401),
  },
});

const createKeyRoute = createRoute({
  operationId: "createApiKey",
  summary: "Issue an API key",
  ...base,
  method: "post",
  path: "/v1/admin/api-keys",
  description:
    "The secret is shown only in this 201 and is never stored in plaintext, not even for an `Idempotency-Key` " +
    "replay: a repeat with the same key and body issues no second key but answers 409 `CONFLICT` naming the key " +
    "that was issued. It is listed by `GET /v1/admin/api-keys`; if its secret was lost, revoke it and issue another.",
  middleware: [
    idempotent({
      secret: {
        redact: ({ key: _secret, ...rest }) => rest,
        refusal: (stored) =>
          `This Idempotency-Key already issued API key ${String(stored.id)}; its secret is shown only once and ` +
          "cannot be shown again. Find it in GET /v1/admin/api-keys, and revoke it and issue another if the secret was lost",
      },
    }),
  ],
  request: { headers: IdempotencyHeader, ...jsonBody(ApiKeyCreate) },
  responses: {
    201: jsonResponse(ApiKeyCreated, "Created; the secret is shown only now"),
    ...errorResponses(401, 409, 413, 422),
  },
});

const revokeRoute = createRoute({
  operationId: "revokeApiKey",
  summary: "Revoke an API key",
  description: "The key stops working at once. Revoking the business's last active key is 409 `CONFLICT`.",
  ...base,
  method: "delete",
  path: "/v1/admin/api-keys/{id}",
  request: { params: ApiKeyIdParam },
  responses: { 204: { description: "Revoked (also when it already was)" }, ...errorResponses(401, 404, 409, 413) },
});

export function registerApiKeyRoutes(app: App): void {
  app.openapi(listRoute, async (c) =>
    c.json(await listApiKeys({ ctx: adminCtx(c), input: c.req.valid("query") }), 200),
  );
  app.openapi(createKeyRoute, async (c) =>
    c.json(await createApiKey({ ctx: adminCtx(c), input: c.req.valid("json") }), 201),
  );
  app.openapi(revokeRoute, async (c) => {
    await revokeApiKey({ ctx: adminCtx(c), input: c.req.valid("param") });
    return c.body(null, 204);
  });
}
