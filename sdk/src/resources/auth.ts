// Dashboard sign-in: sessions (the `bookra_session` cookie, which the browser keeps), passwords and invitations.
import type { Body, Call, RequestOptions } from "../http.ts";

export const dashboardAuth = (call: Call) => ({
  /**
   * Signs in; the API sets the HttpOnly session cookie (a new one each time). A wrong address or password rejects
   * with `code: "INVALID_CREDENTIALS"` (the same for both).
   * @example const me = await dashboard.auth.signIn({ email, password }); console.log(me.role, me.tenant.name);
   */
  signIn: (input: Body<"POST /v1/auth/sessions">, options?: RequestOptions) =>
    call("POST /v1/auth/sessions", { body: input }, options),
  /** Revokes this session and clears the cookie. @example await dashboard.auth.signOut(); */
  signOut: (options?: RequestOptions) => call("DELETE /v1/auth/sessions", {}, options),
  /**
   * Who is signed in (user, business, role, staff record); rejects with `status: 401` once the session has ended.
   * @example const me = await dashboard.auth.session();
   */
  session: (options?: RequestOptions) => call("GET /v1/auth/session", {}, options),
  /**
   * Changes the password; every other session of the user ends. A wrong current password rejects with
   * `status: 400` and an issue on `currentPassword`.
   * @example await dashboard.auth.changePassword({ currentPassword, newPassword });
   */
  changePassword: (input: Body<"POST /v1/auth/password">, options?: RequestOptions) =>
    call("POST /v1/auth/password", { body: input }, options),
  /** E-mails a reset link if the address has an account (the same answer either way). @example await dashboard.auth.requestPasswordReset({ email }); */
  requestPasswordReset: (input: Body<"POST /v1/auth/password-resets">, options?: RequestOptions) =>
    call("POST /v1/auth/password-resets", { body: input }, options),
  /**
   * Sets a new password with the token of a reset link (`#token=…`); then sign in.
   * @example await dashboard.auth.resetPassword(token, { password });
   */
  resetPassword: (token: string, input: Body<"POST /v1/auth/password-resets/{token}">, options?: RequestOptions) =>
    call("POST /v1/auth/password-resets/{token}", { path: { token }, body: input }, options),
  /**
   * Accepts an invitation with the token of its link (`#token=…`) and signs in.
   * @example const me = await dashboard.auth.acceptInvitation(token, { name: "Ana", password });
   */
  acceptInvitation: (token: string, input: Body<"POST /v1/auth/invitations/{token}">, options?: RequestOptions) =>
    call("POST /v1/auth/invitations/{token}", { path: { token }, body: input }, options),
});
