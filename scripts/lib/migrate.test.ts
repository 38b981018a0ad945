// The migrator: `-- bookra:no-transaction` files (CREATE INDEX CONCURRENTLY) run outside a transaction and are still
// recorded with their checksum; the local-only set is applied only when asked; a changed file is refused.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFreshDatabase, type FreshDatabase } from "../../test/helpers/fresh-db.ts";
import { listMigrations, runMigrations, splitStatements } from "./migrate.ts";

describe("splitStatements", () => {
  it("splits at top-level semicolons only", () => {
    const text = `-- bookra:no-transaction
CREATE TABLE a (x text DEFAULT 'a;b', "we;ird" int); -- a comment; with a semicolon
/* block; comment */ CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'x;y' $$;
DO $body$ BEGIN PERFORM 1; END $body$;
SELECT 'it''s; fine';
`;
    expect(splitStatements(text).map((s) => s.trim().split(/\s+/).slice(0, 2).join(" "))).toEqual([
      "-- bookra:no-transaction",
      "-- a", // the comment after a statement starts the next chunk
      "DO $body$",
      "SELECT 'it''s;",
    ]);
    expect(splitStatements(text)[0]).toContain('"we;ird" int)');
  });
});

describe("runMigrations", () => {
  let db: FreshDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createFreshDatabase();
    dir = mkdtempSync(join(tmpdir(), "bookra-migrate-"));
    mkdirSync(join(dir, "local"));
    writeFileSync(join(dir, "0001_table.sql"), "CREATE TABLE items (id int PRIMARY KEY, name text);\n");
    writeFileSync(
      join(dir, "0002_index.sql"),
      `-- bookra:no-transaction
-- A concurrent build that failed halfway leaves an INVALID index behind: drop it first, so a re-run is safe.
DROP INDEX CONCURRENTLY IF EXISTS items_name_idx;
CREATE INDEX CONCURRENTLY items_name_idx ON items (name);
`,
    );
    writeFileSync(
      join(dir, "local", "0001_dev.sql"),
      "CREATE FUNCTION dev_only() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n",
    );
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs a no-transaction file outside a transaction (CREATE INDEX CONCURRENTLY) and records its checksum", async () => {
    const files = listMigrations(dir);
    expect(files.map((f) => [f.name, f.transaction])).toEqual([
      ["0001_table.sql", true],
      ["0002_index.sql", false],
    ]);
    expect(await runMigrations(db.url, { dir })).toEqual({
      applied: ["0001_table.sql", "0002_index.sql"],
      skipped: [],
    });
    const index = await db.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_name_idx'::regclass");
    expect(index).toEqual([{ indisvalid: true }]);
    const recorded = await db.query<{ name: string; checksum: string }>(
      "SELECT name, checksum FROM schema_migrations ORDER BY name",
    );
    expect(recorded).toEqual(files.map((f) => ({ name: f.name, checksum: f.checksum })));
    expect(await runMigrations(db.url, { dir })).toEqual({
      applied: [],
      skipped: ["0001_table.sql", "0002_index.sql"],
    });
  });

  it("applies the local-only set only when asked, after the production set, recorded as local/…", async () => {
    await runMigrations(db.url, { dir });
    expect(await db.query("SELECT 1 FROM pg_proc WHERE proname = 'dev_only'")).toEqual([]);
    const r = await runMigrations(db.url, { dir, local: true, localDir: join(dir, "local") });
    expect(r.applied).toEqual(["local/0001_dev.sql"]);
    expect(await db.query("SELECT dev_only() AS v")).toEqual([{ v: 1 }]);
  });

  it("refuses a file changed after it was applied", async () => {
    writeFileSync(join(dir, "0001_table.sql"), "CREATE TABLE items (id bigint PRIMARY KEY, name text);\n");
    await expect(runMigrations(db.url, { dir })).rejects.toThrow(/0001_table.sql was changed/);
  });
});
