// Admin services: what can be booked, its price, booking rules and the staff who perform it.
import type { Body, Call, IdempotentRequestOptions, Query, RequestOptions } from "../http.ts";
import { listOperation } from "../pagination.ts";

export const adminServices = (call: Call) => ({
  /** @example for await (const s of admin.services.list()) console.log(s.name, s.price); */
  list: (query: Query<"GET /v1/admin/services"> = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/services", { query }, options),
  /**
   * Retries reuse one idempotency key, so a call creates one service.
   * @example
   * const cut = await admin.services.create({ name: "Cut", durationMinutes: 45, price: { amount: 4500, currency: "EUR" } });
   */
  create: (input: Body<"POST /v1/admin/services">, options?: IdempotentRequestOptions) =>
    call("POST /v1/admin/services", { body: input }, options),
  /** @example const cut = await admin.services.get("svc_…"); */
  get: (id: string, options?: RequestOptions) => call("GET /v1/admin/services/{id}", { path: { id } }, options),
  /** `staffIds`, when given, replaces the current links. @example await admin.services.update(id, { slotStepMinutes: 30 }); */
  update: (id: string, input: Body<"PATCH /v1/admin/services/{id}">, options?: RequestOptions) =>
    call("PATCH /v1/admin/services/{id}", { path: { id }, body: input }, options),
  /** @example await admin.services.delete("svc_…"); */
  delete: (id: string, options?: RequestOptions) => call("DELETE /v1/admin/services/{id}", { path: { id } }, options),
});
