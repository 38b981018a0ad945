// Admin outbox: events whose side effects (e-mails, webhooks, calendar pushes) are pending, failing or dead.
import type { Call, IdempotentRequestOptions, Query, RequestOptions } from "../http.ts";
import { listOperation } from "../pagination.ts";

export const adminOutbox = (call: Call) => ({
  /** Events not done yet, oldest first. @example for await (const e of admin.outbox.list({ status: "dead" })) console.log(e.type, e.lastError); */
  list: (query: Query<"GET /v1/admin/outbox"> = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/outbox", { query }, options),
  /** Makes a failed or dead event pending again, once per call. @example await admin.outbox.retry("evt_…"); */
  retry: (id: string, options?: IdempotentRequestOptions) =>
    call("POST /v1/admin/outbox/{id}/retry", { path: { id } }, options),
});
