// Who may do what in the admin API (issue 12): a pure table of role × operation, deny by default. An operation is
// `METHOD /path/{param}` exactly as the OpenAPI document names it. The owner may do everything (and an API key acts
// as the owner); a manager or staff member only what is listed here, so a route added later is owner-only until it is
// listed. Row-level rules (a staff member sees only their own bookings) live in the services, beside their queries.

export type Role = "owner" | "manager" | "staff";
export const ROLES: readonly Role[] = ["owner", "manager", "staff"];

/** Who the admin API acts for: an API key (owner rights) or a signed-in user with their membership's role. */
export type AdminActor =
  | { kind: "api_key"; role: "owner"; keyId: string; userId: null; staffId: null }
  | { kind: "session"; role: Role; sessionId: string; userId: string; staffId: string | null };

/** Operations a manager may call: everything but payments settings, API keys and (in the services) other owners. */
const MANAGER: readonly string[] = [
  "GET /v1/admin/tenant",
  "PATCH /v1/admin/tenant",
  "GET /v1/admin/staff",
  "POST /v1/admin/staff",
  "GET /v1/admin/staff/{id}",
  "PATCH /v1/admin/staff/{id}",
  "DELETE /v1/admin/staff/{id}",
  "GET /v1/admin/staff/{id}/time-off",
  "POST /v1/admin/staff/{id}/time-off",
  "DELETE /v1/admin/staff/{id}/time-off/{timeOffId}",
  "GET /v1/admin/staff/{id}/overrides",
  "PUT /v1/admin/staff/{id}/overrides/{date}",
  "DELETE /v1/admin/staff/{id}/overrides/{date}",
  "POST /v1/admin/staff/{id}/calendar-feed",
  "GET /v1/admin/services",
  "POST /v1/admin/services",
  "GET /v1/admin/services/{id}",
  "PATCH /v1/admin/services/{id}",
  "DELETE /v1/admin/services/{id}",
  "GET /v1/admin/bookings",
  "POST /v1/admin/bookings",
  "GET /v1/admin/bookings/{id}",
  "POST /v1/admin/bookings/{id}/cancel",
  "POST /v1/admin/bookings/{id}/reschedule",
  "POST /v1/admin/bookings/{id}/complete",
  "GET /v1/admin/bookings/{id}/completion",
  "POST /v1/admin/bookings/{id}/no-show",
  "GET /v1/admin/bookings/{id}/timeline",
  "GET /v1/admin/calendar",
  "GET /v1/admin/customers",
  "GET /v1/admin/customers/{id}",
  "PATCH /v1/admin/customers/{id}",
  "GET /v1/admin/outbox",
  "POST /v1/admin/outbox/{id}/retry",
  "GET /v1/admin/webhook-endpoints",
  "POST /v1/admin/webhook-endpoints",
  "DELETE /v1/admin/webhook-endpoints/{id}",
  "GET /v1/admin/webhook-endpoints/{id}/deliveries",
  "POST /v1/admin/webhook-endpoints/{id}/test",
  "GET /v1/admin/channels",
  "PUT /v1/admin/channels",
  "GET /v1/admin/invitations",
  "POST /v1/admin/invitations",
  "DELETE /v1/admin/invitations/{id}",
];

/**
 * Operations a staff member may call: their own bookings (the services narrow lists to them and answer 404 for
 * another staff member's), their own staff record and time off (404 for anyone else's), and the catalogue read-only.
 */
const STAFF: readonly string[] = [
  "GET /v1/admin/bookings",
  "GET /v1/admin/bookings/{id}",
  "POST /v1/admin/bookings/{id}/cancel",
  "POST /v1/admin/bookings/{id}/reschedule",
  "POST /v1/admin/bookings/{id}/complete",
  "GET /v1/admin/bookings/{id}/completion",
  "POST /v1/admin/bookings/{id}/no-show",
  "GET /v1/admin/bookings/{id}/timeline",
  "GET /v1/admin/calendar",
  "GET /v1/admin/staff/{id}",
  "GET /v1/admin/staff/{id}/time-off",
  "POST /v1/admin/staff/{id}/time-off",
  "DELETE /v1/admin/staff/{id}/time-off/{timeOffId}",
  "GET /v1/admin/services",
  "GET /v1/admin/services/{id}",
  // Their own statement only (services/commissions/statement.ts answers 403 for another's).
  "GET /v1/admin/staff/{id}/statement",
];

/**
 * Money is the owner's alone until the money pages decide otherwise (issue 13): these operations are listed for no
 * other role (permissions.test.ts keeps them out of the lists above).
 */
export const OWNER_ONLY_OPERATIONS: readonly string[] = [
  "GET /v1/admin/ledger",
  "GET /v1/admin/ledger/balances",
  "GET /v1/admin/ledger/alerts",
  "GET /v1/admin/payments",
  "POST /v1/admin/payments/connect",
  "GET /v1/admin/staff/{id}/commission-rules",
  "PUT /v1/admin/staff/{id}/commission-rules",
  "POST /v1/admin/staff/{id}/payments",
  "GET /v1/admin/reports/summary",
  "GET /v1/admin/reports/revenue",
  "GET /v1/admin/reports/summary.csv",
  "GET /v1/admin/reports/revenue.csv",
  "GET /v1/admin/payouts",
  "GET /v1/admin/payouts/{id}",
  "POST /v1/admin/reconciliation/runs",
  "GET /v1/admin/reconciliation",
  "GET /v1/admin/reconciliation/runs/{id}",
];

const ALLOWED: Record<Exclude<Role, "owner">, ReadonlySet<string>> = {
  manager: new Set(MANAGER),
  staff: new Set(STAFF),
};

/** `GET /v1/admin/bookings/{id}`: the key of an operation, from its method and OpenAPI path. */
export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Whether `role` may call the operation; unknown operations are the owner's alone. */
export function mayCall(role: Role, operation: string): boolean {
  return role === "owner" || ALLOWED[role].has(operation);
}

/** Whether an actor may invite or withdraw an invitation with this role (only an owner deals in owners). */
export function mayGrantRole(actor: Role, granted: Role): boolean {
  if (actor === "owner") return true;
  return actor === "manager" && granted !== "owner";
}

/** The staff record an actor is confined to (staff users), or null when they see every staff member's work. */
export function staffScopeOf(actor: AdminActor | undefined): string | null {
  return actor?.role === "staff" ? actor.staffId : null;
}
