// Admin webhook deliveries: an endpoint's delivery log, and a test event sent to it.
import type { Call, Query, RequestOptions } from "../http.ts";
import { listOperation } from "../pagination.ts";

export const adminWebhookDeliveries = (call: Call) => ({
  /**
   * Delivery attempts to one endpoint, newest first.
   * @example for await (const d of admin.webhookDeliveries.list("whe_…")) console.log(d.eventType, d.responseStatus);
   */
  list: (
    endpointId: string,
    query: Query<"GET /v1/admin/webhook-endpoints/{id}/deliveries"> = {},
    options?: RequestOptions,
  ) =>
    listOperation(
      call,
      "GET /v1/admin/webhook-endpoints/{id}/deliveries",
      { path: { id: endpointId }, query },
      options,
    ),
  /**
   * Queues a signed `ping` for this endpoint only; it shows in the delivery log once sent.
   * @example const { eventId } = await admin.webhookDeliveries.sendTest("whe_…");
   */
  sendTest: (endpointId: string, options?: RequestOptions) =>
    call("POST /v1/admin/webhook-endpoints/{id}/test", { path: { id: endpointId } }, options),
});
