// The drizzle models (worker/src/db/schema/) and the checked-in dump (migrations/schema.sql) against what the
// production migrations create. A migration that adds a column, table, key or foreign key without its model, or a
// model that names a column no migration created, fails here with the differences listed; so does a migration
// without a refreshed dump (run `npm run db:dump-schema`).
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { dumpSchema } from "../scripts/lib/schema-dump.ts";
import * as models from "../worker/src/db/schema/index.ts";
import { type FreshDatabase, useProductionDatabase } from "./helpers/fresh-db.ts";

/**
 * Tables the migrations create that deliberately have no drizzle model, and why. Everything else must have one.
 */
const NOT_MODELLED: Record<string, string> = {
  schema_migrations: "the migration runner's own record (scripts/lib/migrate.ts); the worker never reads it",
};

const SCHEMA_FILE = resolve(import.meta.dirname, "../migrations/schema.sql");

/** One table's shape, in the words both sides can be reduced to. */
interface Shape {
  /** column name → "type, not null, default, identity" */
  columns: Record<string, string>;
  primaryKey: string;
  unique: string[];
  /** "(cols) → table(cols) on delete …" */
  foreignKeys: string[];
}

/** Spellings of one SQL type, as drizzle and format_type() write them, reduced to one. */
function normaliseType(type: string): string {
  return type
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/^character\((\d+)\)/, "char($1)")
    .replace(/^character varying/, "varchar")
    .replace(/^timestamptz/, "timestamp with time zone")
    .replace(/^timestamp \((\d)\)/, "timestamp($1)")
    .replace(/^int4\b|^int\b/, "integer")
    .replace(/^int8\b/, "bigint")
    .replace(/^int2\b/, "smallint")
    .replace(/^bool\b/, "boolean");
}

function column(type: string, notNull: boolean, hasDefault: boolean, identity: string | undefined): string {
  return [
    normaliseType(type),
    notNull ? "not null" : "null",
    hasDefault ? "default" : "no default",
    ...(identity ? [`identity ${identity}`] : []),
  ].join(", ");
}

const ON_DELETE: Record<string, string> = {
  a: "no action",
  r: "restrict",
  c: "cascade",
  n: "set null",
  d: "set default",
};

function foreignKey(cols: string[], table: string, refCols: string[], onDelete: string): string {
  return `(${cols.join(", ")}) → ${table}(${refCols.join(", ")}) on delete ${onDelete}`;
}

/** What the drizzle models say, per table. */
function modelShapes(): Map<string, Shape> {
  const shapes = new Map<string, Shape>();
  for (const value of Object.values(models)) {
    if (!is(value, PgTable)) continue;
    const cfg = getTableConfig(value);
    if (shapes.has(cfg.name)) throw new Error(`two models for table ${cfg.name}`);
    const pk = cfg.columns.filter((c) => c.primary).map((c) => c.name);
    for (const key of cfg.primaryKeys) pk.push(...key.columns.map((c) => c.name));
    shapes.set(cfg.name, {
      columns: Object.fromEntries(
        cfg.columns.map((c) => [
          c.name,
          column(c.getSQLType(), c.notNull, c.hasDefault && !c.generatedIdentity, c.generatedIdentity?.type),
        ]),
      ),
      primaryKey: pk.join(", "),
      unique: [
        ...cfg.columns.filter((c) => c.isUnique).map((c) => c.name),
        ...cfg.uniqueConstraints.map((u) => u.columns.map((c) => c.name).join(", ")),
      ].sort(),
      foreignKeys: cfg.foreignKeys
        .map((fk) => {
          const ref = fk.reference();
          return foreignKey(
            ref.columns.map((c) => c.name),
            getTableConfig(ref.foreignTable).name,
            ref.foreignColumns.map((c) => c.name),
            fk.onDelete ?? "no action",
          );
        })
        .sort(),
    });
  }
  return shapes;
}

/** What the migrated database says, per table (information_schema is per-role filtered; pg_catalog is not). */
async function databaseShapes(db: FreshDatabase): Promise<Map<string, Shape>> {
  const columns = await db.query<{
    table: string;
    name: string;
    type: string;
    not_null: boolean;
    has_default: boolean;
    identity: string;
  }>(`
    SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS not_null, a.atthasdef AS has_default, a.attidentity AS identity
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`);
  const constraints = await db.query<{
    table: string;
    type: "p" | "u" | "f";
    columns: string[];
    ref_table: string | null;
    ref_columns: string[] | null;
    on_delete: string;
  }>(`
    SELECT conrelid::regclass::text AS table, contype AS type,
           ARRAY(SELECT a.attname::text FROM unnest(conkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
           CASE WHEN contype = 'f' THEN confrelid::regclass::text END AS ref_table,
           ARRAY(SELECT a.attname::text FROM unnest(confkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = confrelid AND a.attnum = k.n ORDER BY k.i) AS ref_columns,
           confdeltype AS on_delete
    FROM pg_constraint
    WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'u', 'f')`);
  const shapes = new Map<string, Shape>();
  for (const c of columns) {
    const shape = shapes.get(c.table) ?? { columns: {}, primaryKey: "", unique: [], foreignKeys: [] };
    shape.columns[c.name] = column(c.type, c.not_null, c.has_default, { a: "always", d: "byDefault" }[c.identity]);
    shapes.set(c.table, shape);
  }
  for (const k of constraints) {
    const shape = shapes.get(k.table);
    if (!shape) continue;
    if (k.type === "p") shape.primaryKey = k.columns.join(", ");
    else if (k.type === "u") shape.unique.push(k.columns.join(", "));
    else
      shape.foreignKeys.push(foreignKey(k.columns, k.ref_table ?? "?", k.ref_columns ?? [], ON_DELETE[k.on_delete]!));
  }
  for (const shape of shapes.values()) {
    shape.unique.sort();
    shape.foreignKeys.sort();
  }
  return shapes;
}

/** Every difference, one readable line each: what the migrations have and the models lack, and the reverse. */
function drift(database: Map<string, Shape>, model: Map<string, Shape>): string[] {
  const out: string[] = [];
  for (const table of new Set([...database.keys(), ...model.keys()])) {
    const db = database.get(table);
    const m = model.get(table);
    if (table in NOT_MODELLED) {
      if (m) out.push(`${table}: listed as not modelled, but worker/src/db/schema/ has a model of it`);
      continue;
    }
    if (!m) {
      out.push(`${table}: created by the migrations, but no model in worker/src/db/schema/`);
      continue;
    }
    if (!db) {
      out.push(`${table}: modelled in worker/src/db/schema/, but no migration creates it`);
      continue;
    }
    for (const col of new Set([...Object.keys(db.columns), ...Object.keys(m.columns)])) {
      const a = db.columns[col];
      const b = m.columns[col];
      if (a === undefined) out.push(`${table}.${col}: modelled, but no migration creates it`);
      else if (b === undefined) out.push(`${table}.${col}: created by the migrations (${a}), but not modelled`);
      else if (a !== b) out.push(`${table}.${col}: migrations say "${a}", the model says "${b}"`);
    }
    if (db.primaryKey !== m.primaryKey)
      out.push(`${table}: primary key (${db.primaryKey}) in the migrations, (${m.primaryKey}) in the model`);
    for (const [what, a, b] of [
      ["unique", db.unique, m.unique],
      ["foreign key", db.foreignKeys, m.foreignKeys],
    ] as const) {
      for (const x of a.filter((k) => !b.includes(k)))
        out.push(`${table}: ${what} ${x} in the migrations, not in the model`);
      for (const x of b.filter((k) => !a.includes(k)))
        out.push(`${table}: ${what} ${x} in the model, not in the migrations`);
    }
  }
  return out.sort();
}

const production = useProductionDatabase();

describe("the drizzle models", () => {
  it("describe every table the migrations create: columns, types, nullability, defaults and keys", async () => {
    const database = await databaseShapes(production.db);
    const model = modelShapes();
    expect(drift(database, model)).toEqual([]);
    // Each exception is a table that exists, so the list cannot outlive what it excuses.
    for (const table of Object.keys(NOT_MODELLED)) expect(database.has(table), table).toBe(true);
    expect(model.size).toBe(database.size - Object.keys(NOT_MODELLED).length);
  });

  it("reports a column only the migrations have, one only a model has, and a changed nullability", () => {
    const shape = (columns: Record<string, string>): Shape => ({
      columns,
      primaryKey: "id",
      unique: [],
      foreignKeys: [],
    });
    const database = new Map([["t", shape({ id: "text, not null, no default", added: "integer, null, no default" })]]);
    const model = new Map([["t", shape({ id: "text, null, no default", renamed: "integer, null, no default" })]]);
    expect(drift(database, model)).toEqual([
      "t.added: created by the migrations (integer, null, no default), but not modelled",
      't.id: migrations say "text, not null, no default", the model says "text, null, no default"',
      "t.renamed: modelled, but no migration creates it",
    ]);
  });
});

describe("migrations/schema.sql", () => {
  it("is what the production migrations produce (after a schema change: npm run db:dump-schema)", async () => {
    const actual = await dumpSchema(production.db.url);
    if (process.env.BOOKRA_WRITE_SCHEMA === "1") writeFileSync(SCHEMA_FILE, actual);
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    expect(actual, "migrations/schema.sql is out of date: run `npm run db:dump-schema` and commit it").toBe(committed);
  });

  it("holds the function bodies, policies and grants, e.g. insert_booking()", () => {
    const text = readFileSync(SCHEMA_FILE, "utf8");
    expect(text).toMatch(/CREATE OR REPLACE FUNCTION public\.insert_booking\(p jsonb\)/);
    expect(text).toContain("CREATE POLICY tenant_isolation ON bookings");
    expect(text).toContain("GRANT SELECT, INSERT, UPDATE ON bookings TO bookra_app;");
  });
});
