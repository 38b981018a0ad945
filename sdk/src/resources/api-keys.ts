// Admin API keys: listed without their secrets, issued (the secret shown once) and revoked.
import type { Body, Call, IdempotentRequestOptions, Query, RequestOptions } from "../http.ts";
import { listOperation } from "../pagination.ts";

export const adminApiKeys = (call: Call) => ({
  /** Revoked keys included. @example for await (const k of admin.apiKeys.list()) console.log(k.prefix, k.revokedAt); */
  list: (query: Query<"GET /v1/admin/api-keys"> = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/api-keys", { query }, options),
  /**
   * Retries reuse one idempotency key, so a call issues one key. The secret is never replayed: if a retry finds the key
   * was already issued (its first response was lost), this rejects with a `ConflictError` naming it; revoke that key
   * and create another.
   * @example const { key } = await admin.apiKeys.create({ name: "nightly sync" }); // store `key` now: it is shown once
   */
  create: (input: Body<"POST /v1/admin/api-keys">, options?: IdempotentRequestOptions) =>
    call("POST /v1/admin/api-keys", { body: input }, options),
  /** @example await admin.apiKeys.revoke("key_…"); */
  revoke: (id: string, options?: RequestOptions) => call("DELETE /v1/admin/api-keys/{id}", { path: { id } }, options),
});
