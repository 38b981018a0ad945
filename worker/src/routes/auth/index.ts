// /v1/auth: the dashboard signs in and out, asks who is signed in, changes or resets a password and accepts an
// invitation. Sign-in and the e-mailed links are rate limited per caller address (and per e-mail address).
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  InvitationAcceptance,
  PasswordChange,
  PasswordResetCompletion,
  PasswordResetRequest,
  Session,
  SignInInput,
  TokenParam,
} from "../../schemas/auth.ts";
import { errorResponses, jsonBody, jsonResponse } from "../../schemas/common.ts";
import { acceptInvitation } from "../../services/auth/invitations.ts";
import { changePassword, completePasswordReset, requestPasswordReset } from "../../services/auth/passwords.ts";
import { getSession, signIn, signOut } from "../../services/auth/sessions.ts";
import {
  assertSameOrigin,
  clearSessionCookie,
  requireSessionOf,
  sessionCookieOf,
  setSessionCookie,
} from "../admin/auth.ts";
import { clientAddress, enforceRateLimit } from "../rate-limit.ts";
import type { App, AppEnv } from "../types.ts";

const tags = ["Auth"];
const SET_COOKIE = {
  "Set-Cookie": {
    description: "`bookra_session=…; Max-Age=1209600; Path=/; HttpOnly; Secure; SameSite=Lax` (a new token each time)",
    schema: { type: "string" as const },
  },
};

const signInRoute = createRoute({
  operationId: "signIn",
  summary: "Sign in",
  description:
    "Checks the e-mail address and password and sets the session cookie (a new token on every sign-in; a cookie the " +
    "request carries is never reused). An unknown address and a wrong password get the same 401 " +
    "`INVALID_CREDENTIALS`. Rate limited per caller address and per e-mail address (429 `RATE_LIMITED`).",
  tags,
  security: [],
  method: "post",
  path: "/v1/auth/sessions",
  request: jsonBody(SignInInput),
  responses: {
    201: { ...jsonResponse(Session, "Signed in; the cookie is set"), headers: SET_COOKIE },
    ...errorResponses(401, 403, 413, 429),
  },
});

const signOutRoute = createRoute({
  operationId: "signOut",
  summary: "Sign out",
  description:
    "Revokes the `bookra_session` cookie's session and clears the cookie (also when there is none). With a cookie, " +
    "the request must carry the API's own `Origin` (else 403).",
  tags,
  security: [],
  method: "delete",
  path: "/v1/auth/sessions",
  responses: { 204: { description: "Signed out" }, ...errorResponses(403, 413) },
});

const getSessionRoute = createRoute({
  operationId: "getSession",
  summary: "Who is signed in",
  description:
    "The user, their business, role and (staff) staff record of the `bookra_session` cookie's session (401 without " +
    "one). A session unused for 14 days ends; using it slides the expiry (the cookie is re-sent at most hourly).",
  tags,
  security: [],
  method: "get",
  path: "/v1/auth/session",
  responses: { 200: jsonResponse(Session, "The signed-in user"), ...errorResponses(401) },
});

const changePasswordRoute = createRoute({
  operationId: "changePassword",
  summary: "Change the password",
  description:
    "Needs the `bookra_session` cookie, the API's own `Origin` (else 403) and the current password (a wrong one is " +
    "400 with an issue on `currentPassword`). Every other session of " +
    "the user, in every business, is revoked; this one stays signed in.",
  tags,
  security: [],
  method: "post",
  path: "/v1/auth/password",
  request: jsonBody(PasswordChange),
  responses: { 204: { description: "Changed" }, ...errorResponses(401, 403, 413, 429) },
});

const requestResetRoute = createRoute({
  operationId: "requestPasswordReset",
  summary: "Send a password-reset link",
  description:
    "E-mails a link that works once for 30 minutes, if the address has an account. The answer is the same 202 " +
    "either way. Rate limited per caller address and per e-mail address.",
  tags,
  security: [],
  method: "post",
  path: "/v1/auth/password-resets",
  request: jsonBody(PasswordResetRequest),
  responses: {
    202: { description: "Accepted (a link is sent if the address has an account)" },
    ...errorResponses(403, 413, 429),
  },
});

const completeResetRoute = createRoute({
  operationId: "resetPassword",
  summary: "Set a new password from a reset link",
  description:
    "The token of the e-mailed link, once, within 30 minutes (else 404). Every session of the user is revoked; " +
    "sign in with the new password.",
  tags,
  security: [],
  method: "post",
  path: "/v1/auth/password-resets/{token}",
  request: { params: TokenParam, ...jsonBody(PasswordResetCompletion) },
  responses: { 204: { description: "The password is set" }, ...errorResponses(403, 404, 413, 429) },
});

const acceptInvitationRoute = createRoute({
  operationId: "acceptInvitation",
  summary: "Accept an invitation",
  description:
    "The token of the e-mailed invitation, once, within 30 minutes (else 404). Creates the user (or, for an address " +
    "that already has an account, checks its password: 401 `INVALID_CREDENTIALS`), makes them a member with the " +
    "invited role and signs them in.",
  tags,
  security: [],
  method: "post",
  path: "/v1/auth/invitations/{token}",
  request: { params: TokenParam, ...jsonBody(InvitationAcceptance) },
  responses: {
    201: { ...jsonResponse(Session, "Joined and signed in; the cookie is set"), headers: SET_COOKIE },
    ...errorResponses(401, 403, 404, 409, 413, 429),
  },
});

/** A browser's unsafe request from another site is refused even before sign-in (login CSRF). */
function limitByAddress(c: Context<AppEnv>) {
  assertSameOrigin(c, { required: false });
  return enforceRateLimit(c, "auth-address", clientAddress(c));
}

export function registerAuthRoutes(app: App): void {
  app.openapi(signInRoute, async (c) => {
    const input = c.req.valid("json");
    await limitByAddress(c);
    await enforceRateLimit(c, "auth-email", input.email);
    const deps = c.var.deps;
    const signedIn = await signIn({ db: c.var.db(), config: deps.config, now: deps.now(), input });
    setSessionCookie(c, signedIn.token, new Date(signedIn.session.expiresAt));
    return c.json(signedIn.session, 201);
  });
  app.openapi(signOutRoute, async (c) => {
    const token = sessionCookieOf(c);
    if (token) {
      assertSameOrigin(c, { required: true });
      await signOut({ db: c.var.db(), token, now: c.var.deps.now() });
    }
    clearSessionCookie(c);
    return c.body(null, 204);
  });
  app.openapi(getSessionRoute, async (c) => {
    const s = await requireSessionOf(c);
    return c.json(await getSession({ db: c.var.db(), ...s }), 200);
  });
  app.openapi(changePasswordRoute, async (c) => {
    assertSameOrigin(c, { required: true });
    const s = await requireSessionOf(c);
    await enforceRateLimit(c, "auth-email", s.actor.userId);
    const deps = c.var.deps;
    const input = c.req.valid("json");
    await changePassword({ db: c.var.db(), config: deps.config, now: deps.now(), ...s, input });
    return c.body(null, 204);
  });
  app.openapi(requestResetRoute, async (c) => {
    const { email } = c.req.valid("json");
    await limitByAddress(c);
    await enforceRateLimit(c, "auth-email", email);
    const deps = c.var.deps;
    await requestPasswordReset({ db: c.var.db(), config: deps.config, now: deps.now(), email });
    return c.body(null, 202);
  });
  app.openapi(completeResetRoute, async (c) => {
    await limitByAddress(c);
    const deps = c.var.deps;
    const { token } = c.req.valid("param");
    const { password } = c.req.valid("json");
    await completePasswordReset({ db: c.var.db(), config: deps.config, now: deps.now(), token, password });
    clearSessionCookie(c);
    return c.body(null, 204);
  });
  app.openapi(acceptInvitationRoute, async (c) => {
    await limitByAddress(c);
    const deps = c.var.deps;
    const { token } = c.req.valid("param");
    const input = c.req.valid("json");
    const signedIn = await acceptInvitation({ db: c.var.db(), config: deps.config, now: deps.now(), token, input });
    setSessionCookie(c, signedIn.token, new Date(signedIn.session.expiresAt));
    return c.json(signedIn.session, 201);
  });
}
