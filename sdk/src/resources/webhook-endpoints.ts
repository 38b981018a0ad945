// Admin webhook endpoints: where the tenant's booking events are POSTed, signed per Standard Webhooks.
import type { Body, Call, Query, RequestOptions } from "../http.ts";
import { listOperation } from "../pagination.ts";

export const adminWebhookEndpoints = (call: Call) => ({
  /** Never their secrets. @example for await (const ep of admin.webhookEndpoints.list()) console.log(ep.url); */
  list: (query: Query<"GET /v1/admin/webhook-endpoints"> = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/webhook-endpoints", { query }, options),
  /**
   * The signing `secret` (`whsec_…`) is returned only now: give it to `verifyWebhook` in the receiver.
   * @example const { id, secret } = await admin.webhookEndpoints.create({ url: "https://example.com/hooks/bookra" });
   */
  create: (input: Body<"POST /v1/admin/webhook-endpoints">, options?: RequestOptions) =>
    call("POST /v1/admin/webhook-endpoints", { body: input }, options),
  /** @example await admin.webhookEndpoints.delete("whe_…"); */
  delete: (id: string, options?: RequestOptions) =>
    call("DELETE /v1/admin/webhook-endpoints/{id}", { path: { id } }, options),
});
