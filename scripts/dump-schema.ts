// `npm run db:dump-schema`: migrates a throwaway database with the production set (migrations/NNNN_*.sql, as
// `npm run db:migrate` applies it) and writes what it holds to migrations/schema.sql (scripts/lib/schema-dump.ts).
import { rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { runMigrations } from "./lib/migrate.ts";
import { adminQuery, startPostgres } from "./lib/postgres.ts";
import { dumpSchema } from "./lib/schema-dump.ts";
import { ROOT } from "./lib/stack.ts";

const SCHEMA_FILE = resolve(ROOT, "migrations", "schema.sql");

const dataDir = resolve(ROOT, ".data", `schema-dump-${process.pid}`);
rmSync(dataDir, { recursive: true, force: true });
const server = await startPostgres({ dataDir, unsafeFast: true });
try {
  await adminQuery(server.adminUrl(), "CREATE DATABASE bookra_schema_dump");
  await runMigrations(server.adminUrl("bookra_schema_dump"));
  writeFileSync(SCHEMA_FILE, await dumpSchema(server.adminUrl("bookra_schema_dump")));
  console.log(`wrote ${SCHEMA_FILE}`);
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
