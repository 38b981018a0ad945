// Neon's two paths give the same answers: the same statements run over the WebSocket Pool (interactive transaction)
// and over SQL-over-HTTP (`Database.read` / `write`: one non-interactive transaction per request, served locally by
// the loopback proxy) return equal rows with equal types, fail with the same SQLSTATE translated the same way
// (23P01 → 409 SLOT_UNAVAILABLE), and see only their tenant's rows (row-level security on both). The proxy's counters
// show what each costs: an HTTP read is one round trip on a connection kept alive; a WebSocket transaction opens a
// connection and pays its handshake and start-up first.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../worker/src/errors.ts";
import { newId, randomString } from "../worker/src/lib/ids.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { proxyStats } from "./helpers/proxy-stats.ts";

let tdb: TestDatabase;
const a = { tenant: newId("ten"), slug: `http-a-${randomString(8)}`, staff: newId("stf"), service: newId("svc") };
const b = { tenant: newId("ten"), slug: `http-b-${randomString(8)}`, staff: newId("stf"), service: newId("svc") };
const customer = newId("cus");

const stats = () => proxyStats(tdb.proxyPort, tdb.name);

async function delta<T>(fn: () => Promise<T>) {
  const before = await stats();
  const result = await fn();
  const after = await stats();
  return {
    result,
    connections: after.connections - before.connections,
    roundTrips: after.roundTrips - before.roundTrips,
    webSockets: after.webSockets - before.webSockets,
  };
}

const bookingInsert = (tenant: typeof a, from: string, until: string) => sql`
  INSERT INTO bookings (id, tenant_id, service_id, staff_id, customer_id, status, starts_at, ends_at, blocked_from,
    blocked_until, price_amount, currency, manage_token_hash, source)
  VALUES (${newId("bkg")}, ${tenant.tenant}, ${tenant.service}, ${tenant.staff}, ${customer}, 'confirmed',
    ${from}::timestamptz, ${until}::timestamptz, ${from}::timestamptz, ${until}::timestamptz, 0, 'EUR', 'x', 'admin')
  RETURNING id`;

beforeAll(async () => {
  tdb = await createTestDatabase();
  for (const t of [a, b]) {
    await tdb.admin("INSERT INTO tenants (id, slug, name, timezone, currency) VALUES ($1, $2, 'T', 'UTC', 'EUR')", [
      t.tenant,
      t.slug,
    ]);
    await tdb.admin("INSERT INTO staff (id, tenant_id, name) VALUES ($1, $2, $3)", [
      t.staff,
      t.tenant,
      `Staff ${t.slug}`,
    ]);
    await tdb.admin(
      "INSERT INTO services (id, tenant_id, name, duration_minutes, price_amount, currency) VALUES ($1, $2, 'X', 60, 1500, 'EUR')",
      [t.service, t.tenant],
    );
  }
  await tdb.admin("INSERT INTO customers (id, tenant_id, name, email) VALUES ($1, $2, 'C', 'c@example.com')", [
    customer,
    a.tenant,
  ]);
});
afterAll(async () => tdb?.drop());

/** Statements whose values cover the types the worker reads: text, integers, bigints, numerics, booleans, instants, dates, json, arrays, nulls. */
const probes = () => [
  sql`SELECT id, name, duration_minutes, price_amount, created_at, deleted_at FROM services ORDER BY id`,
  sql`SELECT ${'it\'s \\ a "test" ;--'}::text AS t, 9007199254740993::int8 AS big, 12.50::numeric AS n, true AS yes,
    '2027-05-03T09:00:00Z'::timestamptz AS at, '2027-05-03'::date AS day, '{"a":[1,null,"x"]}'::jsonb AS j,
    ARRAY['x','y']::text[] AS arr, NULL::int AS nothing`,
  sql`SELECT app_tenant() AS tenant, count(*)::int AS staff FROM staff`,
];

describe("SQL over HTTP and the WebSocket Pool", () => {
  it("return the same rows, with the same types, for the same statements", async () => {
    const overWs = await tdb.db.withTenantTx(a.tenant, async (tx) => {
      const out: unknown[][] = [];
      for (const statement of probes()) out.push((await tx.execute(statement)).rows);
      return out;
    });
    const overHttp = await tdb.db.read({ tenantId: a.tenant }, probes());
    expect(overHttp).toEqual(overWs);
    const [, [typed]] = overHttp as [unknown, Record<string, unknown>[]];
    expect(typed!.at).toBe("2027-05-03 09:00:00+00"); // times stay text on both paths, as drizzle reads them
    expect(typed!.j).toEqual({ a: [1, null, "x"] });
    expect(typed!.big).toBe("9007199254740993");
    expect(overHttp[2]).toEqual([{ tenant: a.tenant, staff: 1 }]);
  });

  it("scope a read by public slug in the same round trip, and an unknown slug sees nothing", async () => {
    const [[bySlug]] = (await tdb.db.read({ slug: b.slug }, [
      sql`SELECT app_tenant() AS tenant, count(*)::int AS n FROM services`,
    ])) as [Record<string, unknown>[]];
    expect(bySlug).toEqual({ tenant: b.tenant, n: 1 });
    const [[unknown]] = (await tdb.db.read({ slug: "no-such-business" }, [
      sql`SELECT app_tenant() AS tenant, count(*)::int AS n FROM services`,
    ])) as [Record<string, unknown>[]];
    expect(unknown).toEqual({ tenant: null, n: 0 });
  });

  it("apply row-level security: one tenant's read never sees another's rows, on either path", async () => {
    const query = () => [sql`SELECT id FROM services WHERE id IN (${a.service}, ${b.service})`];
    const [httpRows] = await tdb.db.read({ tenantId: b.tenant }, query());
    const wsRows = await tdb.db.withTenantTx(b.tenant, async (tx) => (await tx.execute(query()[0]!)).rows);
    expect(httpRows).toEqual([{ id: b.service }]);
    expect(wsRows).toEqual(httpRows);
    // Writing another tenant's row is refused by the policies' WITH CHECK on both paths alike.
    const foreign = () =>
      sql`INSERT INTO staff (id, tenant_id, name) VALUES (${newId("stf")}, ${a.tenant}, 'Intruder')`;
    const httpErr = await tdb.db.write({ tenantId: b.tenant }, [foreign()]).catch((e: unknown) => e);
    const wsErr = await tdb.db.withTenantTx(b.tenant, (tx) => tx.execute(foreign())).catch((e: unknown) => e);
    expect((httpErr as { code?: string }).code).toBe("42501");
    expect((wsErr as { code?: string }).code ?? (wsErr as { cause?: { code?: string } }).cause?.code).toBe("42501");
    expect(await tdb.admin("SELECT 1 FROM staff WHERE name = 'Intruder'")).toEqual([]);
  });

  it("fail with the same SQLSTATE, translated alike (23P01 → 409), and a failed HTTP transaction writes nothing", async () => {
    await tdb.db.write({ tenantId: a.tenant }, [bookingInsert(a, "2027-05-03T09:00:00Z", "2027-05-03T10:00:00Z")]);
    const overlap = () => bookingInsert(a, "2027-05-03T09:30:00Z", "2027-05-03T10:30:00Z");
    const httpErr = await tdb.db
      .write({ tenantId: a.tenant }, [bookingInsert(a, "2027-05-04T09:00:00Z", "2027-05-04T10:00:00Z"), overlap()])
      .catch((e: unknown) => e);
    const wsErr = await tdb.db.withTenantTx(a.tenant, (tx) => tx.execute(overlap())).catch((e: unknown) => e);
    for (const err of [httpErr, wsErr]) {
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: "SLOT_UNAVAILABLE", status: 409 });
    }
    // The first statement of the failed batch was rolled back with it.
    expect(await tdb.admin("SELECT 1 FROM bookings WHERE starts_at = '2027-05-04T09:00:00Z'")).toEqual([]);
    // A read-only transaction refuses to write (25006), whatever a caller sends.
    const readOnly = await tdb.db
      .read({ tenantId: a.tenant }, [bookingInsert(a, "2027-06-01T09:00:00Z", "2027-06-01T10:00:00Z")])
      .catch((e: unknown) => e);
    expect((readOnly as { code?: string }).code).toBe("25006");
  });

  it("cost one round trip per HTTP read on a kept-alive connection, where a WebSocket transaction opens one", async () => {
    await tdb.db.read({ tenantId: a.tenant }, probes()); // the connection to reuse
    const http = await delta(() => tdb.db.read({ tenantId: a.tenant }, probes()));
    expect(http).toMatchObject({ roundTrips: 1, connections: 0, webSockets: 0 });
    const lookups = await delta(() => tdb.db.tenantIdForSlug(a.slug));
    expect(lookups).toMatchObject({ result: a.tenant, roundTrips: 1, connections: 0 });
    const fresh = tdb.open({ maxConnections: 1 });
    try {
      const ws = await delta(() =>
        fresh.withTenantTx(a.tenant, async (tx) => (await tx.execute(sql`SELECT count(*)::int AS n FROM staff`)).rows),
      );
      // The handshake, the start-up, then BEGIN + tenant + the statement in one simple query, then COMMIT. (Node's
      // WebSocket may upgrade a kept-alive HTTP connection instead of opening one: at most one is opened.)
      expect(ws).toMatchObject({ result: [{ n: 1 }], webSockets: 1, roundTrips: 4 });
      expect(ws.connections).toBeLessThanOrEqual(1);
    } finally {
      await fresh.close();
    }
  });
});
