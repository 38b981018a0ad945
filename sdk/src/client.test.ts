// The clients' shape with a scripted fetch: secret-key refusal, URLs and auth, pages, and coverage of the whole contract.
import { describe, expect, it } from "vitest";
import { fakeFetch, json } from "../test/fake-fetch.ts";
import { createBookraAdmin, signup } from "./admin-client.ts";
import { createBookra } from "./client.ts";
import { createBookraDashboard } from "./dashboard-client.ts";
import contract from "./generated/openapi.json" with { type: "json" };

const SK = `sk_${"0123456789".repeat(4)}`;
const baseUrl = "https://api.test";

describe("createBookra (public)", () => {
  it.each([
    ["as the tenant", { tenant: SK }],
    ["as an extra apiKey option", { tenant: "demo-salon", apiKey: SK }],
    ["inside a nested option", { tenant: "demo-salon", headers: { authorization: `Bearer ${SK}` } }],
  ])("refuses a secret key passed %s", (_n, extra) => {
    expect(() => createBookra({ baseUrl, ...(extra as { tenant: string }) })).toThrow(/secret API key/);
  });

  it("refuses a secret key in place of a manage token, before sending anything", async () => {
    const f = fakeFetch();
    const bookra = createBookra({ baseUrl, tenant: "demo-salon", fetch: f.fetch });
    expect(() => bookra.bookings.cancel("bkg_1", { manageToken: SK })).toThrow(/not a manage token/);
    expect(f.calls).toHaveLength(0);
  });

  it("builds paths, query strings and auth from the operation", async () => {
    const f = fakeFetch(json(200, { slots: [] }), json(200, { id: "bkg/1" }), json(200, {}));
    const bookra = createBookra({ baseUrl: `${baseUrl}/`, tenant: "demo-salon", fetch: f.fetch });
    await bookra.availability.list({ serviceId: "svc_1", from: "2027-03-01", to: "2027-03-02", staffId: undefined });
    await bookra.bookings.get("bkg/1", { manageToken: "mt_1" });
    await bookra.catalog.get();
    const [slots, booking, catalog] = f.calls;
    expect(slots!.url.href).toBe(
      `${baseUrl}/v1/public/demo-salon/availability?serviceId=svc_1&from=2027-03-01&to=2027-03-02`,
    );
    expect(slots!.headers.has("authorization")).toBe(false);
    expect(booking!.url.pathname).toBe("/v1/public/demo-salon/bookings/bkg%2F1");
    expect(booking!.headers.get("authorization")).toBe("Bearer mt_1");
    expect(catalog!.headers.get("content-type")).toBeNull();
    // Only headers the public CORS policy allows, so browsers can call the API from any origin.
    const allowed = new Set(["accept", "content-type", "authorization", "idempotency-key"]);
    for (const c of f.calls) for (const [name] of c.headers) expect(allowed.has(name)).toBe(true);
  });
});

describe("availability pages", () => {
  it("list follows nextCursor until the range is complete, with the same query and signal", async () => {
    const slot = (start: string) => ({ start, end: start, staffIds: ["stf_1"] });
    const f = fakeFetch(
      json(200, { timezone: "UTC", serviceId: "svc_1", slots: [slot("A")], nextCursor: "2027-03-02T09:00:00Z" }),
      json(200, { timezone: "UTC", serviceId: "svc_1", slots: [slot("B")], nextCursor: "2027-03-03T09:00:00Z" }),
      json(200, { timezone: "UTC", serviceId: "svc_1", slots: [slot("C")], nextCursor: null }),
    );
    const bookra = createBookra({ baseUrl, tenant: "demo-salon", fetch: f.fetch });
    const query = { serviceId: "svc_1", from: "2027-03-01", to: "2027-03-31" };
    const all = await bookra.availability.list(query);
    expect(all.slots.map((s) => s.start)).toEqual(["A", "B", "C"]);
    expect(all.nextCursor).toBeNull();
    expect(f.calls.map((c) => c.url.searchParams.get("cursor"))).toEqual([
      null,
      "2027-03-02T09:00:00Z",
      "2027-03-03T09:00:00Z",
    ]);
    for (const c of f.calls) expect(c.url.searchParams.get("to")).toBe("2027-03-31");
  });

  it("page gives one response with its cursor", async () => {
    const f = fakeFetch(json(200, { timezone: "UTC", serviceId: "s", slots: [], nextCursor: "2027-03-02T09:00:00Z" }));
    const bookra = createBookra({ baseUrl, tenant: "demo-salon", fetch: f.fetch });
    const res = await bookra.availability.page({ serviceId: "s", from: "2027-03-01", to: "2027-03-31" });
    expect(res.nextCursor).toBe("2027-03-02T09:00:00Z");
    expect(f.calls).toHaveLength(1);
  });
});

describe("createBookraAdmin", () => {
  it("needs a secret key", () => {
    expect(() => createBookraAdmin({ baseUrl, apiKey: "mt_nope" })).toThrow(/secret API key/);
  });

  it("sends the key on every call and walks every page with for await", async () => {
    const page = (ids: string[], nextCursor: string | null) =>
      json(200, { data: ids.map((id) => ({ id })), nextCursor });
    const f = fakeFetch(
      page(["b1", "b2"], "c1"),
      page(["b3", "b4"], "c2"),
      page(["b5"], null),
      page(["b1", "b2"], "c1"),
    );
    const admin = createBookraAdmin({ baseUrl, apiKey: SK, fetch: f.fetch });
    const seen: string[] = [];
    for await (const b of admin.bookings.list({ from: "2027-03-01T00:00:00Z", limit: 2 })) seen.push(b.id);
    expect(seen).toEqual(["b1", "b2", "b3", "b4", "b5"]);
    expect(f.calls.map((c) => c.url.searchParams.get("cursor"))).toEqual([null, "c1", "c2"]);
    expect(
      f.calls.every(
        (c) => c.url.searchParams.get("limit") === "2" && c.headers.get("authorization") === `Bearer ${SK}`,
      ),
    ).toBe(true);
    const first = await admin.bookings.list({ limit: 2 });
    expect(first.data.map((b) => b.id)).toEqual(["b1", "b2"]);
    expect(first.hasMore).toBe(true);
  });

  it("stops after the last page and reports no next page", async () => {
    const f = fakeFetch(json(200, { data: [{ id: "k1" }], nextCursor: null }));
    const admin = createBookraAdmin({ baseUrl, apiKey: SK, fetch: f.fetch });
    const page = await admin.apiKeys.list();
    expect(page.hasMore).toBe(false);
    expect(await page.nextPage()).toBeNull();
    expect(f.calls).toHaveLength(1);
  });
});

describe("coverage of the contract", () => {
  const anyResponse = () => json(200, { data: [], nextCursor: null });

  /** Every SDK method, called once; returns "METHOD /template" for each request, matched against the contract's paths. */
  async function exerciseEverything() {
    const f = fakeFetch(...Array.from({ length: 100 }, anyResponse));
    const bookra = createBookra({ baseUrl, tenant: "t1", fetch: f.fetch });
    const admin = createBookraAdmin({ baseUrl, apiKey: SK, fetch: f.fetch });
    const dashboard = createBookraDashboard({ baseUrl, fetch: f.fetch });
    const mt = { manageToken: "mt_1" };
    const body = {} as never;
    await Promise.all([
      signup(body, { baseUrl, fetch: f.fetch }),
      bookra.catalog.get(),
      bookra.availability.list(body),
      bookra.bookings.create(body),
      bookra.bookings.get("i", mt),
      bookra.bookings.cancel("i", mt),
      bookra.bookings.cancellationQuote("i", mt),
      bookra.bookings.reschedule("i", body, mt),
      admin.tenant.get(),
      admin.tenant.update(body),
      admin.staff.list(),
      admin.staff.create(body),
      admin.staff.get("i"),
      admin.staff.update("i", body),
      admin.staff.delete("i"),
      admin.staff.timeOff.list("i"),
      admin.staff.timeOff.create("i", body),
      admin.staff.timeOff.delete("i", "j"),
      admin.staff.overrides.list("i"),
      admin.staff.overrides.set("i", "2027-03-01", body),
      admin.staff.commissionRules.list("i"),
      admin.staff.commissionRules.set("i", body),
      admin.staff.statement("i"),
      admin.staff.pay("i", body),
      admin.staff.overrides.delete("i", "2027-03-01"),
      admin.services.list(),
      admin.services.create(body),
      admin.services.get("i"),
      admin.services.update("i", body),
      admin.services.delete("i"),
      admin.apiKeys.list(),
      admin.apiKeys.create(body),
      admin.apiKeys.revoke("i"),
      admin.bookings.list(),
      admin.bookings.create(body),
      admin.bookings.get("i"),
      admin.bookings.cancel("i"),
      admin.bookings.reschedule("i", body),
      admin.bookings.complete("i"),
      admin.bookings.completion("i"),
      admin.bookings.noShow("i"),
      admin.bookings.refunds.create("i", body),
      admin.bookings.refunds.list("i"),
      admin.bookings.refunds.retry("i", "j"),
      admin.staff.issueCalendarFeed("i"),
      admin.outbox.list(),
      admin.outbox.retry("i"),
      admin.webhookEndpoints.list(),
      admin.webhookEndpoints.create(body),
      admin.webhookEndpoints.delete("i"),
      admin.channels.get(),
      admin.channels.set(body),
      admin.customers.list(),
      admin.customers.get("i"),
      admin.customers.update("i", body),
      admin.calendar.get(body),
      admin.bookingTimelines.get("i"),
      admin.webhookDeliveries.list("i"),
      admin.webhookDeliveries.sendTest("i"),
      admin.invitations.list(),
      admin.invitations.create(body),
      admin.invitations.revoke("i"),
      admin.ledger.list(),
      admin.ledger.balances(),
      admin.ledger.alerts(),
      admin.payments.get(),
      admin.payments.connect(),
      admin.reports.summary(body),
      admin.reports.revenue(body),
      admin.reports.summaryCsv(body),
      admin.reports.revenueCsv(body),
      admin.payouts.list(),
      admin.payouts.get("i"),
      admin.reconciliation.run(body),
      admin.reconciliation.list(),
      admin.reconciliation.get("i"),
      dashboard.auth.signIn(body),
      dashboard.auth.signOut(),
      dashboard.auth.session(),
      dashboard.auth.changePassword(body),
      dashboard.auth.requestPasswordReset(body),
      dashboard.auth.resetPassword("t", body),
      dashboard.auth.acceptInvitation("t", body),
    ]);
    const templates = Object.keys(contract.paths).map((p) => ({
      p,
      re: new RegExp(`^${p.replace(/\{\w+\}/g, "[^/]+")}$`),
    }));
    return f.calls.map((c) => ({
      op: `${c.method} ${templates.find((t) => t.re.test(c.url.pathname))?.p ?? c.url.pathname}`,
      keyed: c.headers.has("idempotency-key"),
    }));
  }

  const operations = Object.entries(
    contract.paths as Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>,
  ).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      op: `${method.toUpperCase()} ${path}`,
      acceptsKey: (op.parameters ?? []).some((p) => p.in === "header" && p.name === "idempotency-key"),
    })),
  );

  it("every operation of the API has an SDK method (a new route fails here until the SDK covers it)", async () => {
    const called = new Set((await exerciseEverything()).map((c) => c.op));
    expect(operations.map((o) => o.op).filter((op) => !called.has(op))).toEqual([]);
    expect([...called].filter((op) => !operations.some((o) => o.op === op))).toEqual([]);
  });

  it("sends an Idempotency-Key exactly on the operations whose contract accepts one", async () => {
    const keyed = new Set((await exerciseEverything()).filter((c) => c.keyed).map((c) => c.op));
    expect([...keyed].sort()).toEqual(
      operations
        .filter((o) => o.acceptsKey)
        .map((o) => o.op)
        .sort(),
    );
    expect(keyed.size).toBeGreaterThanOrEqual(4);
  });
});
