// The emulator's state in its own Postgres database, so it survives a restart: every Stripe object as JSON, the
// idempotency records, scheduled jobs (webhook deliveries, refund settlement, session expiry) and settings.
import pg from "pg";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS emu_objects (
  id text PRIMARY KEY,
  account text NOT NULL,
  type text NOT NULL,
  seq bigserial,
  payout text,
  data jsonb NOT NULL,
  extra jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS emu_objects_by_type ON emu_objects (account, type, seq);
CREATE TABLE IF NOT EXISTS emu_idempotency (
  account text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status int NOT NULL,
  body text NOT NULL,
  created_ms bigint NOT NULL,
  PRIMARY KEY (account, key)
);
CREATE TABLE IF NOT EXISTS emu_jobs (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  ref text NOT NULL,
  attempt int NOT NULL DEFAULT 1,
  due_ms bigint NOT NULL,
  done_ms bigint,
  outcome text
);
CREATE INDEX IF NOT EXISTS emu_jobs_due ON emu_jobs (due_ms) WHERE done_ms IS NULL;
CREATE TABLE IF NOT EXISTS emu_settings (key text PRIMARY KEY, value jsonb NOT NULL);
`;

/** Jobs due by the business clock (the emulator's `clock` option); all others follow the wall clock. */
const BUSINESS_TIME_JOBS = ["expire_session"];

export interface StoredObject<T> {
  id: string;
  account: string;
  type: string;
  data: T;
  extra: Record<string, unknown>;
  payout: string | null;
}

export interface Job {
  id: string;
  kind: string;
  ref: string;
  attempt: number;
  dueMs: number;
}

/** One transaction's view of the state. */
export class Tx {
  constructor(private readonly client: pg.PoolClient) {}

  async get<T>(id: string): Promise<StoredObject<T> | null> {
    const r = await this.client.query("SELECT id, account, type, data, extra, payout FROM emu_objects WHERE id = $1", [
      id,
    ]);
    return (r.rows[0] as StoredObject<T> | undefined) ?? null;
  }

  async put(
    obj: { id: string; object: string },
    account: string,
    opts: { extra?: Record<string, unknown>; payout?: string | null } = {},
  ): Promise<void> {
    await this.client.query(
      `INSERT INTO emu_objects (id, account, type, data, extra, payout) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data,
         extra = CASE WHEN $7 THEN EXCLUDED.extra ELSE emu_objects.extra END,
         payout = COALESCE(EXCLUDED.payout, emu_objects.payout)`,
      [
        obj.id,
        account,
        obj.object,
        JSON.stringify(obj),
        JSON.stringify(opts.extra ?? {}),
        opts.payout ?? null,
        !!opts.extra,
      ],
    );
  }

  /** Objects of one type on one account, oldest first; `where` filters on the stored JSON (`data @> where`). */
  async list<T>(account: string, type: string, where: Record<string, unknown> = {}): Promise<StoredObject<T>[]> {
    const r = await this.client.query(
      `SELECT id, account, type, data, extra, payout FROM emu_objects
       WHERE account = $1 AND type = $2 AND data @> $3 ORDER BY seq`,
      [account, type, JSON.stringify(where)],
    );
    return r.rows as StoredObject<T>[];
  }

  async listByPayout<T>(account: string, payout: string): Promise<StoredObject<T>[]> {
    const r = await this.client.query(
      `SELECT id, account, type, data, extra, payout FROM emu_objects
       WHERE account = $1 AND type = 'balance_transaction' AND payout = $2 ORDER BY seq`,
      [account, payout],
    );
    return r.rows as StoredObject<T>[];
  }

  /** Balance transactions of an account that no payout has swept yet. */
  async unpaidBalanceTransactions<T>(account: string): Promise<StoredObject<T>[]> {
    const r = await this.client.query(
      `SELECT id, account, type, data, extra, payout FROM emu_objects
       WHERE account = $1 AND type = 'balance_transaction' AND payout IS NULL ORDER BY seq`,
      [account],
    );
    return r.rows as StoredObject<T>[];
  }

  async setPayout(ids: string[], payout: string): Promise<void> {
    await this.client.query("UPDATE emu_objects SET payout = $2 WHERE id = ANY($1)", [ids, payout]);
  }

  /** The answer remembered for `key` on `account`, if it was made after `sinceMs` (older keys are forgotten). */
  async idempotent(
    account: string,
    key: string,
    sinceMs: number,
  ): Promise<{ hash: string; status: number; body: string } | null> {
    const r = await this.client.query(
      `SELECT request_hash AS hash, status, body FROM emu_idempotency
       WHERE account = $1 AND key = $2 AND created_ms >= $3`,
      [account, key, sinceMs],
    );
    return r.rows[0] ?? null;
  }

  async remember(account: string, key: string, hash: string, status: number, body: string, nowMs: number) {
    await this.client.query(
      `INSERT INTO emu_idempotency (account, key, request_hash, status, body, created_ms) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (account, key) DO UPDATE SET request_hash = $3, status = $4, body = $5, created_ms = $6`,
      [account, key, hash, status, body, nowMs],
    );
  }

  async addJob(kind: string, ref: string, dueMs: number, attempt = 1): Promise<void> {
    await this.client.query("INSERT INTO emu_jobs (kind, ref, attempt, due_ms) VALUES ($1, $2, $3, $4)", [
      kind,
      ref,
      attempt,
      Math.round(dueMs),
    ]);
  }

  async finishJob(id: string, outcome: string, nowMs: number): Promise<void> {
    await this.client.query("UPDATE emu_jobs SET done_ms = $2, outcome = $3 WHERE id = $1", [id, nowMs, outcome]);
  }

  /** What became of each delivery of an event: `[attempt, outcome]`, outcome null while pending. */
  async deliveries(eventId: string): Promise<{ attempt: number; outcome: string | null }[]> {
    const r = await this.client.query(
      "SELECT attempt, outcome FROM emu_jobs WHERE kind = 'deliver' AND ref = $1 ORDER BY id",
      [eventId],
    );
    return r.rows;
  }

  async setting<T>(key: string): Promise<T | undefined> {
    const r = await this.client.query("SELECT value FROM emu_settings WHERE key = $1", [key]);
    return r.rows[0]?.value as T | undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await this.client.query(
      "INSERT INTO emu_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
      [key, JSON.stringify(value)],
    );
  }
}

/**
 * Every transaction runs alone (one writer at a time): the emulator is a test double, not a database benchmark, and
 * serial requests make idempotency and balances trivially correct.
 */
export class Store {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly pool: pg.Pool) {}

  /** Opens (creating the database and its tables if needed) the store at `databaseUrl`. */
  static async open(databaseUrl: string): Promise<Store> {
    await ensureDatabase(databaseUrl);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pool.on("error", () => {}); // an idle connection's error: the next query reconnects
    await pool.query(SCHEMA);
    return new Store(pool);
  }

  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const run = this.chain.then(async () => {
      const client = await this.pool.connect();
      try {
        await client.query("BEGIN");
        const out = await fn(new Tx(client));
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    });
    this.chain = run.catch(() => {});
    return run;
  }

  /** Jobs due by now, in due order: those of BUSINESS_TIME_JOBS by the business clock, the rest by the wall clock. */
  async dueJobs(wallMs: number, businessMs: number): Promise<Job[]> {
    const r = await this.pool.query(
      `SELECT id::text, kind, ref, attempt, due_ms::float8 AS "dueMs" FROM emu_jobs
       WHERE done_ms IS NULL AND due_ms <= CASE WHEN kind = ANY($3) THEN $2::bigint ELSE $1::bigint END
       ORDER BY due_ms, id`,
      [Math.round(wallMs), Math.round(businessMs), BUSINESS_TIME_JOBS],
    );
    return r.rows as Job[];
  }

  /** Milliseconds until the next job is due (null: none pending). */
  async nextWaitMs(wallMs: number, businessMs: number): Promise<number | null> {
    const r = await this.pool.query(
      `SELECT min(due_ms - CASE WHEN kind = ANY($3) THEN $2::bigint ELSE $1::bigint END)::float8 AS wait
       FROM emu_jobs WHERE done_ms IS NULL`,
      [Math.round(wallMs), Math.round(businessMs), BUSINESS_TIME_JOBS],
    );
    return (r.rows[0]?.wait as number | null) ?? null;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** Creates the database named in `url` on its server when it does not exist yet (needs a role that may). */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error("the Stripe emulator's databaseUrl must name a database");
  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } catch (err) {
        if ((err as { code?: string }).code !== "42P04") throw err; // created meanwhile by another starter
      }
    }
  } finally {
    await client.end();
  }
}
