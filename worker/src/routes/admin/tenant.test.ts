import { describe, expect, it } from "vitest";
import { useTestApp } from "../../../../test/helpers/app.ts";
import { RESERVED_SLUGS } from "../../domain/slugs.ts";
import { Tenant } from "../../schemas/tenant.ts";

const t = useTestApp();

describe("signup", () => {
  it("creates a tenant and a working key that is stored only hashed", async () => {
    const res = await t.request("POST", "/v1/signup", {
      body: {
        businessName: "Hair by Ana",
        slug: "hair-by-ana",
        timezone: "Europe/Lisbon",
        currency: "EUR",
        ownerEmail: "Ana@Example.com",
        ownerPassword: "a long enough password",
      },
    });
    expect(res.status).toBe(201);
    expect(Tenant.parse(res.body.tenant).slug).toBe("hair-by-ana");
    expect(res.body.apiKey).toMatch(/^sk_[0-9a-z]{40}$/);
    const stored = await t.database.admin("SELECT key_hash FROM api_keys WHERE tenant_id = $1", [res.body.tenant.id]);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.key_hash).not.toContain(res.body.apiKey);
    const users = await t.database.admin("SELECT email, password_hash FROM users WHERE email = 'ana@example.com'");
    expect(users[0]!.password_hash).toMatch(/^pbkdf2-sha256\$/);
    const me = await t.request("GET", "/v1/admin/tenant", { key: res.body.apiKey });
    expect(me.status).toBe(200);
    expect(me.body.timezone).toBe("Europe/Lisbon");
  });

  it("refuses a taken slug with 409 CONFLICT and creates nothing", async () => {
    const first = await t.createTenant();
    const before = await t.database.admin("SELECT count(*)::int AS n FROM tenants");
    const res = await t.request("POST", "/v1/signup", {
      body: {
        businessName: "Copy",
        slug: first.slug,
        timezone: "Europe/London",
        currency: "GBP",
        ownerEmail: "copy@example.com",
        ownerPassword: "another long password",
      },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CONFLICT");
    expect(await t.database.admin("SELECT count(*)::int AS n FROM tenants")).toEqual(before);
    expect(await t.database.admin("SELECT 1 FROM users WHERE email = 'copy@example.com'")).toHaveLength(0);
  });

  it("refuses every reserved slug and any punycode label with 400 VALIDATION_FAILED, and creates nothing", async () => {
    const reserved = [...RESERVED_SLUGS, "xn--80ak6aa92e", "xn--bookra-9ya"];
    const before = await t.database.admin("SELECT count(*)::int AS n FROM tenants");
    for (const slug of reserved) {
      const res = await t.request("POST", "/v1/signup", {
        body: {
          businessName: "Squatter",
          slug,
          timezone: "Europe/London",
          currency: "EUR",
          ownerEmail: `squat-${slug}@example.com`,
          ownerPassword: "a long enough password",
        },
      });
      expect([slug, res.status, res.body.error?.code, res.body.error?.issues?.[0]?.path]).toEqual([
        slug,
        400,
        "VALIDATION_FAILED",
        ["slug"],
      ]);
    }
    expect(await t.database.admin("SELECT count(*)::int AS n FROM tenants")).toEqual(before);
    // Only the exact names are taken: a business may still call itself "admin-salon" or "books".
    for (const slug of ["admin-salon", "books", "dev-x", "xn-ok"])
      expect((await t.createTenant({ slug })).slug).toBe(slug);
  });

  it.each([
    ["malformed JSON", { raw: "{nope" }],
    [
      "unknown time zone",
      {
        body: {
          businessName: "X",
          slug: "xx-1",
          timezone: "Mars/Olympus",
          currency: "EUR",
          ownerEmail: "x@example.com",
          ownerPassword: "long password 1",
        },
      },
    ],
    [
      "unknown currency",
      {
        body: {
          businessName: "X",
          slug: "xx-2",
          timezone: "UTC",
          currency: "XYZ",
          ownerEmail: "x@example.com",
          ownerPassword: "long password 1",
        },
      },
    ],
    [
      "bad slug",
      {
        body: {
          businessName: "X",
          slug: "Not A Slug",
          timezone: "UTC",
          currency: "EUR",
          ownerEmail: "x@example.com",
          ownerPassword: "long password 1",
        },
      },
    ],
    [
      "short password",
      {
        body: {
          businessName: "X",
          slug: "xx-3",
          timezone: "UTC",
          currency: "EUR",
          ownerEmail: "x@example.com",
          ownerPassword: "short",
        },
      },
    ],
    [
      "wrong types",
      { body: { businessName: 5, slug: [], timezone: null, currency: 1, ownerEmail: {}, ownerPassword: true } },
    ],
    ["array body", { body: [] }],
    [
      "unknown field",
      {
        body: {
          businessName: "X",
          slug: "xx-4",
          timezone: "UTC",
          currency: "EUR",
          ownerEmail: "x@example.com",
          ownerPassword: "long password 1",
          admin: true,
        },
      },
    ],
  ])("rejects %s with 400 VALIDATION_FAILED", async (_name, opts) => {
    const before = await t.database.admin("SELECT count(*)::int AS n FROM tenants");
    const res = await t.request("POST", "/v1/signup", opts);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.requestId).toMatch(/^req_/);
    expect(await t.database.admin("SELECT count(*)::int AS n FROM tenants")).toEqual(before);
  });

  it("rejects a non-JSON content type with 400", async () => {
    const res = await t.request("POST", "/v1/signup", {
      raw: "slug=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(400);
  });
});

describe("admin tenant", () => {
  it("updates settings and merges policies", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("PATCH", "/v1/admin/tenant", {
      key: tenant.apiKey,
      body: {
        name: "Renamed",
        timezone: "America/New_York",
        branding: { primaryColor: "#112233", radius: 8 },
        policies: { holdMinutes: 20 },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "Renamed",
      timezone: "America/New_York",
      branding: { primaryColor: "#112233", radius: 8 },
    });
    expect(res.body.policies).toEqual({ holdMinutes: 20 });
  });

  it("refuses the platform fee (the platform's, not the business's) with 400 naming it, and changes nothing", async () => {
    const tenant = await t.createTenant();
    const before = await t.request("GET", "/v1/admin/tenant", { key: tenant.apiKey });
    const res = await t.request("PATCH", "/v1/admin/tenant", {
      key: tenant.apiKey,
      body: { name: "Renamed", policies: { holdMinutes: 30, platformFeeBps: 0 } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(JSON.stringify(res.body.error)).toContain("platformFeeBps");
    expect(await t.request("GET", "/v1/admin/tenant", { key: tenant.apiKey })).toMatchObject({ body: before.body });
  });

  it("no longer answers a platform fee a business stored before it was the platform's, nor writes it back", async () => {
    const tenant = await t.createTenant();
    await t.database.admin(`UPDATE tenants SET policies = policies || '{"platformFeeBps": 0}' WHERE id = $1`, [
      tenant.id,
    ]);
    const read = await t.request("GET", "/v1/admin/tenant", { key: tenant.apiKey });
    expect(read.body.policies).toEqual({ holdMinutes: 15 });
    const res = await t.request("PATCH", "/v1/admin/tenant", {
      key: tenant.apiKey,
      body: { policies: { holdMinutes: 25 } },
    });
    expect(res.body.policies).toEqual({ holdMinutes: 25 });
    const [row] = await t.database.admin("SELECT policies FROM tenants WHERE id = $1", [tenant.id]);
    expect(row!.policies).toEqual({ holdMinutes: 25 });
  });

  it.each([
    ["timezone", { timezone: "Europe/Atlantis" }],
    ["colour", { branding: { primaryColor: "red" } }],
    ["hold minutes", { policies: { holdMinutes: 0 } }],
    ["unknown key", { owner: "me" }],
    ["name type", { name: 42 }],
  ])("rejects a bad %s with 400 and changes nothing", async (_n, body) => {
    const tenant = await t.createTenant();
    const before = await t.request("GET", "/v1/admin/tenant", { key: tenant.apiKey });
    const res = await t.request("PATCH", "/v1/admin/tenant", { key: tenant.apiKey, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect((await t.request("GET", "/v1/admin/tenant", { key: tenant.apiKey })).body).toEqual(before.body);
  });

  it.each([
    ["no key", undefined],
    ["a malformed key", "not-a-key"],
    ["an unknown key", `sk_${"a".repeat(40)}`],
  ])("answers 401 with %s", async (_n, key) => {
    const res = await t.request("GET", "/v1/admin/tenant", key === undefined ? {} : { key });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHENTICATED");
    const patch = await t.request("PATCH", "/v1/admin/tenant", { ...(key ? { key } : {}), body: { name: "Hijack" } });
    expect(patch.status).toBe(401);
  });

  it("a key only ever sees its own tenant", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    await t.request("PATCH", "/v1/admin/tenant", { key: a.apiKey, body: { name: "Only A" } });
    const seenByB = await t.request("GET", "/v1/admin/tenant", { key: b.apiKey });
    expect(seenByB.body.id).toBe(b.id);
    expect(seenByB.body.name).not.toBe("Only A");
  });
});

describe("public catalog", () => {
  it("404s an unknown or malformed slug", async () => {
    expect((await t.request("GET", "/v1/public/%00/catalog")).status).toBe(400); // NUL never reaches the database
    for (const slug of ["no-such-business", "UPPER", "a", "%2e%2e"]) {
      const res = await t.request("GET", `/v1/public/${slug}/catalog`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
  });

  it("serves the tenant's public fields with open CORS", async () => {
    const tenant = await t.createTenant({ timezone: "Asia/Kolkata", currency: "INR" });
    const res = await t.request("GET", `/v1/public/${tenant.slug}/catalog`, {
      headers: { origin: "https://example.org" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.body.tenant).toEqual({
      slug: tenant.slug,
      name: `Business ${tenant.slug}`,
      timezone: "Asia/Kolkata",
      currency: "INR",
      branding: {},
    });
    expect(JSON.stringify(res.body)).not.toContain("@example.com");
  });
});

describe("platform routes", () => {
  it("publishes OpenAPI 3.1 and the docs page", async () => {
    const spec = await t.request("GET", "/openapi.json");
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe("3.1.0");
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(["/v1/signup", "/v1/admin/tenant", "/v1/public/{tenant}/catalog"]),
    );
    const docs = await t.app.request("/docs");
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("/openapi.json");
  });

  it("answers unknown routes with the error model and echoes a request id", async () => {
    const res = await t.request("GET", "/v1/nothing-here", { headers: { "x-request-id": "client-trace-123" } });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "NOT_FOUND", requestId: "client-trace-123" });
    expect(res.headers.get("x-request-id")).toBe("client-trace-123");
  });
});
