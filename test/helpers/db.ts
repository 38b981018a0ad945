// Per-test-file databases cloned from the migrated template, reached through the production Neon driver.
import pg from "pg";
import { inject } from "vitest";
import { LOCAL_APP_PASSWORD, LOCAL_APP_ROLE } from "../../scripts/lib/local-db.ts";
import { Database } from "../../worker/src/db/client.ts";
import { randomString } from "../../worker/src/lib/ids.ts";

export interface TestDatabase {
  name: string;
  db: Database;
  appUrl: string;
  adminUrl: string;
  proxyPort: number;
  /** Superuser query on this database (bypasses RLS): for assertions about what is really stored. */
  admin<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const cfg = inject("testDb");
  const name = `t_${randomString(12)}`;
  const root = new pg.Client({ connectionString: cfg.adminUrl });
  await root.connect();
  await root.query(`CREATE DATABASE ${name} TEMPLATE ${cfg.template}`);
  await root.query(`GRANT CONNECT ON DATABASE ${name} TO ${LOCAL_APP_ROLE}`);
  await root.end();
  const adminUrl = cfg.adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const appUrl = `postgres://${LOCAL_APP_ROLE}:${LOCAL_APP_PASSWORD}@127.0.0.1:${cfg.port}/${name}`;
  const db = new Database({ databaseUrl: appUrl, wsProxy: `127.0.0.1:${cfg.proxyPort}`, maxConnections: 60 });
  const adminPool = new pg.Pool({ connectionString: adminUrl, max: 4 });
  return {
    name,
    db,
    appUrl,
    adminUrl,
    proxyPort: cfg.proxyPort,
    admin: async (text, params) => (await adminPool.query(text, params)).rows,
    drop: async () => {
      await db.close();
      await adminPool.end();
      const c = new pg.Client({ connectionString: cfg.adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
