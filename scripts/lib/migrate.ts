// Applies migrations to any Postgres (local or Neon), each once, recorded in schema_migrations with its checksum.
//
// Two sets: migrations/NNNN_*.sql is production (what `npm run db:migrate` applies), and migrations/local/NNNN_*.sql
// holds local developer tools (the cross-tenant dev mailbox) that only the local stack and the tests apply, after the
// production set, recorded as `local/NNNN_….sql`.
//
// A file whose first line is `-- bookra:no-transaction` runs outside a transaction, one statement at a time (for
// CREATE INDEX CONCURRENTLY, which refuses to run in one). Write such a file so that running it again after a failure
// halfway is safe (IF NOT EXISTS, and drop an INVALID index left by a failed concurrent build first).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";

const MIGRATIONS_DIR = resolve(import.meta.dirname, "../../migrations");
const LOCAL_MIGRATIONS_DIR = resolve(MIGRATIONS_DIR, "local");

const NO_TRANSACTION = /^-- bookra:no-transaction[ \t]*\r?\n/;

export interface Migration {
  /** As recorded in schema_migrations: the file name, prefixed with `local/` for the local set. */
  name: string;
  sql: string;
  checksum: string;
  transaction: boolean;
}

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

export interface MigrateOptions {
  /** The production set's folder (tests point it elsewhere). */
  dir?: string;
  /** Also apply the local-only set, after the production one: the local stack and the tests, never production. */
  local?: boolean;
  localDir?: string;
}

export function listMigrations(dir = MIGRATIONS_DIR, prefix = ""): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), "utf8");
      return {
        name: prefix + file,
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
        transaction: !NO_TRANSACTION.test(sql),
      };
    });
}

/**
 * Splits SQL text into statements at top-level semicolons (outside quotes, dollar quotes and comments), for the
 * files that run outside a transaction: a multi-statement query string is an implicit transaction in Postgres.
 */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "-" && text[i + 1] === "-") {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && !(text[j] === c && text[j + 1] !== c)) j += text[j] === c ? 2 : 1;
      i = j + 1;
    } else if (c === "$") {
      const tag = /^\$[A-Za-z_][A-Za-z0-9_]*\$|^\$\$/.exec(text.slice(i))?.[0];
      if (tag) {
        const end = text.indexOf(tag, i + tag.length);
        i = end < 0 ? text.length : end + tag.length;
      } else i++;
    } else if (c === ";") {
      out.push(text.slice(start, i));
      start = ++i;
    } else i++;
  }
  out.push(text.slice(start));
  return out.filter((s) => /\S/.test(s.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, "")));
}

/** Safe to run twice and from two processes at once: an advisory lock serialises runners. */
export async function runMigrations(databaseUrl: string, opts: MigrateOptions = {}): Promise<MigrationResult> {
  const ssl = /sslmode=require|neon\.tech/.test(databaseUrl) ? { rejectUnauthorized: true } : undefined;
  const client = new pg.Client({ connectionString: databaseUrl, ssl });
  await client.connect();
  const result: MigrationResult = { applied: [], skipped: [] };
  const migrations = [
    ...listMigrations(opts.dir ?? MIGRATIONS_DIR),
    ...(opts.local ? listMigrations(opts.localDir ?? LOCAL_MIGRATIONS_DIR, "local/") : []),
  ];
  try {
    await client.query("SELECT pg_advisory_lock(7261001)");
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map(
      (await client.query<{ name: string; checksum: string }>("SELECT name, checksum FROM schema_migrations")).rows.map(
        (r) => [r.name, r.checksum],
      ),
    );
    for (const m of migrations) {
      const seen = done.get(m.name);
      if (seen !== undefined) {
        if (seen !== m.checksum) throw new Error(`migration ${m.name} was changed after it was applied`);
        result.skipped.push(m.name);
        continue;
      }
      if (m.transaction) await applyInTransaction(client, m);
      else await applyOutsideTransaction(client, m);
      result.applied.push(m.name);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock(7261001)").catch(() => {});
    await client.end();
  }
  return result;
}

async function applyInTransaction(client: pg.Client, m: Migration): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(m.sql);
    await record(client, m);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
  }
}

/** Statement by statement, each committed on its own; recorded only once every statement has run. */
async function applyOutsideTransaction(client: pg.Client, m: Migration): Promise<void> {
  for (const statement of splitStatements(m.sql)) {
    try {
      await client.query(statement);
    } catch (err) {
      throw new Error(`migration ${m.name} (no-transaction) failed: ${(err as Error).message}`);
    }
  }
  await record(client, m);
}

async function record(client: pg.Client, m: Migration): Promise<void> {
  await client.query("INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", [m.name, m.checksum]);
}
