// Admin customers: search, a customer's page (bookings, counts, private notes) and editing the notes.
import type { Body, Call, Query, RequestOptions } from "../http.ts";
import { listOperation } from "../pagination.ts";

export const adminCustomers = (call: Call) => ({
  /**
   * Customers, oldest first; `q` searches name, e-mail and phone.
   * @example for await (const c of admin.customers.list({ q: "ana" })) console.log(c.name, c.email);
   */
  list: (query: Query<"GET /v1/admin/customers"> = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/customers", { query }, options),
  /**
   * One customer with counts (total, completed, no-shows, cancelled), private notes and latest bookings.
   * @example const { counts, notes } = await admin.customers.get("cus_…");
   */
  get: (id: string, options?: RequestOptions) => call("GET /v1/admin/customers/{id}", { path: { id } }, options),
  /**
   * Replaces the private notes (null clears them).
   * @example await admin.customers.update("cus_…", { notes: "Prefers mornings" });
   */
  update: (id: string, input: Body<"PATCH /v1/admin/customers/{id}">, options?: RequestOptions) =>
    call("PATCH /v1/admin/customers/{id}", { path: { id }, body: input }, options),
});
