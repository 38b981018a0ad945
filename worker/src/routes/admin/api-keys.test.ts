import { describe, expect, it } from "vitest";
import { type TestTenant, useTestApp } from "../../../../test/helpers/app.ts";
import { ApiKeyCreated, ApiKeyList } from "../../schemas/api-key.ts";

const t = useTestApp();

/** The tenant's key rows, except last_used_at (every authenticated request may move it). */
const keysOf = (tenantId: string) =>
  t.database.admin(
    "SELECT (to_jsonb(k) - 'last_used_at')::text AS row FROM api_keys k WHERE tenant_id = $1 ORDER BY 1",
    [tenantId],
  );

async function issue(tenant: TestTenant, name = "Zapier"): Promise<{ id: string; key: string }> {
  const res = await t.request("POST", "/v1/admin/api-keys", { key: tenant.apiKey, body: { name } });
  expect(res.status).toBe(201);
  return res.body;
}

describe("api keys: happy paths", () => {
  it("lists keys without their secret or hash", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("GET", "/v1/admin/api-keys", { key: tenant.apiKey });
    expect(res.status).toBe(200);
    const list = ApiKeyList.parse(res.body);
    expect(list.nextCursor).toBeNull();
    expect(list.data).toEqual([
      {
        id: expect.stringMatching(/^key_/),
        name: "Default key",
        prefix: tenant.apiKey.slice(0, 10),
        createdAt: expect.any(String),
        lastUsedAt: null,
        revokedAt: null,
      },
    ]);
    const [stored] = await t.database.admin("SELECT key_hash FROM api_keys WHERE tenant_id = $1", [tenant.id]);
    expect(JSON.stringify(res.body)).not.toContain(tenant.apiKey.slice(10));
    expect(JSON.stringify(res.body)).not.toContain(stored!.key_hash);
  });

  it("issues a working key shown once and stored only hashed", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("POST", "/v1/admin/api-keys", { key: tenant.apiKey, body: { name: "  Zapier  " } });
    expect(res.status).toBe(201);
    const created = ApiKeyCreated.strict().parse(res.body);
    expect(created).toMatchObject({ name: "Zapier", prefix: created.key.slice(0, 10) });
    expect(created.key).toMatch(/^sk_[0-9a-z]{40}$/);
    expect((await t.request("GET", "/v1/admin/tenant", { key: created.key })).body.id).toBe(tenant.id);
    const rows = await t.database.admin("SELECT key_hash FROM api_keys WHERE id = $1", [created.id]);
    expect(rows[0]!.key_hash).not.toContain(created.key.slice(3));
    const list = await t.request("GET", "/v1/admin/api-keys", { key: created.key });
    expect(list.body.data.map((k: { id: string }) => k.id)).toContain(created.id);
    expect(JSON.stringify(list.body)).not.toContain(created.key);
  });

  it("revokes a key: 204, then that key is 401 everywhere and the list shows when", async () => {
    const tenant = await t.createTenant();
    const extra = await issue(tenant);
    const res = await t.request("DELETE", `/v1/admin/api-keys/${extra.id}`, { key: tenant.apiKey });
    expect(res.status).toBe(204);
    for (const path of ["/v1/admin/tenant", "/v1/admin/api-keys", "/v1/admin/staff", "/v1/admin/services"]) {
      const denied = await t.request("GET", path, { key: extra.key });
      expect(denied.status, path).toBe(401);
      expect(denied.body.error.code).toBe("UNAUTHENTICATED");
    }
    const list = ApiKeyList.parse((await t.request("GET", "/v1/admin/api-keys", { key: tenant.apiKey })).body);
    expect(list.data.find((k) => k.id === extra.id)?.revokedAt).toEqual(expect.any(String));
    const again = await t.request("DELETE", `/v1/admin/api-keys/${extra.id}`, { key: tenant.apiKey });
    expect(again.status).toBe(204); // idempotent
  });

  it("a key may revoke itself while another stays active", async () => {
    const tenant = await t.createTenant();
    const extra = await issue(tenant);
    const [self] = await t.database.admin("SELECT id FROM api_keys WHERE tenant_id = $1 AND id <> $2", [
      tenant.id,
      extra.id,
    ]);
    expect((await t.request("DELETE", `/v1/admin/api-keys/${self!.id}`, { key: tenant.apiKey })).status).toBe(204);
    expect((await t.request("GET", "/v1/admin/tenant", { key: tenant.apiKey })).status).toBe(401);
    expect((await t.request("GET", "/v1/admin/tenant", { key: extra.key })).status).toBe(200);
  });

  it("pages through keys", async () => {
    const tenant = await t.createTenant();
    await issue(tenant, "Second");
    await issue(tenant, "Third");
    const first = await t.request("GET", "/v1/admin/api-keys?limit=2", { key: tenant.apiKey });
    const second = await t.request("GET", `/v1/admin/api-keys?limit=2&cursor=${first.body.nextCursor}`, {
      key: tenant.apiKey,
    });
    expect([...first.body.data, ...second.body.data].map((k: { name: string }) => k.name)).toEqual([
      "Default key",
      "Second",
      "Third",
    ]);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe("api keys: errors", () => {
  it("refuses to revoke the last active key (409) and the key keeps working", async () => {
    const tenant = await t.createTenant();
    const revoked = await issue(tenant);
    await t.request("DELETE", `/v1/admin/api-keys/${revoked.id}`, { key: tenant.apiKey });
    const [only] = await t.database.admin("SELECT id FROM api_keys WHERE tenant_id = $1 AND revoked_at IS NULL", [
      tenant.id,
    ]);
    const before = await keysOf(tenant.id);
    const res = await t.request("DELETE", `/v1/admin/api-keys/${only!.id}`, { key: tenant.apiKey });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CONFLICT");
    expect(await keysOf(tenant.id)).toEqual(before);
    expect((await t.request("GET", "/v1/admin/tenant", { key: tenant.apiKey })).status).toBe(200);
  });

  it("two concurrent revocations never leave the tenant without an active key", async () => {
    const race = async () => {
      const tenant = await t.createTenant();
      const second = await issue(tenant);
      const [first] = await t.database.admin("SELECT id FROM api_keys WHERE tenant_id = $1 AND id <> $2", [
        tenant.id,
        second.id,
      ]);
      const results = await Promise.all([
        t.request("DELETE", `/v1/admin/api-keys/${first!.id}`, { key: second.key }),
        t.request("DELETE", `/v1/admin/api-keys/${second.id}`, { key: tenant.apiKey }),
      ]);
      // The loser is refused (409), or 401 when its own key was revoked before it authenticated.
      expect(results.filter((r) => r.status === 204)).toHaveLength(1);
      const active = await t.database.admin(
        "SELECT count(*)::int AS n FROM api_keys WHERE tenant_id = $1 AND revoked_at IS NULL",
        [tenant.id],
      );
      expect(active).toEqual([{ n: 1 }]);
    };
    await Promise.all(Array.from({ length: 8 }, race));
  });

  it.each([
    ["malformed JSON", { raw: "{name" }],
    ["a missing name", { body: {} }],
    ["an empty name", { body: { name: " " } }],
    ["a name that is not a string", { body: { name: ["x"] } }],
    ["an overlong name", { body: { name: "x".repeat(201) } }],
    ["an unknown field", { body: { name: "x", scopes: ["*"] } }],
  ])("rejects %s with 400 and issues nothing", async (_n, opts) => {
    const tenant = await t.createTenant();
    const before = await keysOf(tenant.id);
    const res = await t.request("POST", "/v1/admin/api-keys", { key: tenant.apiKey, ...opts });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(await keysOf(tenant.id)).toEqual(before);
  });

  it("404s an unknown key id", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("DELETE", "/v1/admin/api-keys/key_00000000000000000000", { key: tenant.apiKey });
    expect(res.status).toBe(404);
  });
});

describe("api keys: security", () => {
  it("answers 401 without a valid key", async () => {
    const tenant = await t.createTenant();
    const before = await keysOf(tenant.id);
    for (const key of [undefined, "sk_short", `sk_${"z".repeat(40)}`]) {
      expect((await t.request("GET", "/v1/admin/api-keys", { ...(key && { key }) })).status).toBe(401);
      expect((await t.request("POST", "/v1/admin/api-keys", { ...(key && { key }), body: { name: "x" } })).status).toBe(
        401,
      );
      expect(
        (await t.request("DELETE", "/v1/admin/api-keys/key_00000000000000000000", { ...(key && { key }) })).status,
      ).toBe(401);
    }
    expect(await keysOf(tenant.id)).toEqual(before);
  });

  it("cannot see or revoke another tenant's keys", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const bExtra = await issue(b);
    const beforeA = await keysOf(a.id);
    const beforeB = await keysOf(b.id);
    const res = await t.request("DELETE", `/v1/admin/api-keys/${bExtra.id}`, { key: a.apiKey });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
    const list = await t.request("GET", "/v1/admin/api-keys", { key: a.apiKey });
    expect(list.body.data).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(bExtra.id);
    expect(await keysOf(a.id)).toEqual(beforeA);
    expect(await keysOf(b.id)).toEqual(beforeB);
    expect((await t.request("GET", "/v1/admin/tenant", { key: bExtra.key })).status).toBe(200);
  });
});

describe("api keys: last used", () => {
  const lastUsed = async (id: string) =>
    (await t.database.admin<{ at: Date | null }>("SELECT last_used_at AS at FROM api_keys WHERE id = $1", [id]))[0]!.at;

  it("records a key's use after the response, at most once a minute, and lists it", async () => {
    const saved = t.clock.now;
    try {
      const tenant = await t.createTenant();
      const used = await issue(tenant, "Used");
      const idle = await issue(tenant, "Idle");
      const t0 = new Date("2027-01-04T09:00:00.000Z");
      t.clock.now = t0;
      expect((await t.request("GET", "/v1/admin/tenant", { key: used.key })).status).toBe(200);
      expect((await lastUsed(used.id))?.toISOString()).toBe(t0.toISOString());

      t.clock.now = new Date(t0.getTime() + 59_000);
      const list = await t.request("GET", "/v1/admin/api-keys", { key: used.key });
      const byId = new Map(ApiKeyList.parse(list.body).data.map((k) => [k.id, k.lastUsedAt]));
      expect(byId.get(used.id)).toBe(t0.toISOString());
      expect(byId.get(idle.id)).toBeNull();
      expect((await lastUsed(used.id))?.toISOString()).toBe(t0.toISOString());

      t.clock.now = new Date(t0.getTime() + 61_000);
      expect((await t.request("GET", "/v1/admin/tenant", { key: used.key })).status).toBe(200);
      expect((await lastUsed(used.id))?.toISOString()).toBe(t.clock.now.toISOString());
      expect(await lastUsed(idle.id)).toBeNull();
    } finally {
      t.clock.now = saved;
    }
  });

  it("leaves a use another isolate recorded less than a minute ago as it is (the condition is in the UPDATE)", async () => {
    const saved = t.clock.now;
    try {
      const tenant = await t.createTenant();
      const key = await issue(tenant, "Shared");
      t.clock.now = new Date("2027-01-05T09:00:00.000Z");
      const elsewhere = new Date(t.clock.now.getTime() - 30_000);
      await t.database.admin("UPDATE api_keys SET last_used_at = $2 WHERE id = $1", [key.id, elsewhere]);
      expect((await t.request("GET", "/v1/admin/tenant", { key: key.key })).status).toBe(200);
      expect((await lastUsed(key.id))?.toISOString()).toBe(elsewhere.toISOString());
    } finally {
      t.clock.now = saved;
    }
  });

  it("does not record a revoked or unknown key", async () => {
    const tenant = await t.createTenant();
    const key = await issue(tenant, "Gone");
    expect((await t.request("DELETE", `/v1/admin/api-keys/${key.id}`, { key: tenant.apiKey })).status).toBe(204);
    expect((await t.request("GET", "/v1/admin/tenant", { key: key.key })).status).toBe(401);
    expect(await lastUsed(key.id)).toBeNull();
  });
});
