// An empty database on the test cluster (not cloned from the template): for what must be proved of migrations alone.
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { runMigrations } from "../../scripts/lib/migrate.ts";
import { randomString } from "../../worker/src/lib/ids.ts";

export interface FreshDatabase {
  name: string;
  url: string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export async function createFreshDatabase(): Promise<FreshDatabase> {
  const cfg = inject("testDb");
  const name = `f_${randomString(12)}`;
  const root = new pg.Client({ connectionString: cfg.adminUrl });
  await root.connect();
  await root.query(`CREATE DATABASE ${name}`);
  await root.end();
  const url = cfg.adminUrl.replace(/\/[^/]*$/, `/${name}`);
  return {
    name,
    url,
    query: async (text, params) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(text, params)).rows;
      } finally {
        await c.end();
      }
    },
    drop: async () => {
      const c = new pg.Client({ connectionString: cfg.adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Call at the top of a test file: a fresh database migrated with the production set only, as `npm run db:migrate`
 * applies it (no local-only migrations), created before the file's tests and dropped after.
 */
export function useProductionDatabase(): { readonly db: FreshDatabase } {
  const holder = {} as { db: FreshDatabase };
  beforeAll(async () => {
    holder.db = await createFreshDatabase();
    await runMigrations(holder.db.url);
  });
  afterAll(async () => {
    await holder.db?.drop();
  });
  return holder;
}
