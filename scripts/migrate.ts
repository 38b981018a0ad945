// `npm run db:migrate`: applies the production set, migrations/NNNN_*.sql, to DATABASE_URL (an owner role's URL: local
// or Neon). Never the local-only set in migrations/local/ (cross-tenant developer tools): only the local stack applies it.
import { runMigrations } from "./lib/migrate.ts";

const url = process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL;
if (!url) {
  console.error(
    "Set DATABASE_URL (or MIGRATION_DATABASE_URL) to the database to migrate, as a role that may own tables.",
  );
  process.exit(2);
}
const result = await runMigrations(url);
for (const name of result.applied) console.log(`applied  ${name}`);
console.log(`${result.applied.length} applied, ${result.skipped.length} already applied`);
