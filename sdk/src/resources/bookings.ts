// Bookings: the customer's side (public, authorised by the manage token) and the owner's (admin, by API key).
import type { Body, Call, IdempotentRequestOptions, Query, RequestOptions } from "../http.ts";
import { listOperation } from "../pagination.ts";

export type BookingCreateInput = Body<"POST /v1/public/{tenant}/bookings">;
export type BookingListQuery = Query<"GET /v1/admin/bookings">;
/** What was paid at the desk when completing a booking (all amounts in minor units of the tenant's currency). */
export type CompletionInput = Body<"POST /v1/admin/bookings/{id}/complete">;

export interface ManageOptions extends RequestOptions {
  /** The `manageToken` returned when the booking was created (`mt_…`). */
  manageToken: string;
}

export const publicBookings = (call: Call, tenant: string) => {
  const manage = ({ manageToken, ...options }: ManageOptions & { idempotencyKey?: string }) => {
    if (/^sk_/.test(manageToken)) throw new TypeError("A secret API key is not a manage token");
    return { ...options, token: manageToken };
  };
  return {
    /**
     * Books a slot (no `staffId` = any free staff member). Retries reuse one idempotency key, so a call books once.
     * @example
     * const { booking, manageToken } = await bookra.bookings.create({
     *   serviceId, start: slot.start, customer: { name: "Ada", email: "ada@example.com" },
     * });
     */
    create: (input: BookingCreateInput, options?: IdempotentRequestOptions) =>
      call("POST /v1/public/{tenant}/bookings", { path: { tenant }, body: input }, options),
    /**
     * @example
     * const booking = await bookra.bookings.get(id, { manageToken });
     */
    get: (id: string, options: ManageOptions) =>
      call("GET /v1/public/{tenant}/bookings/{id}", { path: { tenant, id } }, manage(options)),
    /**
     * Cancels (again cancelling a cancelled booking is fine).
     * @example
     * await bookra.bookings.cancel(id, { manageToken });
     */
    cancel: (id: string, options: ManageOptions) =>
      call("POST /v1/public/{tenant}/bookings/{id}/cancel", { path: { tenant, id } }, manage(options)),
    /**
     * What cancelling now would refund and keep under the business's policy, before the customer confirms.
     * @example
     * const { refund, fee, freeUntil } = await bookra.bookings.cancellationQuote(id, { manageToken });
     */
    cancellationQuote: (id: string, options: ManageOptions) =>
      call("GET /v1/public/{tenant}/bookings/{id}/cancellation", { path: { tenant, id } }, manage(options)),
    /**
     * Moves the same booking atomically to another offered start.
     * @example
     * await bookra.bookings.reschedule(id, { start: "2027-03-02T13:15:00Z" }, { manageToken });
     */
    reschedule: (
      id: string,
      input: Body<"POST /v1/public/{tenant}/bookings/{id}/reschedule">,
      options: ManageOptions & { idempotencyKey?: string },
    ) =>
      call("POST /v1/public/{tenant}/bookings/{id}/reschedule", { path: { tenant, id }, body: input }, manage(options)),
  };
};

export const adminBookings = (call: Call) => ({
  /**
   * Bookings by start, a page at a time; iterate with `for await` to walk every page.
   * @example
   * for await (const b of admin.bookings.list({ from: "2027-03-01T00:00:00Z", to: "2027-03-02T00:00:00Z" })) {
   *   console.log(b.start, b.customer.name);
   * }
   */
  list: (query: BookingListQuery = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/bookings", { query }, options),
  /**
   * A walk-in or phone booking, under the same rules as the public one.
   * @example
   * const { booking } = await admin.bookings.create({ serviceId, start, customer: { name: "Bo", email: "bo@example.com" } });
   */
  create: (input: Body<"POST /v1/admin/bookings">, options?: IdempotentRequestOptions) =>
    call("POST /v1/admin/bookings", { body: input }, options),
  /** @example const booking = await admin.bookings.get("bkg_…"); */
  get: (id: string, options?: RequestOptions) => call("GET /v1/admin/bookings/{id}", { path: { id } }, options),
  /** @example await admin.bookings.cancel("bkg_…"); */
  cancel: (id: string, options?: RequestOptions) =>
    call("POST /v1/admin/bookings/{id}/cancel", { path: { id } }, options),
  /** @example await admin.bookings.reschedule("bkg_…", { start: "2027-03-02T10:00:00Z" }); */
  reschedule: (
    id: string,
    input: Body<"POST /v1/admin/bookings/{id}/reschedule">,
    options?: IdempotentRequestOptions,
  ) => call("POST /v1/admin/bookings/{id}/reschedule", { path: { id }, body: input }, options),
  /**
   * Marks a confirmed booking completed, with what was paid at the desk (optional): payments by method, a tip for a
   * staff member (default the booking's) and a discount, in minor units. The payments must equal the balance due plus
   * the tip (422 `DESK_OVERPAID` / `BALANCE_DUE`, unless `acceptBalanceDue`); the same input again answers the first
   * completion, another input is 409 `ALREADY_COMPLETED`.
   * @example
   * const { completion } = await admin.bookings.complete("bkg_…", {
   *   payments: [{ method: "cash", amount: 3500 }],
   *   tip: { amount: 500 },
   * });
   */
  complete: (id: string, input?: CompletionInput, options?: RequestOptions) =>
    call("POST /v1/admin/bookings/{id}/complete", { path: { id }, ...(input && { body: input }) }, options),
  /**
   * Before completion, the price, the deposits held and the balance due; after, the completion recorded.
   * @example const { due } = await admin.bookings.completion("bkg_…");
   */
  completion: (id: string, options?: RequestOptions) =>
    call("GET /v1/admin/bookings/{id}/completion", { path: { id } }, options),
  /** @example await admin.bookings.noShow("bkg_…"); */
  noShow: (id: string, options?: RequestOptions) =>
    call("POST /v1/admin/bookings/{id}/no-show", { path: { id } }, options),
  /** A booking's refunds (owner only): decide one up to what is refundable, list them, retry a failed one. */
  refunds: {
    /**
     * Refunds `amount` minor units (absent: all that is refundable); retries reuse one idempotency key.
     * @example const refund = await admin.bookings.refunds.create("bkg_…", { amount: 500, reason: "Goodwill" });
     */
    create: (id: string, input: Body<"POST /v1/admin/bookings/{id}/refunds">, options?: IdempotentRequestOptions) =>
      call("POST /v1/admin/bookings/{id}/refunds", { path: { id }, body: input }, options),
    /** @example const { refunds } = await admin.bookings.refunds.list("bkg_…"); */
    list: (id: string, options?: RequestOptions) =>
      call("GET /v1/admin/bookings/{id}/refunds", { path: { id } }, options),
    /** @example await admin.bookings.refunds.retry("bkg_…", "rfd_…"); */
    retry: (id: string, refundId: string, options?: RequestOptions) =>
      call("POST /v1/admin/bookings/{id}/refunds/{refundId}/retry", { path: { id, refundId } }, options),
  },
});
