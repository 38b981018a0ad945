// Tenant isolation proven by the database alone: queries here carry no tenant filter of their own.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staff } from "../worker/src/db/schema/index.ts";
import { postgresErrorOf } from "../worker/src/errors.ts";
import { newId } from "../worker/src/lib/ids.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";

let tdb: TestDatabase;
const A = newId("ten");
const B = newId("ten");

beforeAll(async () => {
  tdb = await createTestDatabase();
  for (const [id, slug] of [
    [A, "tenant-a"],
    [B, "tenant-b"],
  ] as const) {
    await tdb.admin("INSERT INTO tenants (id, slug, name, timezone, currency) VALUES ($1, $2, $2, 'UTC', 'EUR')", [
      id,
      slug,
    ]);
    for (let i = 0; i < 3; i++)
      await tdb.admin("INSERT INTO staff (id, tenant_id, name) VALUES ($1, $2, $3)", [
        newId("stf"),
        id,
        `${slug} staff ${i}`,
      ]);
  }
});
afterAll(async () => tdb?.drop());

describe("row-level security", () => {
  it("shows each tenant only its own rows, with no filter in the query", async () => {
    const seenByA = await tdb.db.withTenantTx(A, (tx) => tx.select().from(staff));
    const seenByB = await tdb.db.withTenantTx(B, (tx) => tx.select().from(staff));
    expect(seenByA).toHaveLength(3);
    expect(seenByB).toHaveLength(3);
    expect(seenByA.every((r) => r.tenantId === A)).toBe(true);
    expect(seenByB.every((r) => r.tenantId === B)).toBe(true);
    // the superuser sees all six: the rows exist, RLS hides them
    expect(await tdb.admin("SELECT count(*)::int AS n FROM staff")).toEqual([{ n: 6 }]);
  });

  it("shows nothing with no tenant or an unknown tenant set", async () => {
    const none = await tdb.db.pool.query("SELECT * FROM staff");
    expect(none.rows).toHaveLength(0);
    const unknown = await tdb.db.withTenantTx(newId("ten"), (tx) => tx.select().from(staff));
    expect(unknown).toHaveLength(0);
    const empty = await tdb.db.withTenantTx("", (tx) => tx.select().from(staff));
    expect(empty).toHaveLength(0);
    expect((await tdb.db.pool.query("SELECT * FROM tenants")).rows).toHaveLength(0);
  });

  it("refuses writes into, and cannot touch, another tenant's rows", async () => {
    await expect(
      tdb.db.withTenantTx(A, (tx) =>
        tx.insert(staff).values({ id: newId("stf"), tenantId: B, name: "smuggled", commissionBps: 0 }),
      ),
    ).rejects.toThrow();
    const updated = await tdb.db.withTenantTx(A, (tx) =>
      tx.execute(sql`UPDATE staff SET name = 'pwned' WHERE tenant_id = ${B}`),
    );
    expect(updated.rowCount).toBe(0);
    // Staff are never deleted (a removed staff member is marked deleted): the app role may not DELETE at all.
    await expect(
      tdb.db.withTenantTx(A, (tx) => tx.execute(sql`DELETE FROM staff WHERE tenant_id = ${B}`)),
    ).rejects.toSatisfy((err) => postgresErrorOf(err)?.code === "42501"); // insufficient_privilege
    const unlinked = await tdb.db.withTenantTx(A, (tx) =>
      tx.execute(sql`DELETE FROM staff_services WHERE tenant_id = ${B}`),
    );
    expect(unlinked.rowCount).toBe(0);
    expect(
      await tdb.admin("SELECT count(*)::int AS n FROM staff WHERE tenant_id = $1 AND name <> 'pwned'", [B]),
    ).toEqual([{ n: 3 }]);
  });

  it("does not leak the tenant setting past its transaction on a reused connection", async () => {
    const single = tdb.open({ maxConnections: 1 });
    try {
      expect(await single.withTenantTx(A, (tx) => tx.select().from(staff))).toHaveLength(3);
      const after = await single.pool.query(
        "SELECT current_setting('app.tenant_id', true) AS t, count(*)::int AS n FROM staff",
      );
      expect(after.rows[0]).toEqual({ t: "", n: 0 });
    } finally {
      await single.close();
    }
  });

  it("connects as a role that is neither superuser, nor bypasses RLS, nor owns any table", async () => {
    const me = await tdb.db.pool.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user");
    expect(me.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await tdb.db.pool.query(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND pg_has_role(current_user, tableowner, 'MEMBER')",
    );
    expect(owned.rows[0].n).toBe(0);
  });

  it("has RLS enabled and forced on every table holding tenant data", async () => {
    const rows = await tdb.admin<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
         OR c.relname IN ('tenants', 'users'))`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(14);
    for (const r of rows)
      expect({ table: r.relname, enabled: r.relrowsecurity, forced: r.relforcerowsecurity }).toEqual({
        table: r.relname,
        enabled: true,
        forced: true,
      });
  });

  it("the pre-tenant look-ups reveal only ids", async () => {
    expect(await tdb.db.tenantIdForSlug("tenant-a")).toBe(A);
    expect(await tdb.db.tenantIdForSlug("nope")).toBeNull();
    await expect(tdb.db.pool.query("SELECT * FROM api_keys")).resolves.toMatchObject({ rows: [] });
  });
});
