// The dashboard's session: sign in with e-mail and password (the server sets an HttpOnly cookie), who is signed in,
// sign out. Only for the session client (`createBookraAdmin({ session: true })`), never with an API key.
import type { RequestOptions } from "../http.ts";
import type { LooseCall } from "./loose.ts";

export type Role = "owner" | "manager" | "staff";

export interface Session {
  user: { id: string; email: string; name: string };
  tenant: { id: string; slug: string; name: string; timezone: string; currency: string };
  role: Role;
  /** The staff member this user is (a staff role sees only their own calendar), else null. */
  staffId: string | null;
}

export const adminAuth = (call: LooseCall) => ({
  /**
   * Signs in; the session cookie is set by the response. A wrong e-mail or password is a 401 either way.
   * @example await admin.auth.signIn({ email: "owner@example.com", password: "a long passphrase" });
   */
  signIn: (input: { email: string; password: string }, options?: RequestOptions) =>
    call<unknown>("POST /v1/auth/sessions", { body: input }, options),
  /** The signed-in user, their business and role; rejects with an `AuthenticationError` (401) when signed out.
   * @example const { user, tenant, role } = await admin.auth.session(); */
  session: (options?: RequestOptions) => call<Session>("GET /v1/auth/session", {}, options),
  /** @example await admin.auth.signOut(); */
  signOut: (options?: RequestOptions) => call<unknown>("DELETE /v1/auth/sessions", {}, options),
});
