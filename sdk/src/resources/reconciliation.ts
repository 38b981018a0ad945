// Admin payouts and reconciliation with Stripe (owner only): the payouts Stripe reported and which appointments are
// in each, reconciliation runs and the differences they found.
import type { Body, Call, Query, RequestOptions } from "../http.ts";
import { listOperation } from "../pagination.ts";

export const adminPayouts = (call: Call) => ({
  /**
   * The payouts Stripe reported, newest first.
   * @example for await (const p of admin.payouts.list()) console.log(p.id, p.amount, p.status);
   */
  list: (query: Query<"GET /v1/admin/payouts"> = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/payouts", { query }, options),
  /**
   * Which appointments are in this bank deposit: its balance transactions with their ledger entries and bookings.
   * @example const { bookings } = await admin.payouts.get("po_…");
   */
  get: (id: string, options?: RequestOptions) => call("GET /v1/admin/payouts/{id}", { path: { id } }, options),
});

export const adminReconciliation = (call: Call) => ({
  /**
   * Reconciles a UTC day (default: today) of the connected account's balance transactions with the ledger.
   * @example const run = await admin.reconciliation.run({ day: "2027-03-01" }); if (!run.clean) console.log(run.differenceList);
   */
  run: (input: Body<"POST /v1/admin/reconciliation/runs"> = {}, options?: RequestOptions) =>
    call("POST /v1/admin/reconciliation/runs", { body: input }, options),
  /**
   * Runs, newest first, with their counts (manual and scheduled).
   * @example for await (const r of admin.reconciliation.list()) console.log(r.day, r.differences);
   */
  list: (query: Query<"GET /v1/admin/reconciliation"> = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/reconciliation", { query }, options),
  /**
   * One run with every difference it found.
   * @example const { differenceList } = await admin.reconciliation.get("rcn_…");
   */
  get: (id: string, options?: RequestOptions) =>
    call("GET /v1/admin/reconciliation/runs/{id}", { path: { id } }, options),
});
