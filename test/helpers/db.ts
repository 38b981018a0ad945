// Per-test-file databases cloned from the migrated template, reached through the production Neon driver.
import pg from "pg";
import { inject } from "vitest";
import { LOCAL_APP_PASSWORD, LOCAL_APP_ROLE } from "../../scripts/lib/local-db.ts";
import { Database } from "../../worker/src/db/client.ts";
import { randomString } from "../../worker/src/lib/ids.ts";
import { ignoreTermination, trackConnections } from "./pg-lifecycle.ts";

export interface TestDatabase {
  name: string;
  db: Database;
  appUrl: string;
  adminUrl: string;
  proxyPort: number;
  /** Superuser query on this database (bypasses RLS): for assertions about what is really stored. */
  admin<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Another Neon-driver handle on this database (e.g. a one-connection pool); its `close()` resolves once every
   * connection is really closed, and `drop()` waits for any still open.
   */
  open(opts?: { maxConnections?: number }): Database;
  drop(): Promise<void>;
}

/** A superuser client on the cluster's maintenance database (never the one being dropped). */
async function rootClient(adminUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on("error", ignoreTermination);
  await client.connect();
  return client;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const cfg = inject("testDb");
  const name = `t_${randomString(12)}`;
  const root = await rootClient(cfg.adminUrl);
  await root.query(`CREATE DATABASE ${name} TEMPLATE ${cfg.template}`);
  await root.query(`GRANT CONNECT ON DATABASE ${name} TO ${LOCAL_APP_ROLE}`);
  await root.end();
  const adminUrl = cfg.adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const appUrl = `postgres://${LOCAL_APP_ROLE}:${LOCAL_APP_PASSWORD}@127.0.0.1:${cfg.port}/${name}`;
  // Every pool is tracked: pg-pool's end() resolves before its connections have closed, and a connection still
  // closing when the database is dropped WITH (FORCE) would receive a FATAL 57P01 nobody listens for.
  const closers: (() => Promise<void>)[] = [];
  const open = (maxConnections: number) => {
    const handle = new Database({ databaseUrl: appUrl, wsProxy: `127.0.0.1:${cfg.proxyPort}`, maxConnections });
    const closed = trackConnections(handle.pool);
    closers.push(closed);
    const close = handle.close.bind(handle);
    handle.close = async () => {
      await close();
      await closed();
    };
    return handle;
  };
  const db = open(60);
  const adminPool = new pg.Pool({ connectionString: adminUrl, max: 4 });
  adminPool.on("error", ignoreTermination);
  closers.push(trackConnections(adminPool));
  return {
    name,
    db,
    appUrl,
    adminUrl,
    proxyPort: cfg.proxyPort,
    admin: async (text, params) => (await adminPool.query(text, params)).rows,
    open: (opts = {}) => open(opts.maxConnections ?? 10),
    drop: async () => {
      await db.close();
      await adminPool.end();
      // Resolved by the connections' own 'end' events: nothing of this process talks to the database any more.
      await Promise.all(closers.map((closed) => closed()));
      // What is left are sessions the local proxy pools for reuse (and a worker's, once stopped): FORCE ends them.
      const c = await rootClient(cfg.adminUrl);
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
