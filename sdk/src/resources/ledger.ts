// Admin ledger (owner only): the journal entries with their lines, the trial balance at an instant, and the alerts
// of the hourly ledger check.
import type { Call, Query, RequestOptions } from "../http.ts";
import { listOperation } from "../pagination.ts";

export const adminLedger = (call: Call) => ({
  /**
   * Journal entries in the order they occurred, each with all its lines (signed minor units: debit positive);
   * filter by `bookingId`, `account` and the period `from` (inclusive) – `to` (exclusive).
   * @example for await (const e of admin.ledger.list({ bookingId: "bkg_…" })) console.log(e.kind, e.lines);
   */
  list: (query: Query<"GET /v1/admin/ledger"> = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/ledger", { query }, options),
  /**
   * Every account's balance from the entries that occurred at or before `at` (default: now); sums to zero.
   * @example const { accounts } = await admin.ledger.balances({ at: "2027-04-01T00:00:00Z" });
   */
  balances: (query: Query<"GET /v1/admin/ledger/balances"> = {}, options?: RequestOptions) =>
    call("GET /v1/admin/ledger/balances", { query }, options),
  /**
   * What the hourly ledger check found wrong (none on a healthy ledger), most recently seen first: one alert per
   * identity and subject, with `firstSeenAt`, `lastSeenAt` and `count` (check runs that found it).
   * @example for await (const a of admin.ledger.alerts()) console.log(a.identity, a.subject, a.count);
   */
  alerts: (query: Query<"GET /v1/admin/ledger/alerts"> = {}, options?: RequestOptions) =>
    listOperation(call, "GET /v1/admin/ledger/alerts", { query }, options),
});
