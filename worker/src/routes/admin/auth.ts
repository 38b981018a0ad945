// Admin authentication and authorization. Either `Authorization: Bearer sk_…` (an API key: the owner's rights) or the
// dashboard's `bookra_session` cookie (the membership's role, read on every request). Changes authenticated by the
// cookie must come from the API's own origin (CSRF); then the role must allow the operation (domain/permissions.ts,
// deny by default).
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import { type AdminActor, mayCall, operationKey } from "../../domain/permissions.ts";
import { isUnsafeMethod, SESSION_TTL_MS } from "../../domain/sessions.ts";
import { AppError, Forbidden, Unauthenticated } from "../../errors.ts";
import { errorResponses } from "../../schemas/common.ts";
import { authenticateApiKey, recordApiKeyUse } from "../../services/api-keys/api-keys.ts";
import { authenticateSession, renewSession } from "../../services/auth/sessions.ts";
import type { App, AppEnv } from "../types.ts";

export const SESSION_COOKIE = "bookra_session";

/** Sets the session cookie: HttpOnly, Secure, SameSite=Lax, Path=/, for the session's remaining lifetime. */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date): void {
  const maxAge = Math.max(0, Math.ceil((expiresAt.getTime() - c.var.deps.now().getTime()) / 1000));
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: "/",
    maxAge: Math.min(maxAge, SESSION_TTL_MS / 1000),
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
}

export function sessionCookieOf(c: Context<AppEnv>): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/**
 * CSRF: a change made with the ambient cookie must name this API's own origin in `Origin` (browsers send it on every
 * cross-site and same-origin POST/PATCH/PUT/DELETE). A missing or foreign Origin is refused before anything runs.
 */
export function assertSameOrigin(c: Context<AppEnv>, { required }: { required: boolean }): void {
  const origin = c.req.header("origin");
  if (origin === undefined && !required) return;
  if (origin !== new URL(c.req.url).origin)
    throw new AppError(
      "FORBIDDEN",
      "A change signed in with the session cookie must come from the dashboard's own origin (the Origin header did not match)",
    );
}

/** The signed-in session of the cookie (its expiry slid forward when due), or a 401. */
export async function requireSessionOf(
  c: Context<AppEnv>,
): Promise<{ tenantId: string; actor: AdminActor & { kind: "session" }; expiresAt: Date }> {
  const token = sessionCookieOf(c);
  const now = c.var.deps.now();
  const session = token ? await authenticateSession({ db: c.var.db(), token, now }) : null;
  if (!token || !session) {
    if (token) clearSessionCookie(c);
    throw new Unauthenticated("Sign in again: the session has ended");
  }
  if (session.renew) {
    const db = c.var.db();
    const ref = { tenantId: session.tenantId, sessionId: session.actor.sessionId };
    c.var.defer(() => renewSession(db, ref, now));
    setSessionCookie(c, token, session.expiresAt);
  }
  return session;
}

/** `/v1/admin/bookings/:id` (Hono) → `/v1/admin/bookings/{id}` (OpenAPI, the permission table's form). */
function operationOf(c: Context<AppEnv>): string | null {
  const handler = matchedRoutes(c).findLast((r) => r.method !== "ALL");
  if (!handler) return null;
  return operationKey(handler.method, handler.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}"));
}

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  if (header !== undefined || !sessionCookieOf(c)) {
    const match = /^Bearer\s+(sk_[0-9a-z]{40})$/i.exec((header ?? "").trim());
    if (!match?.[1]) throw new Unauthenticated();
    const key = await authenticateApiKey({ db: c.var.db(), secret: match[1] });
    if (!key) throw new Unauthenticated("The API key is unknown or revoked");
    const actor: AdminActor = { kind: "api_key", role: "owner", keyId: key.keyId, userId: null, staffId: null };
    c.set("principal", { tenantId: key.tenantId, keyId: key.keyId, actor });
    const db = c.var.db();
    const now = c.var.deps.now();
    c.var.defer(() => recordApiKeyUse(db, key, now));
  } else {
    if (isUnsafeMethod(c.req.method)) assertSameOrigin(c, { required: true });
    const session = await requireSessionOf(c);
    c.set("principal", { tenantId: session.tenantId, actor: session.actor });
  }
  const operation = operationOf(c);
  // No operation matched: the 404 follows. Otherwise the role must allow it (deny by default).
  if (operation && !mayCall(c.var.principal.actor.role, operation))
    throw new Forbidden(`Your role (${c.var.principal.actor.role}) does not allow ${operation}`);
  await next();
});

/**
 * The OpenAPI document says what requireAdmin does for every admin operation, including those registered by other
 * route groups: the 403 a role (or a foreign Origin) gets. Call after every route is
 * registered.
 */
const FORBIDDEN_RESPONSE = errorResponses(403)[403];

export function documentAdminAuth(app: App): void {
  for (const def of app.openAPIRegistry.definitions) {
    if (def.type !== "route" || !def.route.path.startsWith("/v1/admin/")) continue;
    def.route.responses[403] ??= FORBIDDEN_RESPONSE;
  }
}
