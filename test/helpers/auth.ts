// Dashboard sign-in for tests: sign in as a tenant's owner, invite and sign in a manager or staff member, and send
// requests with the session cookie (and the API's own Origin, as the dashboard's browser does).
import { expect } from "vitest";
import { authTokenOf } from "../../worker/src/services/auth/tokens.ts";
import type { ServiceConfig } from "../../worker/src/services/context.ts";
import type { RequestOptions, TestApp, TestTenant } from "./app.ts";

/** The origin of in-process requests (`app.request("/v1/…")` is http://localhost/v1/…). */
export const TEST_ORIGIN = "http://localhost";
/** The password createTenant gives every owner (`<slug>@example.com`). */
export const OWNER_PASSWORD = "correct horse battery staple";
/** The secret the in-process app derives e-mailed link tokens from (useTestApp's manage-token secret). */
const TOKEN_CONFIG = { manageTokenSecret: "test-manage-token-secret-0123456789abcdef" } as ServiceConfig;

export interface SignedIn {
  /** The cookie's value (`bs_…`). */
  token: string;
  session: {
    user: { id: string; email: string; name: string | null };
    role: string;
    staffId: string | null;
    tenant: { id: string; slug: string };
  };
  /** Request options carrying the cookie and the API's own Origin (add `body`). */
  as(extra?: RequestOptions): RequestOptions;
}

/** The `bookra_session` value a response sets, or undefined. */
export function sessionCookieSet(headers: Headers): string | undefined {
  const set = headers.get("set-cookie") ?? "";
  return /bookra_session=([^;]*)/.exec(set)?.[1] || undefined;
}

export function withSession(token: string, extra: RequestOptions = {}): RequestOptions {
  return { ...extra, headers: { cookie: `bookra_session=${token}`, origin: TEST_ORIGIN, ...extra.headers } };
}

function signedIn(token: string, session: SignedIn["session"]): SignedIn {
  return { token, session, as: (extra) => withSession(token, extra) };
}

export async function signIn(t: TestApp, email: string, password: string): Promise<SignedIn> {
  const res = await t.request("POST", "/v1/auth/sessions", { body: { email, password } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const token = sessionCookieSet(res.headers);
  expect(token).toMatch(/^bs_/);
  return signedIn(token!, res.body);
}

/** Signs in as the owner createTenant made. */
export function signInOwner(t: TestApp, tenant: TestTenant): Promise<SignedIn> {
  return signIn(t, `${tenant.slug}@example.com`, OWNER_PASSWORD);
}

/** The token of an invitation or reset link, as the e-mail carries it (derived from the row's id). */
export function linkToken(id: string): string {
  return authTokenOf(TOKEN_CONFIG, id);
}

/** Invites (with the owner's API key) and accepts: a signed-in manager, or a staff member linked to `staffId`. */
export async function addMember(
  t: TestApp,
  tenant: TestTenant,
  role: "owner" | "manager" | "staff",
  staffId?: string,
): Promise<SignedIn & { email: string; password: string }> {
  const email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const invited = await t.request("POST", "/v1/admin/invitations", {
    key: tenant.apiKey,
    body: { email, role, ...(staffId && { staffId }) },
  });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const password = `pw-${Math.random().toString(36).slice(2)}-long-enough`;
  const res = await t.request("POST", `/v1/auth/invitations/${linkToken(invited.body.id)}`, {
    body: { name: `A ${role}`, password },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...signedIn(sessionCookieSet(res.headers)!, res.body), email, password };
}
