// Dashboard sign-in security (issue 12 acceptance): cookie flags, session fixation, one answer for an unknown address
// and a wrong password, CSRF from another origin, brute force, reset-token reuse and expiry, and revocation on
// sign-out, password change and reset; the sliding 14-day expiry; the reset e-mail through the outbox.
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../worker/src/app.ts";
import { authEmailHandler } from "../worker/src/effects/handlers/auth-email.ts";
import { hashPassword } from "../worker/src/lib/crypto.ts";
import type { RateLimitBucket, RateLimiter } from "../worker/src/routes/types.ts";
import { sweepRetention } from "../worker/src/services/retention/retention.ts";
import { effects } from "./effects/helpers.ts";
import { TEST_NOW, TEST_PASSWORD_PEPPERS, useTestApp } from "./helpers/app.ts";
import {
  linkToken,
  OWNER_PASSWORD,
  sessionCookieSet,
  signIn,
  signInOwner,
  TEST_ORIGIN,
  withSession,
} from "./helpers/auth.ts";

const t = useTestApp();
const fx = effects(t);
beforeEach(() => {
  t.clock.now = TEST_NOW;
});

const minutes = (n: number) => new Date(t.clock.now.getTime() + n * 60_000);

async function staffCount(tenantId: string): Promise<number> {
  const [row] = await t.database.admin("SELECT count(*)::int AS n FROM staff WHERE tenant_id = $1", [tenantId]);
  return row!.n;
}

/** The token of the last reset link written for `email` (its outbox row names the token row). */
async function lastResetToken(email: string): Promise<{ token: string; tokenId: string }> {
  const [row] = await t.database.admin(
    "SELECT id FROM auth_tokens WHERE kind = 'reset' AND email = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
    [email],
  );
  expect(row).toBeDefined();
  return { token: linkToken(row!.id), tokenId: row!.id };
}

describe("signing in", () => {
  it("sets an HttpOnly, Secure, SameSite=Lax, Path=/ cookie for 14 days and stores only its SHA-256", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("POST", "/v1/auth/sessions", {
      body: { email: `${tenant.slug}@example.com`, password: OWNER_PASSWORD },
    });
    expect(res.status).toBe(201);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^bookra_session=bs_[0-9a-z]{40};/);
    for (const flag of ["HttpOnly", "Secure", "SameSite=Lax", "Path=/", "Max-Age=1209600"])
      expect(cookie.split("; ")).toContain(flag);
    const token = sessionCookieSet(res.headers)!;
    const stored = await t.database.admin("SELECT token_hash FROM sessions WHERE tenant_id = $1", [tenant.id]);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(token.slice(3));
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body).toMatchObject({ role: "owner", staffId: null, tenant: { id: tenant.id, slug: tenant.slug } });
  });

  it("never adopts an incoming cookie (no session fixation): every sign-in gets a new token", async () => {
    const tenant = await t.createTenant();
    const planted = `bs_${"a".repeat(40)}`;
    const first = await t.request("POST", "/v1/auth/sessions", {
      body: { email: `${tenant.slug}@example.com`, password: OWNER_PASSWORD },
      headers: { cookie: `bookra_session=${planted}` },
    });
    const issued = sessionCookieSet(first.headers)!;
    expect(issued).not.toBe(planted);
    expect((await t.request("GET", "/v1/auth/session", withSession(planted))).status).toBe(401);
    // Signing in again while signed in issues yet another token; the old one stays its own session.
    const again = await t.request("POST", "/v1/auth/sessions", {
      body: { email: `${tenant.slug}@example.com`, password: OWNER_PASSWORD },
      headers: { cookie: `bookra_session=${issued}` },
    });
    expect(sessionCookieSet(again.headers)).not.toBe(issued);
  });

  it("gives an unknown address and a wrong password the same 401 INVALID_CREDENTIALS", async () => {
    const tenant = await t.createTenant();
    const wrong = await t.request("POST", "/v1/auth/sessions", {
      body: { email: `${tenant.slug}@example.com`, password: "not the password" },
    });
    const unknown = await t.request("POST", "/v1/auth/sessions", {
      body: { email: `nobody-${tenant.slug}@example.com`, password: "not the password" },
    });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    expect(wrong.body.error.code).toBe("INVALID_CREDENTIALS");
    expect({ ...unknown.body.error, requestId: "" }).toEqual({ ...wrong.body.error, requestId: "" });
  });

  it("rehashes a password stored before the pepper existed, and still signs in with it", async () => {
    const tenant = await t.createTenant();
    const email = `${tenant.slug}@example.com`;
    await t.database.admin("UPDATE users SET password_hash = $1 WHERE email = $2", [
      await hashPassword(OWNER_PASSWORD),
      email,
    ]);
    await signIn(t, email, OWNER_PASSWORD);
    const [row] = await t.database.admin("SELECT password_hash FROM users WHERE email = $1", [email]);
    expect(row!.password_hash).toMatch(
      new RegExp(`^pbkdf2-sha256\\$100000\\$[0-9a-f]{32}\\$[0-9a-f]{64}\\$${TEST_PASSWORD_PEPPERS!.currentId}$`),
    );
    await signIn(t, email, OWNER_PASSWORD);
  });
});

describe("sessions", () => {
  it("slides the expiry at most once an hour and ends after 14 days unused", async () => {
    const tenant = await t.createTenant();
    const owner = await signInOwner(t, tenant);
    t.clock.now = minutes(30);
    const early = await t.request("GET", "/v1/auth/session", owner.as());
    expect(early.status).toBe(200);
    expect(early.headers.get("set-cookie")).toBeNull(); // no write within the hour
    t.clock.now = minutes(60);
    const renewed = await t.request("GET", "/v1/auth/session", owner.as());
    expect(renewed.body.expiresAt).toBe(minutes(14 * 24 * 60).toISOString());
    expect(sessionCookieSet(renewed.headers)).toBe(owner.token);
    const [row] = await t.database.admin("SELECT expires_at FROM sessions WHERE tenant_id = $1", [tenant.id]);
    expect(new Date(row!.expires_at).toISOString()).toBe(minutes(14 * 24 * 60).toISOString());
    t.clock.now = minutes(14 * 24 * 60);
    expect((await t.request("GET", "/v1/auth/session", owner.as())).status).toBe(401);
    expect((await t.request("GET", "/v1/admin/staff", owner.as())).status).toBe(401);
  });

  it("signing out revokes the session", async () => {
    const tenant = await t.createTenant();
    const owner = await signInOwner(t, tenant);
    const out = await t.request("DELETE", "/v1/auth/sessions", owner.as());
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/bookra_session=;.*Max-Age=0/);
    expect((await t.request("GET", "/v1/admin/staff", owner.as())).status).toBe(401);
    const [row] = await t.database.admin("SELECT revoked_at FROM sessions WHERE tenant_id = $1", [tenant.id]);
    expect(row!.revoked_at).not.toBeNull();
  });

  it("a password change revokes every other session and keeps this one", async () => {
    const tenant = await t.createTenant();
    const phone = await signInOwner(t, tenant);
    const laptop = await signInOwner(t, tenant);
    const wrong = await t.request(
      "POST",
      "/v1/auth/password",
      laptop.as({ body: { currentPassword: "not it", newPassword: "a brand new password" } }),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.issues[0].path).toEqual(["currentPassword"]);
    expect((await t.request("GET", "/v1/auth/session", phone.as())).status).toBe(200);
    const res = await t.request(
      "POST",
      "/v1/auth/password",
      laptop.as({ body: { currentPassword: OWNER_PASSWORD, newPassword: "a brand new password" } }),
    );
    expect(res.status).toBe(204);
    expect((await t.request("GET", "/v1/auth/session", phone.as())).status).toBe(401);
    expect((await t.request("GET", "/v1/auth/session", laptop.as())).status).toBe(200);
    const old = await t.request("POST", "/v1/auth/sessions", {
      body: { email: `${tenant.slug}@example.com`, password: OWNER_PASSWORD },
    });
    expect(old.status).toBe(401);
    await signIn(t, `${tenant.slug}@example.com`, "a brand new password");
  });
});

describe("CSRF", () => {
  it("refuses a cookie-authenticated change from another origin, or with no Origin, and changes nothing", async () => {
    const tenant = await t.createTenant();
    const owner = await signInOwner(t, tenant);
    const body = { name: "Mallory's pick" };
    for (const headers of [{ origin: "https://evil.example" }, { origin: "null" }]) {
      const res = await t.request("POST", "/v1/admin/staff", owner.as({ body, headers }));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
      expect(res.body.error.message).toMatch(/origin/i);
    }
    const noOrigin = await t.request("POST", "/v1/admin/staff", {
      body,
      headers: { cookie: `bookra_session=${owner.token}` },
    });
    expect(noOrigin.status).toBe(403);
    const change = await t.request(
      "POST",
      "/v1/auth/password",
      owner.as({
        body: { currentPassword: OWNER_PASSWORD, newPassword: "x".repeat(12) },
        headers: { origin: "https://evil.example" },
      }),
    );
    expect(change.status).toBe(403);
    expect(await staffCount(tenant.id)).toBe(0);
    // The same origin passes; a Bearer API key needs no Origin at all.
    expect((await t.request("POST", "/v1/admin/staff", owner.as({ body }))).status).toBe(201);
    expect((await t.request("POST", "/v1/admin/staff", { key: tenant.apiKey, body })).status).toBe(201);
    expect(await staffCount(tenant.id)).toBe(2);
    // Reads need no Origin.
    const read = await t.request("GET", "/v1/admin/staff", { headers: { cookie: `bookra_session=${owner.token}` } });
    expect(read.status).toBe(200);
  });

  it("refuses a sign-in posted from another site (login CSRF)", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("POST", "/v1/auth/sessions", {
      body: { email: `${tenant.slug}@example.com`, password: OWNER_PASSWORD },
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
    const same = await t.request("POST", "/v1/auth/sessions", {
      body: { email: `${tenant.slug}@example.com`, password: OWNER_PASSWORD },
      headers: { origin: TEST_ORIGIN },
    });
    expect(same.status).toBe(201);
  });
});

describe("brute force", () => {
  /** Counts like a Workers rate-limit binding within one window. */
  function windowLimiter(limits: Partial<Record<RateLimitBucket, number>>): RateLimiter {
    const used = new Map<string, number>();
    return {
      allow: async (bucket, key) => {
        const n = (used.get(`${bucket}/${key}`) ?? 0) + 1;
        used.set(`${bucket}/${key}`, n);
        return n <= (limits[bucket] ?? Number.POSITIVE_INFINITY);
      },
    };
  }

  it("limits sign-in per e-mail address (from any address) and per caller address: 429 with Retry-After", async () => {
    const tenant = await t.createTenant();
    const app = createApp({
      database: () => ({ db: t.database.db, release: async () => {} }),
      now: () => t.clock.now,
      config: { manageTokenSecret: "test-manage-token-secret-0123456789abcdef", publicBaseUrl: "http://bookra.test" },
      rateLimiter: windowLimiter({ "auth-email": 5, "auth-address": 20 }),
    });
    const attempt = (email: string, address: string, password = "guess") =>
      app.request("/v1/auth/sessions", {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": address },
        body: JSON.stringify({ email, password }),
      });
    const email = `${tenant.slug}@example.com`;
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt(email, `198.51.100.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const blocked = await attempt(email, "198.51.100.99", OWNER_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBe("60");
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
    expect(blocked.headers.get("set-cookie")).toBeNull(); // even the right password waits out the window
    // One address spraying many accounts: 20, then 429.
    const spray = [];
    for (let i = 0; i < 21; i++) spray.push((await attempt(`user${i}@example.com`, "203.0.113.7")).status);
    expect(spray.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(spray[20]).toBe(429);
  });
});

describe("password reset", () => {
  it("e-mails a one-time link through the outbox; the link works once, revokes every session, then is refused", async () => {
    const tenant = await t.createTenant();
    const email = `${tenant.slug}@example.com`;
    const owner = await signInOwner(t, tenant);
    expect((await t.request("POST", "/v1/auth/password-resets", { body: { email } })).status).toBe(202);
    const { token, tokenId } = await lastResetToken(email);
    const [event] = await fx.events(tokenId);
    expect(event).toMatchObject({ type: "auth.password_reset", payload: { tokenId } });
    expect(JSON.stringify(event!.payload)).not.toContain(token); // no secret in the outbox
    await fx.run(authEmailHandler, event!);
    const [mail] = await fx.recorded(tenant.id, "email");
    expect(mail).toMatchObject({ recipient: email });
    expect(mail!.body).toContain(`/app/reset-password#token=${token}`);

    const reset = await t.request("POST", `/v1/auth/password-resets/${token}`, {
      body: { password: "reset to this one" },
    });
    expect(reset.status).toBe(204);
    expect((await t.request("GET", "/v1/auth/session", owner.as())).status).toBe(401);
    const reused = await t.request("POST", `/v1/auth/password-resets/${token}`, {
      body: { password: "and again this" },
    });
    expect(reused.status).toBe(404);
    await signIn(t, email, "reset to this one");
  });

  it("refuses a link after 30 minutes and answers an unknown address the same 202 without writing anything", async () => {
    const tenant = await t.createTenant();
    const email = `${tenant.slug}@example.com`;
    await t.request("POST", "/v1/auth/password-resets", { body: { email } });
    const { token } = await lastResetToken(email);
    t.clock.now = minutes(30);
    const late = await t.request("POST", `/v1/auth/password-resets/${token}`, {
      body: { password: "too late for this" },
    });
    expect(late.status).toBe(404);
    await signIn(t, email, OWNER_PASSWORD);

    const unknown = await t.request("POST", "/v1/auth/password-resets", { body: { email: `x-${email}` } });
    expect(unknown.status).toBe(202);
    const rows = await t.database.admin("SELECT 1 FROM auth_tokens WHERE email = $1", [`x-${email}`]);
    expect(rows).toHaveLength(0);
    const garbage = await t.request("POST", `/v1/auth/password-resets/${"0".repeat(64)}`, {
      body: { password: "whatever it is now" },
    });
    expect(garbage.status).toBe(404);
  });
});

describe("invitations", () => {
  it("e-mails the invitation through the outbox; the link makes a staff user of that staff record, once", async () => {
    const tenant = await t.createTenant();
    const staff = await t.request("POST", "/v1/admin/staff", { key: tenant.apiKey, body: { name: "Ana" } });
    const email = `ana-${tenant.slug}@example.com`;
    const invited = await t.request("POST", "/v1/admin/invitations", {
      key: tenant.apiKey,
      body: { email, role: "staff", staffId: staff.body.id },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email, role: "staff", staffId: staff.body.id, status: "pending" });
    const [event] = await fx.events(invited.body.id);
    expect(event!.type).toBe("auth.invitation");
    await fx.run(authEmailHandler, event!);
    const [mail] = await fx.recorded(tenant.id, "email");
    const token = /accept-invitation#token=([0-9a-f]{64})/.exec(mail!.body)?.[1];
    expect(token).toBe(linkToken(invited.body.id));

    const accept = (password: string) =>
      t.request("POST", `/v1/auth/invitations/${token}`, { body: { name: "Ana Staff", password } });
    const short = await accept("short");
    expect(short.status).toBe(400);
    const joined = await accept("ana's own long password");
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ role: "staff", staffId: staff.body.id, user: { email, name: "Ana Staff" } });
    expect(sessionCookieSet(joined.headers)).toMatch(/^bs_/);
    expect((await accept("ana's own long password")).status).toBe(404);
    const list = await t.request("GET", "/v1/admin/invitations", { key: tenant.apiKey });
    expect(list.body.data[0]).toMatchObject({ id: invited.body.id, status: "accepted" });
    // The same staff record cannot get a second sign-in.
    const again = await t.request("POST", "/v1/admin/invitations", {
      key: tenant.apiKey,
      body: { email: `other-${email}`, role: "staff", staffId: staff.body.id },
    });
    expect(again.status).toBe(409);
  });

  it("lets an existing user join a second business with their password, and sign in to either", async () => {
    const first = await t.createTenant();
    const second = await t.createTenant();
    const email = `${first.slug}@example.com`;
    const invited = await t.request("POST", "/v1/admin/invitations", {
      key: second.apiKey,
      body: { email, role: "manager" },
    });
    const token = linkToken(invited.body.id);
    const wrong = await t.request("POST", `/v1/auth/invitations/${token}`, {
      body: { name: "Owner", password: "not my password" },
    });
    expect(wrong.status).toBe(401);
    const joined = await t.request("POST", `/v1/auth/invitations/${token}`, {
      body: { name: "Owner", password: OWNER_PASSWORD },
    });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ role: "manager", tenant: { id: second.id } });
    expect((await signIn(t, email, OWNER_PASSWORD)).session.tenant.id).toBe(first.id);
    const chosen = await t.request("POST", "/v1/auth/sessions", {
      body: { email, password: OWNER_PASSWORD, tenant: second.slug },
    });
    expect(chosen.body).toMatchObject({ role: "manager", tenant: { id: second.id } });
  });

  it("refuses an invitation link after 30 minutes", async () => {
    const tenant = await t.createTenant();
    const invited = await t.request("POST", "/v1/admin/invitations", {
      key: tenant.apiKey,
      body: { email: `late-${tenant.slug}@example.com`, role: "manager" },
    });
    t.clock.now = minutes(30);
    const late = await t.request("POST", `/v1/auth/invitations/${linkToken(invited.body.id)}`, {
      body: { name: "Late", password: "a long enough password" },
    });
    expect(late.status).toBe(404);
    const list = await t.request("GET", "/v1/admin/invitations", { key: tenant.apiKey });
    expect(list.body.data[0].status).toBe("expired");
  });
});

describe("retention", () => {
  it("deletes sessions 30 days after they ended and tokens 30 days after they expired, and keeps the rest", async () => {
    const tenant = await t.createTenant();
    const ended = await signInOwner(t, tenant);
    const live = await signInOwner(t, tenant);
    await t.request("POST", "/v1/auth/password-resets", { body: { email: `${tenant.slug}@example.com` } });
    const { tokenId } = await lastResetToken(`${tenant.slug}@example.com`);
    await t.database.admin(
      `UPDATE sessions SET revoked_at = now() - interval '31 days', expires_at = now() + interval '1 day'
       WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [ended.token],
    );
    await t.database.admin(
      "UPDATE sessions SET expires_at = now() + interval '1 day' WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')",
      [live.token],
    );
    await t.database.admin("UPDATE auth_tokens SET expires_at = now() - interval '31 days' WHERE id = $1", [tokenId]);
    const result = await sweepRetention(t.database.db);
    expect(result.sessions).toBeGreaterThanOrEqual(1);
    expect(result.authTokens).toBeGreaterThanOrEqual(1);
    const left = await t.database.admin("SELECT 1 FROM sessions WHERE tenant_id = $1", [tenant.id]);
    expect(left).toHaveLength(1);
    expect(await t.database.admin("SELECT 1 FROM auth_tokens WHERE id = $1", [tokenId])).toHaveLength(0);
  });
});
