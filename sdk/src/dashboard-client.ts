// The dashboard client, `createBookraDashboard`, for the owners' app in the browser: the admin resources with the
// session cookie instead of an API key (same origin, no secret in the page), plus sign-in and invitations.
import { type AdminResources, adminResources } from "./admin-client.ts";
import { IDEMPOTENT_OPERATIONS } from "./generated/idempotent.ts";
import { type ClientOptions, createCall } from "./http.ts";
import { dashboardAuth } from "./resources/auth.ts";

export type DashboardClientOptions = Omit<ClientOptions, "credentials">;

/**
 * The admin API as the signed-in user: the browser sends the `bookra_session` cookie (`credentials: "same-origin"`)
 * and its own `Origin`, and the server applies the user's role (owner, manager, staff).
 * @example
 * const dashboard = createBookraDashboard({ baseUrl: location.origin });
 * await dashboard.auth.signIn({ email, password });
 * const { data } = await dashboard.bookings.list({ from: "2027-03-01T00:00:00Z" });
 */
export function createBookraDashboard(options: DashboardClientOptions): BookraDashboard {
  const call = createCall({ ...options, credentials: "same-origin" }, { idempotent: IDEMPOTENT_OPERATIONS });
  return { ...adminResources(call), auth: dashboardAuth(call) };
}

export type BookraDashboard = AdminResources & { auth: ReturnType<typeof dashboardAuth> };
