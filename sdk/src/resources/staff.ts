// Admin staff: members with their services and weekly hours, their time off and per-date overrides.
import type { Body, Call, IdempotentRequestOptions, Query, RequestOptions } from "../http.ts";
import { listOperation } from "../pagination.ts";

export const adminStaff = (call: Call) => ({
  /** @example for await (const s of admin.staff.list()) console.log(s.name); */
  list: (query: Query<"GET /v1/admin/staff"> = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/staff", { query }, options),
  /**
   * Retries reuse one idempotency key, so a call creates one member.
   * @example
   * const ana = await admin.staff.create({
   *   name: "Ana", serviceIds: [svc.id], weeklyHours: [{ weekday: 1, start: "09:00", end: "17:00" }],
   * });
   */
  create: (input: Body<"POST /v1/admin/staff">, options?: IdempotentRequestOptions) =>
    call("POST /v1/admin/staff", { body: input }, options),
  /** @example const ana = await admin.staff.get("stf_…"); */
  get: (id: string, options?: RequestOptions) => call("GET /v1/admin/staff/{id}", { path: { id } }, options),
  /** `serviceIds` and `weeklyHours`, when given, replace the current ones. @example await admin.staff.update(id, { commissionBps: 4000 }); */
  update: (id: string, input: Body<"PATCH /v1/admin/staff/{id}">, options?: RequestOptions) =>
    call("PATCH /v1/admin/staff/{id}", { path: { id }, body: input }, options),
  /** @example await admin.staff.delete("stf_…"); */
  delete: (id: string, options?: RequestOptions) => call("DELETE /v1/admin/staff/{id}", { path: { id } }, options),
  /**
   * Issues the member's private iCalendar feed URL (shown once; the previous one stops working). The URL is never
   * replayed: if a retry finds it was already issued under the call's idempotency key, this rejects with a
   * `ConflictError`; call again to issue a new URL.
   * @example const { url } = await admin.staff.issueCalendarFeed("stf_…");
   */
  issueCalendarFeed: (id: string, options?: IdempotentRequestOptions) =>
    call("POST /v1/admin/staff/{id}/calendar-feed", { path: { id } }, options),
  timeOff: {
    /** @example for await (const t of admin.staff.timeOff.list(staffId)) console.log(t.start, t.end); */
    list: (staffId: string, query: Query<"GET /v1/admin/staff/{id}/time-off"> = {}, options?: RequestOptions) =>
      listOperation(call, "GET /v1/admin/staff/{id}/time-off", { path: { id: staffId }, query }, options),
    /** @example await admin.staff.timeOff.create(staffId, { start: "2027-03-01T00:00:00Z", end: "2027-03-08T00:00:00Z", reason: "Holiday" }); */
    create: (staffId: string, input: Body<"POST /v1/admin/staff/{id}/time-off">, options?: IdempotentRequestOptions) =>
      call("POST /v1/admin/staff/{id}/time-off", { path: { id: staffId }, body: input }, options),
    /** @example await admin.staff.timeOff.delete(staffId, "off_…"); */
    delete: (staffId: string, timeOffId: string, options?: RequestOptions) =>
      call("DELETE /v1/admin/staff/{id}/time-off/{timeOffId}", { path: { id: staffId, timeOffId } }, options),
  },
  overrides: {
    /** @example for await (const o of admin.staff.overrides.list(staffId, { from: "2027-03-01" })) console.log(o.date); */
    list: (staffId: string, query: Query<"GET /v1/admin/staff/{id}/overrides"> = {}, options?: RequestOptions) =>
      listOperation(call, "GET /v1/admin/staff/{id}/overrides", { path: { id: staffId }, query }, options),
    /**
     * That local date's hours replace the week's; `intervals: []` is a day off.
     * @example await admin.staff.overrides.set(staffId, "2027-03-01", { intervals: [{ start: "12:00", end: "16:00" }] });
     */
    set: (
      staffId: string,
      date: string,
      input: Body<"PUT /v1/admin/staff/{id}/overrides/{date}">,
      options?: RequestOptions,
    ) => call("PUT /v1/admin/staff/{id}/overrides/{date}", { path: { id: staffId, date }, body: input }, options),
    /** @example await admin.staff.overrides.delete(staffId, "2027-03-01"); */
    delete: (staffId: string, date: string, options?: RequestOptions) =>
      call("DELETE /v1/admin/staff/{id}/overrides/{date}", { path: { id: staffId, date } }, options),
  },
  commissionRules: {
    /** The default rule, per-service overrides and their dates (owner only). @example const { rules } = await admin.staff.commissionRules.list(staffId); */
    list: (staffId: string, options?: RequestOptions) =>
      call("GET /v1/admin/staff/{id}/commission-rules", { path: { id: staffId } }, options),
    /**
     * Replaces the list; each rule applies to appointments starting on or after its `effectiveFrom` (local date).
     * @example await admin.staff.commissionRules.set(staffId, { rules: [{ kind: "percent", rateBps: 3500, effectiveFrom: "2027-04-01" }] });
     */
    set: (staffId: string, input: Body<"PUT /v1/admin/staff/{id}/commission-rules">, options?: RequestOptions) =>
      call("PUT /v1/admin/staff/{id}/commission-rules", { path: { id: staffId }, body: input }, options),
  },
  /**
   * Appointments, revenue, commission, tips, refunds, payments and the balance owed for a period, each a sum of the
   * ledger lines listed in `entries`. A staff session may read only its own.
   * @example const s = await admin.staff.statement(staffId, { period: "month", date: "2027-03-01" });
   */
  statement: (staffId: string, query: Query<"GET /v1/admin/staff/{id}/statement"> = {}, options?: RequestOptions) =>
    call("GET /v1/admin/staff/{id}/statement", { path: { id: staffId }, query }, options),
  /**
   * Pays commission and tips owed (tips first); more than owed rejects with 422 `STAFF_OVERPAID`. Retries reuse one
   * idempotency key, so a call pays once.
   * @example await admin.staff.pay(staffId, { amount: s.balanceOwed, method: "bank", period: s.period });
   */
  pay: (staffId: string, input: Body<"POST /v1/admin/staff/{id}/payments">, options?: IdempotentRequestOptions) =>
    call("POST /v1/admin/staff/{id}/payments", { path: { id: staffId }, body: input }, options),
});
