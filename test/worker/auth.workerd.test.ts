// Dashboard sign-in in the real bundle (workerd, local queues, the local e-mail adapter): a reset link goes through
// the outbox into the dev mailbox, the link sets a new password once, and the session cookie reaches the admin API
// with the API's own Origin only. The demo seed's owner and staff accounts sign in.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { seedDemo } from "../../scripts/lib/seed.ts";
import { randomString } from "../../worker/src/lib/ids.ts";
import { eventually, useWorker } from "../helpers/worker.ts";

/** Known to the test, so the demo seed can derive its invitation link as `npm start` does. */
const MANAGE_TOKEN_SECRET = randomBytes(32).toString("hex");
const w = useWorker({ MANAGE_TOKEN_SECRET });
const JSON_HEADERS = { "content-type": "application/json" };

describe("dashboard sign-in in workerd", () => {
  it("e-mails a reset link through the outbox, resets once, signs in and calls the admin API with the cookie", async () => {
    const slug = `auth-${randomString(8)}`;
    const email = `${slug}@example.com`;
    const signup = await w.fetch("/v1/signup", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({
        businessName: "Auth Cuts",
        slug,
        timezone: "UTC",
        currency: "EUR",
        ownerEmail: email,
        ownerPassword: "first long password",
      }),
    });
    expect(signup.status).toBe(201);
    const requested = await w.fetch("/v1/auth/password-resets", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ email }),
    });
    expect(requested.status).toBe(202);
    const [mail] = await eventually(
      () => w.database.admin("SELECT body FROM dev_outbox_messages WHERE recipient = $1", [email]),
      (rows) => rows.length > 0,
    );
    const token = /#token=([0-9a-f]{64})/.exec(mail!.body)?.[1];
    expect(token).toBeDefined();
    const reset = () =>
      w.fetch(`/v1/auth/password-resets/${token}`, {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify({ password: "second long password" }),
      });
    expect((await reset()).status).toBe(204);
    expect((await reset()).status).toBe(404);

    const signIn = await w.fetch("/v1/auth/sessions", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ email, password: "second long password" }),
    });
    expect(signIn.status).toBe(201);
    const setCookie = signIn.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^bookra_session=bs_[0-9a-z]{40};/);
    for (const flag of ["Max-Age=1209600", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"])
      expect(setCookie.split("; ")).toContain(flag);
    const cookie = setCookie.split(";")[0]!;
    const me = await w.fetch("/v1/auth/session", { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { role: string }).role).toBe("owner");
    const create = (origin: string) =>
      w.fetch("/v1/admin/staff", {
        method: "POST",
        headers: { ...JSON_HEADERS, cookie, origin },
        body: JSON.stringify({ name: "Ana" }),
      });
    expect((await create("https://evil.example")).status).toBe(403);
    expect((await create(w.baseUrl)).status).toBe(201);
  });
});

describe("the demo seed", () => {
  it("creates an owner and a staff user (Ana) who sign in with the generated passwords", async () => {
    const slug = `demo-${randomString(8)}`;
    const demo = await seedDemo(w.baseUrl, slug, {
      staff: { password: "ana's generated password", tokenSecret: MANAGE_TOKEN_SECRET },
    });
    expect(demo.owner.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const signIn = async (account: { email: string; password: string }) => {
      const res = await w.fetch("/v1/auth/sessions", {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify(account),
      });
      expect(res.status).toBe(201);
      return {
        cookie: (res.headers.get("set-cookie") ?? "").split(";")[0]!,
        session: (await res.json()) as { role: string; staffId: string | null },
      };
    };
    expect((await signIn(demo.owner)).session.role).toBe("owner");
    const ana = await signIn(demo.staff!);
    expect(ana.session).toMatchObject({ role: "staff", staffId: expect.stringMatching(/^stf_/) });
    expect((await w.fetch("/v1/admin/bookings", { headers: { cookie: ana.cookie } })).status).toBe(200);
    expect((await w.fetch("/v1/admin/tenant", { headers: { cookie: ana.cookie } })).status).toBe(403);
  });
});
