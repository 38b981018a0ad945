// Admin API keys: listed without their secrets, issued (the secret shown once) and revoked.
import type { Body, Call, Query, RequestOptions } from "../http.ts";
import { listOperation } from "../pagination.ts";

export const adminApiKeys = (call: Call) => ({
  /** Revoked keys included. @example for await (const k of admin.apiKeys.list()) console.log(k.prefix, k.revokedAt); */
  list: (query: Query<"GET /v1/admin/api-keys"> = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/api-keys", { query }, options),
  /** @example const { key } = await admin.apiKeys.create({ name: "nightly sync" }); // store `key` now: it is shown once */
  create: (input: Body<"POST /v1/admin/api-keys">, options?: RequestOptions) =>
    call("POST /v1/admin/api-keys", { body: input }, options),
  /** @example await admin.apiKeys.revoke("key_…"); */
  revoke: (id: string, options?: RequestOptions) => call("DELETE /v1/admin/api-keys/{id}", { path: { id } }, options),
});
