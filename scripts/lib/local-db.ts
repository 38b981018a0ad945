// Prepares a database on a local Postgres: creates it, migrates it (the production set, then the local-only one in
// migrations/local/) and gives the worker a non-owner login role.
import pg from "pg";
import { runMigrations } from "./migrate.ts";
import { adminQuery, type RunningPostgres } from "./postgres.ts";

/** Local-only credentials of the worker's login role (a member of bookra_app: no superuser, owns nothing). */
export const LOCAL_APP_ROLE = "bookra_worker";
export const LOCAL_APP_PASSWORD = "bookra-worker-local";

async function databaseExists(server: RunningPostgres, name: string): Promise<boolean> {
  const r = await adminQuery(server.adminUrl(), "SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  return r.rowCount === 1;
}

async function ensureAppRole(server: RunningPostgres): Promise<void> {
  await adminQuery(
    server.adminUrl(),
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${LOCAL_APP_ROLE}') THEN
         CREATE ROLE ${LOCAL_APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '${LOCAL_APP_PASSWORD}';
       END IF;
     END $$`,
  );
}

/** Creates (if needed) and migrates `name`; returns the superuser URL and the app role's URL for it. */
export async function prepareDatabase(
  server: RunningPostgres,
  name: string,
  opts: { template?: string } = {},
): Promise<{ adminUrl: string; appUrl: string; created: boolean }> {
  let created = false;
  if (!(await databaseExists(server, name))) {
    const template = opts.template ? ` TEMPLATE ${pg.escapeIdentifier(opts.template)}` : "";
    await adminQuery(server.adminUrl(), `CREATE DATABASE ${pg.escapeIdentifier(name)}${template}`);
    created = true;
  }
  const adminUrl = server.adminUrl(name);
  if (!opts.template) await runMigrations(adminUrl, { local: true });
  await ensureAppRole(server);
  // bookra_app is created by the first migration; membership is granted per cluster.
  await adminQuery(adminUrl, `GRANT bookra_app TO ${LOCAL_APP_ROLE}`);
  await adminQuery(adminUrl, `GRANT CONNECT ON DATABASE ${pg.escapeIdentifier(name)} TO ${LOCAL_APP_ROLE}`);
  const appUrl = `postgres://${LOCAL_APP_ROLE}:${LOCAL_APP_PASSWORD}@127.0.0.1:${server.port}/${name}`;
  return { adminUrl, appUrl, created };
}
