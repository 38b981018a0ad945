// The bookings list's filters, pure: read from and written to the page's URL query (so a reload or a shared link
// keeps them) and turned into the `GET /v1/admin/bookings` query. Anything malformed in a URL is dropped, not sent.
import type { BookingListQuery } from "@bookra/sdk/admin";

export const STATUSES = ["pending_payment", "confirmed", "cancelled", "completed", "no_show", "expired"] as const;
export type Status = (typeof STATUSES)[number];

export interface Filters {
  /** Part of the customer's name, e-mail or phone (trimmed, at most 100 characters, as the API takes it). */
  q: string;
  status: Status[];
  staffId: string;
  serviceId: string;
  /** One customer's bookings (from the customer's page; kept as a hidden part of the form). */
  customerId: string;
  /** Local dates (YYYY-MM-DD) in the business's time zone, both inclusive; "" for open. */
  from: string;
  to: string;
}

export const EMPTY: Filters = { q: "", status: [], staffId: "", serviceId: "", customerId: "", from: "", to: "" };

/** The API's own bounds: `q` ≤ 100 characters, ids ≤ 64. */
export const Q_MAX = 100;
const ID_MAX = 64;

const isStatus = (s: string): s is Status => (STATUSES as readonly string[]).includes(s);

/** A real calendar date YYYY-MM-DD (not 2027-02-30). */
export function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const id = (v: string | null) => (v && v.length <= ID_MAX && /^[\w-]+$/.test(v) ? v : "");

/** The filters a URL query holds (`?q=…&status=confirmed,completed&staff=…&service=…&customer=…&from=…&to=…`). */
export function filtersFromQuery(query: URLSearchParams): Filters {
  const status = query
    .getAll("status")
    .flatMap((s) => s.split(","))
    .filter(isStatus);
  const date = (k: string) => {
    const v = query.get(k) ?? "";
    return isDate(v) ? v : "";
  };
  return {
    q: (query.get("q") ?? "").trim().slice(0, Q_MAX),
    // in the order of STATUSES, once each, so equal filters make equal URLs
    status: STATUSES.filter((s) => status.includes(s)),
    staffId: id(query.get("staff")),
    serviceId: id(query.get("service")),
    customerId: id(query.get("customer")),
    from: date("from"),
    to: date("to"),
  };
}

/** The URL query of `f` (empty parts left out), e.g. "q=ana&status=confirmed%2Ccompleted". */
export function filtersToQuery(f: Filters): string {
  const q = new URLSearchParams();
  if (f.q.trim()) q.set("q", f.q.trim().slice(0, Q_MAX));
  const status = STATUSES.filter((s) => f.status.includes(s));
  if (status.length) q.set("status", status.join(","));
  if (f.staffId) q.set("staff", f.staffId);
  if (f.serviceId) q.set("service", f.serviceId);
  if (f.customerId) q.set("customer", f.customerId);
  if (f.from) q.set("from", f.from);
  if (f.to) q.set("to", f.to);
  return q.toString();
}

/** The list request for `f`: dates go as local dates (the API reads them in the business's zone, `to` inclusive). */
export function filtersToApi(f: Filters): BookingListQuery {
  const out: BookingListQuery = {};
  if (f.q.trim()) out.q = f.q.trim().slice(0, Q_MAX);
  if (f.status.length) out.status = STATUSES.filter((s) => f.status.includes(s));
  if (f.staffId) out.staffId = f.staffId;
  if (f.serviceId) out.serviceId = f.serviceId;
  if (f.customerId) out.customerId = f.customerId;
  if (f.from) out.from = f.from;
  if (f.to) out.to = f.to;
  return out;
}

/** A date range the API would refuse or that holds nothing: `from` after `to`. */
export const rangeInverted = (f: Filters) => !!f.from && !!f.to && f.from > f.to;

export const isEmpty = (f: Filters) => filtersToQuery(f) === "";
