// The dashboard client: the admin resources over the session cookie — no bearer token, `credentials: "same-origin"`.
import { describe, expect, it } from "vitest";
import { createBookraDashboard } from "./dashboard-client.ts";

function recordingFetch(status = 200, body: unknown = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ url: String(input), init });
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });
  };
  return { fetch: fn as typeof fetch, calls };
}

describe("createBookraDashboard", () => {
  it("sends the session cookie (same-origin credentials) and never an Authorization header", async () => {
    const f = recordingFetch(200, { role: "owner", data: [], nextCursor: null });
    const dashboard = createBookraDashboard({ baseUrl: "https://app.test", fetch: f.fetch });
    await dashboard.auth.signIn({ email: "a@b.example", password: "pw" });
    await dashboard.bookings.list();
    await dashboard.invitations.create({ email: "c@d.example", role: "staff", staffId: "stf_1" });
    expect(f.calls.map((c) => c.url)).toEqual([
      "https://app.test/v1/auth/sessions",
      "https://app.test/v1/admin/bookings",
      "https://app.test/v1/admin/invitations",
    ]);
    for (const { init } of f.calls) {
      expect(init.credentials).toBe("same-origin");
      expect(new Headers(init.headers).has("authorization")).toBe(false);
    }
    expect(new Headers(f.calls[2]!.init.headers).has("idempotency-key")).toBe(true);
  });

  it("rejects with the API's error code when the session has ended", async () => {
    const f = recordingFetch(401, { error: { code: "UNAUTHENTICATED", message: "Sign in again", requestId: "r" } });
    const dashboard = createBookraDashboard({ baseUrl: "https://app.test", fetch: f.fetch });
    await expect(dashboard.auth.session()).rejects.toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
  });
});
