// Admin webhook endpoints: where the tenant's booking events are POSTed, signed per Standard Webhooks.
import type { Body, Call, IdempotentRequestOptions, Query, RequestOptions } from "../http.ts";
import { listOperation } from "../pagination.ts";

export const adminWebhookEndpoints = (call: Call) => ({
  /** Never their secrets. @example for await (const ep of admin.webhookEndpoints.list()) console.log(ep.url); */
  list: (query: Query<"GET /v1/admin/webhook-endpoints"> = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/webhook-endpoints", { query }, options),
  /**
   * The signing `secret` (`whsec_…`) is returned only now: give it to `verifyWebhook` in the receiver. Retries reuse one
   * idempotency key, so a call creates one endpoint; the secret is never replayed, so a retry that finds the endpoint
   * already created rejects with a `ConflictError` naming it (delete it and create another).
   * @example const { id, secret } = await admin.webhookEndpoints.create({ url: "https://example.com/hooks/bookra" });
   */
  create: (input: Body<"POST /v1/admin/webhook-endpoints">, options?: IdempotentRequestOptions) =>
    call("POST /v1/admin/webhook-endpoints", { body: input }, options),
  /** @example await admin.webhookEndpoints.delete("whe_…"); */
  delete: (id: string, options?: RequestOptions) =>
    call("DELETE /v1/admin/webhook-endpoints/{id}", { path: { id } }, options),
});
