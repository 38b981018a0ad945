import pg from "pg";
import { describe, expect, it } from "vitest";
import { type TestTenant, useTestApp } from "../../../../test/helpers/app.ts";
import { createSalon, customer } from "../../../../test/helpers/salon.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";

const t = useTestApp();

interface Call {
  path: string;
  body?: object;
}

/** One admin POST under test, prepared in a fresh tenant. */
interface Target extends Call {
  /** Same key, another request: must be a 422 that changes nothing. */
  other: Call;
  /** A request that fails (and must not poison the key), then what makes it succeed with the same key. */
  failing: Call & { status: number; fixed: Call };
  /** Whatever the request changes, for "nothing changed" and "exactly once" assertions. */
  state(): Promise<unknown[]>;
}

interface Case {
  name: string;
  /** Creates a row (state grows by one), rather than changing one. */
  creates: boolean;
  /** The response holds a secret: a replay is refused with a 409 naming the object. */
  secret: boolean;
  idOf(body: any): string;
  setup(tenant: TestTenant): Promise<Target>;
}

const rows = (table: string, column: string, tenant: TestTenant) => async () =>
  (await t.database.admin(`SELECT ${column} AS v FROM ${table} WHERE tenant_id = $1 ORDER BY 1`, [tenant.id])).map(
    (r) => r.v,
  );

async function post(tenant: TestTenant, call: Call, key?: string) {
  return t.request("POST", call.path, {
    key: tenant.apiKey,
    ...(call.body === undefined ? {} : { body: call.body }),
    headers: key ? { "idempotency-key": key } : {},
  });
}

async function newStaff(tenant: TestTenant, name = "Ana"): Promise<string> {
  const res = await post(tenant, { path: "/v1/admin/staff", body: { name } });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function newEvent(tenant: TestTenant, status: string): Promise<string> {
  const id = newId("evt");
  await t.database.admin(
    `INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload, status, attempts)
     VALUES ($1, $2, 'booking.created', 'bkg_x', '{}'::jsonb, $3, 5)`,
    [id, tenant.id, status],
  );
  return id;
}

const SERVICE = { name: "Cut", durationMinutes: 45, price: { amount: 4500, currency: "EUR" } };
const OFF = { start: "2027-08-01T00:00:00Z", end: "2027-08-15T00:00:00Z", reason: "Holiday" };

const CASES: Case[] = [
  {
    name: "POST /v1/admin/staff",
    creates: true,
    secret: false,
    idOf: (b) => b.id,
    setup: async (tenant) => ({
      path: "/v1/admin/staff",
      body: { name: "Ana", commissionBps: 1500 },
      other: { path: "/v1/admin/staff", body: { name: "Bo" } },
      failing: {
        path: "/v1/admin/staff",
        body: { name: "" },
        status: 400,
        fixed: { path: "/v1/admin/staff", body: { name: "Ana" } },
      },
      state: rows("staff", "id", tenant),
    }),
  },
  {
    name: "POST /v1/admin/staff/{id}/time-off",
    creates: true,
    secret: false,
    idOf: (b) => b.id,
    setup: async (tenant) => {
      const path = `/v1/admin/staff/${await newStaff(tenant)}/time-off`;
      return {
        path,
        body: OFF,
        other: { path, body: { ...OFF, reason: "Training" } },
        failing: { path, body: { ...OFF, end: OFF.start }, status: 400, fixed: { path, body: OFF } },
        state: rows("time_off", "id", tenant),
      };
    },
  },
  {
    name: "POST /v1/admin/services",
    creates: true,
    secret: false,
    idOf: (b) => b.id,
    setup: async (tenant) => ({
      path: "/v1/admin/services",
      body: SERVICE,
      other: { path: "/v1/admin/services", body: { ...SERVICE, durationMinutes: 30 } },
      failing: {
        path: "/v1/admin/services",
        body: { ...SERVICE, price: { amount: 1, currency: "XXQ" } },
        status: 400,
        fixed: { path: "/v1/admin/services", body: SERVICE },
      },
      state: rows("services", "id", tenant),
    }),
  },
  {
    name: "POST /v1/admin/api-keys",
    creates: true,
    secret: true,
    idOf: (b) => b.id,
    setup: async (tenant) => ({
      path: "/v1/admin/api-keys",
      body: { name: "nightly sync" },
      other: { path: "/v1/admin/api-keys", body: { name: "another" } },
      failing: {
        path: "/v1/admin/api-keys",
        body: { name: "x", extra: 1 },
        status: 400,
        fixed: { path: "/v1/admin/api-keys", body: { name: "nightly sync" } },
      },
      state: rows("api_keys", "id", tenant),
    }),
  },
  {
    name: "POST /v1/admin/webhook-endpoints",
    creates: true,
    secret: true,
    idOf: (b) => b.id,
    setup: async (tenant) => ({
      path: "/v1/admin/webhook-endpoints",
      body: { url: "https://example.com/hooks/a" },
      other: { path: "/v1/admin/webhook-endpoints", body: { url: "https://example.com/hooks/b" } },
      // Refused by the service, not the schema: the claim was already made when it failed.
      failing: {
        path: "/v1/admin/webhook-endpoints",
        body: { url: "http://example.com/hooks/a" },
        status: 400,
        fixed: { path: "/v1/admin/webhook-endpoints", body: { url: "https://example.com/hooks/a" } },
      },
      state: rows("webhook_endpoints", "id", tenant),
    }),
  },
  {
    name: "POST /v1/admin/staff/{id}/calendar-feed",
    creates: false,
    secret: true,
    idOf: (b) => b.staffId,
    setup: async (tenant) => {
      const path = `/v1/admin/staff/${await newStaff(tenant)}/calendar-feed`;
      const gone = await newStaff(tenant, "Gone");
      await t.request("DELETE", `/v1/admin/staff/${gone}`, { key: tenant.apiKey });
      return {
        path,
        other: { path: `/v1/admin/staff/${await newStaff(tenant, "Bo")}/calendar-feed` },
        failing: { path: `/v1/admin/staff/${gone}/calendar-feed`, status: 404, fixed: { path } },
        state: rows("staff_calendar_feeds", "token_hash", tenant),
      };
    },
  },
  {
    name: "POST /v1/admin/outbox/{id}/retry",
    creates: false,
    secret: false,
    idOf: (b) => b.id,
    setup: async (tenant) => {
      const id = await newEvent(tenant, "dead");
      const done = await newEvent(tenant, "done");
      const path = `/v1/admin/outbox/${id}/retry`;
      return {
        path,
        other: { path: `/v1/admin/outbox/${await newEvent(tenant, "failed")}/retry` },
        failing: { path: `/v1/admin/outbox/${done}/retry`, status: 409, fixed: { path } },
        state: rows("outbox", "id || ':' || status || ':' || coalesce(enqueued_at::text, '-')", tenant),
      };
    },
  },
];

const fresh = (res: { headers: Headers }) => res.headers.get("idempotent-replayed") === null;

describe.each(CASES)("$name with an Idempotency-Key", (c) => {
  it("replays the first result for the same key and body, and has an effect once", async () => {
    const tenant = await t.createTenant();
    const target = await c.setup(tenant);
    const before = await target.state();
    const first = await post(tenant, target, "k-replay");
    expect(first.status).toBeLessThan(300);
    expect(fresh(first)).toBe(true);
    const after = await target.state();
    if (c.creates) expect(after).toHaveLength(before.length + 1);
    else expect(after).not.toEqual(before);

    const again = await post(tenant, target, "k-replay");
    if (c.secret) {
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("CONFLICT");
      expect(again.body.error.message).toContain(c.idOf(first.body));
      expect(again.body.error.message).toMatch(/cannot be shown again/);
    } else {
      expect(again.status).toBe(first.status);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get("content-type")).toBe(first.headers.get("content-type"));
      expect(again.headers.get("idempotent-replayed")).toBe("true");
    }
    expect(await target.state()).toEqual(after);
  });

  it("refuses the same key with another request (422) and changes nothing", async () => {
    const tenant = await t.createTenant();
    const target = await c.setup(tenant);
    expect((await post(tenant, target, "k-reuse")).status).toBeLessThan(300);
    const after = await target.state();
    const res = await post(tenant, target.other, "k-reuse");
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await target.state()).toEqual(after);
  });

  it("has one effect for 10 concurrent requests with the same key", async () => {
    const tenant = await t.createTenant();
    const target = await c.setup(tenant);
    const before = await target.state();
    const all = await Promise.all(Array.from({ length: 10 }, () => post(tenant, target, "k-race")));
    const ok = all.filter((r) => r.status < 300);
    expect(ok.filter(fresh)).toHaveLength(1);
    expect(new Set(ok.map((r) => c.idOf(r.body))).size).toBe(1);
    for (const r of all.filter((r) => r.status >= 300)) {
      expect(r.status).toBe(409);
      if (/in progress/.test(r.body.error.message)) expect(r.headers.get("retry-after")).toBe("1");
    }
    const after = await target.state();
    if (c.creates) expect(after).toHaveLength(before.length + 1);
    const again = await post(tenant, target, "k-race");
    expect(again.status).toBe(c.secret ? 409 : ok[0]!.status);
    expect(await target.state()).toEqual(after);
  });

  it("frees the key when the request fails, so the corrected request succeeds with it", async () => {
    const tenant = await t.createTenant();
    const target = await c.setup(tenant);
    const failed = await post(tenant, target.failing, "k-fail");
    expect(failed.status).toBe(target.failing.status);
    expect(await t.database.admin("SELECT 1 FROM idempotency_keys WHERE tenant_id = $1", [tenant.id])).toEqual([]);
    const ok = await post(tenant, target.failing.fixed, "k-fail");
    expect(ok.status).toBeLessThan(300);
    expect(fresh(ok)).toBe(true);
  });

  it("scopes keys per tenant: the same key in two tenants has two effects", async () => {
    const [a, b] = [await t.createTenant(), await t.createTenant()];
    const [ta, tb] = [await c.setup(a), await c.setup(b)];
    const ra = await post(a, ta, "k-shared");
    const rb = await post(b, tb, "k-shared");
    expect([ra.status, rb.status].every((s) => s < 300)).toBe(true);
    expect([fresh(ra), fresh(rb)]).toEqual([true, true]);
    expect(c.idOf(ra.body)).not.toBe(c.idOf(rb.body));
  });

  it("without a key, repeats are separate requests (as before)", async () => {
    const tenant = await t.createTenant();
    const target = await c.setup(tenant);
    const before = await target.state();
    expect((await post(tenant, target)).status).toBeLessThan(300);
    const once = await target.state();
    expect((await post(tenant, target)).status).toBeLessThan(300);
    if (c.creates) expect(await target.state()).toHaveLength(before.length + 2);
    else expect(once).not.toEqual(before);
  });
});

describe("idempotency keys: lifetime, abandoned claims and storage", () => {
  const staffBody = { name: "Ana" };
  const age = (tenant: TestTenant, interval: string) =>
    t.database.admin(`UPDATE idempotency_keys SET created_at = now() - $2::interval WHERE tenant_id = $1`, [
      tenant.id,
      interval,
    ]);

  it("answers 409 with Retry-After while the first request is still running", async () => {
    const tenant = await t.createTenant();
    await post(tenant, { path: "/v1/admin/staff", body: staffBody }, "k-running");
    await t.database.admin("UPDATE idempotency_keys SET response_status = 0 WHERE tenant_id = $1", [tenant.id]);
    const res = await post(tenant, { path: "/v1/admin/staff", body: staffBody }, "k-running");
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "CONFLICT" });
    expect(res.body.error.message).toMatch(/in progress/);
    expect(res.headers.get("retry-after")).toBe("1");
  });

  it("takes over a claim abandoned for more than 60 s", async () => {
    const tenant = await t.createTenant();
    await post(tenant, { path: "/v1/admin/staff", body: staffBody }, "k-abandoned");
    await t.database.admin("UPDATE idempotency_keys SET response_status = 0 WHERE tenant_id = $1", [tenant.id]);
    await age(tenant, "61 seconds");
    const res = await post(tenant, { path: "/v1/admin/staff", body: staffBody }, "k-abandoned");
    expect(res.status).toBe(201);
    expect(fresh(res)).toBe(true);
  });

  it("does not take over an abandoned claim for another request", async () => {
    const tenant = await t.createTenant();
    await post(tenant, { path: "/v1/admin/staff", body: staffBody }, "k-abandoned-2");
    await t.database.admin("UPDATE idempotency_keys SET response_status = 0 WHERE tenant_id = $1", [tenant.id]);
    await age(tenant, "61 seconds");
    const res = await post(tenant, { path: "/v1/admin/staff", body: { name: "Bo" } }, "k-abandoned-2");
    expect(res.status).toBe(422);
  });

  it("treats a key older than 24 h as new, whatever its body", async () => {
    const tenant = await t.createTenant();
    const first = await post(tenant, { path: "/v1/admin/staff", body: staffBody }, "k-old");
    await age(tenant, "25 hours");
    const res = await post(tenant, { path: "/v1/admin/staff", body: { name: "Bo" } }, "k-old");
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe(first.body.id);
  });

  it("treats the same JSON with another key order and layout as the same request", async () => {
    const tenant = await t.createTenant();
    const path = "/v1/admin/services";
    const headers = { "idempotency-key": "k-layout" };
    const first = await t.request("POST", path, { key: tenant.apiKey, headers, body: SERVICE });
    const raw = `{ "price": {"currency":"EUR", "amount":4500}, "durationMinutes": 45, "name": "Cut" }`;
    const again = await t.request("POST", path, { key: tenant.apiKey, headers, raw });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });

  it("uses one key per route: the same key on two routes has two effects", async () => {
    const tenant = await t.createTenant();
    const staff = await post(tenant, { path: "/v1/admin/staff", body: staffBody }, "k-routes");
    const service = await post(tenant, { path: "/v1/admin/services", body: SERVICE }, "k-routes");
    expect([staff.status, service.status]).toEqual([201, 201]);
    expect(service.body.id).toMatch(/^svc_/);
  });

  it("never stores a secret: not the API key, the signing secret or the feed URL", async () => {
    const tenant = await t.createTenant();
    const key = await post(tenant, { path: "/v1/admin/api-keys", body: { name: "k" } }, "k-secret-1");
    const hook = await post(
      tenant,
      { path: "/v1/admin/webhook-endpoints", body: { url: "https://e.com/h" } },
      "k-secret-2",
    );
    const feedCall = { path: `/v1/admin/staff/${await newStaff(tenant)}/calendar-feed` };
    const feed = await post(tenant, feedCall, "k-secret-3");
    const stored = await t.database.admin<{ body: string; status: number }>(
      "SELECT response_body::text AS body, response_status AS status FROM idempotency_keys WHERE tenant_id = $1",
      [tenant.id],
    );
    expect(stored.map((s) => s.status)).toEqual([201, 201, 201]);
    const all = stored.map((s) => s.body).join("\n");
    for (const secret of [key.body.key, hook.body.secret, feed.body.url.split("/").pop().replace(".ics", "")])
      expect(all).not.toContain(secret);
    expect(all).toContain(key.body.id);
    expect(all).not.toMatch(/sk_[0-9a-z]{40}|whsec_|fd_[0-9a-z]{40}/); // the key's public prefix may stay
    // A refused replay issues no new feed URL: the one issued first keeps working.
    expect((await post(tenant, feedCall, "k-secret-3")).status).toBe(409);
    const token = feed.body.url.split("/").pop().replace(".ics", "");
    const [row] = await t.database.admin("SELECT token_hash FROM staff_calendar_feeds WHERE tenant_id = $1", [
      tenant.id,
    ]);
    expect(row!.token_hash).toBe(await sha256Hex(token));
  });

  it("ignores a malformed key in favour of the header validation (400, nothing claimed)", async () => {
    const tenant = await t.createTenant();
    const res = await post(tenant, { path: "/v1/admin/staff", body: staffBody }, "has spaces");
    expect(res.status).toBe(400);
    expect(await t.database.admin("SELECT 1 FROM staff WHERE tenant_id = $1", [tenant.id])).toEqual([]);
  });

  it("declares the header on every covered operation in /openapi.json", async () => {
    const doc = (await t.request("GET", "/openapi.json")).body;
    for (const c of CASES) {
      const [, path] = c.name.split(" ");
      const params: { in: string; name: string }[] = doc.paths[path!].post.parameters ?? [];
      expect(
        params.some((p) => p.in === "header" && p.name === "idempotency-key"),
        c.name,
      ).toBe(true);
      expect(Object.keys(doc.paths[path!].post.responses)).toEqual(expect.arrayContaining(["409", "422"]));
    }
  });
});

describe("idempotency keys: claimed in the creating transaction", () => {
  /** Waits (polling the catalogue, no fixed sleep) until n backends of this database wait on a lock; their pids. */
  async function lockWaiters(n: number): Promise<number[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await t.database.admin<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
         ORDER BY query_start`,
      );
      if (rows.length >= n) return rows.map((r) => r.pid);
      if (Date.now() > deadline) throw new Error(`expected ${n} lock waiters, saw ${rows.length}`);
      await new Promise((ok) => setImmediate(ok));
    }
  }

  it("keeps the claim invisible until the object commits; a failed create leaves no key, and a duplicate waiting on it then creates exactly one", async () => {
    const tenant = await t.createTenant();
    const claims = () =>
      t.database.admin("SELECT response_status FROM idempotency_keys WHERE tenant_id = $1 AND key = 'k-in-tx'", [
        tenant.id,
      ]);
    // Another session holds the staff table: the create blocks inside its transaction, after the claim.
    const blocker = new pg.Client({ connectionString: t.database.adminUrl });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE staff IN SHARE ROW EXCLUSIVE MODE");
      const first = post(tenant, { path: "/v1/admin/staff", body: { name: "Ana" } }, "k-in-tx");
      const [firstPid] = await lockWaiters(1);
      // Not committed yet: nobody else sees a claim (a claim in its own transaction would already be visible).
      expect(await claims()).toEqual([]);
      // A duplicate does not get "in progress": it waits on the first transaction's claim.
      const second = post(tenant, { path: "/v1/admin/staff", body: { name: "Ana" } }, "k-in-tx");
      await lockWaiters(2);
      // The first request fails after its claim (its statement is cancelled): the claim goes with its transaction.
      await t.database.admin("SELECT pg_cancel_backend($1)", [firstPid]);
      expect((await first).status).toBe(500);
      // The duplicate now owns the key and waits for the table in turn; let it through.
      await lockWaiters(1);
      await blocker.query("COMMIT");
      const created = await second;
      expect(created.status).toBe(201);
      expect(fresh(created)).toBe(true);
    } finally {
      await blocker.end();
    }
    const staff = await t.database.admin("SELECT id FROM staff WHERE tenant_id = $1", [tenant.id]);
    expect(staff).toHaveLength(1);
    expect(await claims()).toEqual([{ response_status: 201 }]);
    const replay = await post(tenant, { path: "/v1/admin/staff", body: { name: "Ana" } }, "k-in-tx");
    expect(replay.status).toBe(201);
    expect(fresh(replay)).toBe(false);
    expect(replay.body.id).toBe(staff[0]!.id);
  });
});

describe("idempotency keys: one meaning of each column, whichever strategy wrote the row", () => {
  it("stores the replayed status and JSON body, for a pre-claim route as for the booking path", async () => {
    const s = await createSalon(t, { staff: 1 });
    const staff = await post(s.tenant, { path: "/v1/admin/staff", body: { name: "Ana" } }, "k-meaning-staff");
    const booking = await post(
      s.tenant,
      {
        path: "/v1/admin/bookings",
        body: { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("meaning") },
      },
      "k-meaning-booking",
    );
    expect([staff.status, booking.status]).toEqual([201, 201]);
    const rows = await t.database.admin<{ scope: string; response_status: number; response_body: any }>(
      "SELECT scope, response_status, response_body FROM idempotency_keys WHERE tenant_id = $1 ORDER BY scope",
      [s.tenant.id],
    );
    expect(rows.map((r) => [r.scope, r.response_status])).toEqual([
      ["POST /v1/admin/staff", 201],
      ["admin.bookings.create", 201],
    ]);
    // Pre-claim: the response body itself, as the booking path stores it (not an envelope around its text).
    expect(rows[0]!.response_body).toEqual(staff.body);
    expect(rows[1]!.response_body.booking.id).toBe(booking.body.booking.id);
  });
});
