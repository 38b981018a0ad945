// What a production migration leaves behind, reviewed: every SECURITY DEFINER function (owner, search_path, who may
// execute it) and the app role's privileges on every table, compared with test/db-catalogue.expected.json. A new
// SECURITY DEFINER function or grant fails this test until the expected list is updated in the same change, so it is
// reviewed. (To print the current catalogue after a reviewed change: BOOKRA_WRITE_CATALOGUE=1 rewrites the file.)
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { type FreshDatabase, useProductionDatabase } from "./helpers/fresh-db.ts";

const EXPECTED_FILE = resolve(import.meta.dirname, "db-catalogue.expected.json");

interface Catalogue {
  securityDefinerFunctions: { function: string; owner: string; config: string[]; execute: string[] }[];
  appTablePrivileges: Record<string, string[]>;
}

const production = useProductionDatabase();

async function catalogueOf(db: FreshDatabase): Promise<Catalogue> {
  const fns = await db.query<Catalogue["securityDefinerFunctions"][number]>(`
    SELECT p.oid::regprocedure::text AS function, pg_get_userbyid(p.proowner)::text AS owner,
           coalesce(p.proconfig, '{}') AS config,
           CASE WHEN p.proacl IS NULL THEN ARRAY['PUBLIC']
                ELSE ARRAY(SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END
                           FROM aclexplode(p.proacl) a
                           WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner ORDER BY 1) END AS execute
    FROM pg_proc p
    WHERE p.prosecdef AND p.pronamespace = 'public'::regnamespace
    ORDER BY 1`);
  const privileges = await db.query<{ table: string; privileges: string[] }>(`
    SELECT c.relname AS table,
           ARRAY(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                 WHERE has_table_privilege('bookra_app', c.oid, p)) AS privileges
    FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
    ORDER BY 1`);
  return {
    securityDefinerFunctions: fns,
    appTablePrivileges: Object.fromEntries(privileges.map((r) => [r.table, r.privileges])),
  };
}

describe("the production migration set", () => {
  it("matches the reviewed catalogue of SECURITY DEFINER functions and app-role table privileges", async () => {
    const actual = await catalogueOf(production.db);
    if (process.env.BOOKRA_WRITE_CATALOGUE === "1")
      writeFileSync(EXPECTED_FILE, `${JSON.stringify(actual, null, 2)}\n`);
    const expected = JSON.parse(readFileSync(EXPECTED_FILE, "utf8")) as Catalogue;
    expect(actual.securityDefinerFunctions).toEqual(expected.securityDefinerFunctions);
    expect(actual.appTablePrivileges).toEqual(expected.appTablePrivileges);
  });

  it("leaves no cross-tenant developer function, and nothing local in schema_migrations", async () => {
    const dev = await production.db.query("SELECT proname FROM pg_proc WHERE proname LIKE 'dev\\_%'");
    expect(dev).toEqual([]);
    const local = await production.db.query("SELECT name FROM schema_migrations WHERE name LIKE 'local/%'");
    expect(local).toEqual([]);
  });

  it("pins search_path on every SECURITY DEFINER function and grants none to PUBLIC", async () => {
    const { securityDefinerFunctions } = await catalogueOf(production.db);
    expect(securityDefinerFunctions.length).toBeGreaterThan(0);
    for (const f of securityDefinerFunctions) {
      expect(f.config, f.function).toContain("search_path=pg_catalog, public, pg_temp");
      expect(f.execute, f.function).not.toContain("PUBLIC");
      expect(f.owner, f.function).not.toBe("bookra_app");
    }
  });

  it("gives the app role no DELETE on what it never deletes", async () => {
    const { appTablePrivileges } = await catalogueOf(production.db);
    for (const table of [
      "bookings",
      "customers",
      "tenants",
      "invoices",
      "invoice_counters",
      "outbox",
      "webhook_deliveries",
    ])
      expect(appTablePrivileges[table], table).not.toContain("DELETE");
    for (const table of Object.keys(appTablePrivileges))
      expect(appTablePrivileges[table], table).not.toContain("TRUNCATE");
  });

  it("keeps each booking's payments, invoice and reminders in the booking's tenant (composite foreign keys)", async () => {
    const fks = await production.db.query<{ child: string; def: string }>(`
      SELECT conrelid::regclass::text AS child, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE contype = 'f' AND confrelid = 'bookings'::regclass ORDER BY 1`);
    for (const child of ["booking_reminders", "invoices", "payments"])
      expect(fks.filter((f) => f.child === child).map((f) => f.def)).toEqual([
        "FOREIGN KEY (tenant_id, booking_id) REFERENCES bookings(tenant_id, id)",
      ]);
  });

  it("bumps schedule versions once per statement, and never for a branding edit of the tenant", async () => {
    const triggers = await production.db.query<{ table: string; name: string; row: boolean; when: string | null }>(`
      SELECT tgrelid::regclass::text AS table, tgname AS name, (tgtype & 1) = 1 AS row,
             pg_get_triggerdef(oid) AS when
      FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%schedule_version%' ORDER BY 1, 2`);
    const perRow = triggers.filter((t) => t.row).map((t) => t.name);
    expect(perRow).toEqual(["tenants_schedule_version"]); // BEFORE ROW: it sets NEW.schedule_version
    expect(triggers.find((t) => t.name === "tenants_schedule_version")?.when).toMatch(/WHEN .*branding/);
    expect(new Set(triggers.filter((t) => !t.row).map((t) => t.table))).toEqual(
      new Set(["date_overrides", "services", "staff", "staff_services", "time_off", "weekly_hours"]),
    );
  });
});
