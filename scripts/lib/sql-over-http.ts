// Neon's SQL-over-HTTP endpoint, served locally by the loopback proxy so the production driver's `neon()` /
// `transaction([...])` path (neonConfig.fetchEndpoint) runs unchanged against a plain Postgres. One POST is one
// statement (autocommit) or one non-interactive transaction ({queries: [...]}); the answer has Neon's shape: raw text
// values with their type oids (the driver parses them with the same pg-types as the WebSocket path), or on a database
// error HTTP 400 with the error's fields (code, constraint, detail …), which the driver copies onto its NeonDbError.
import type { IncomingMessage, ServerResponse } from "node:http";
import pg from "pg";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);
/** Largest request body accepted (Neon's own limit is 64 MB; our statements are a few kB). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const ISOLATION: Record<string, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};
/** The error fields Neon's endpoint returns and the driver copies onto NeonDbError. */
const ERROR_FIELDS = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;
/** Every value comes back as Postgres sent it (text): the driver on the other side parses it. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

interface QueryData {
  query: string;
  params?: unknown[];
}

class BadRequest extends Error {}

export class SqlOverHttp {
  private readonly pools = new Map<string, pg.Pool>();

  /** The database and application_name a request's connection string names (for the proxy's counters). */
  static clientOf(req: IncomingMessage): { database: string | null; application: string | null } {
    const conn = req.headers["neon-connection-string"];
    try {
      const url = new URL(String(conn));
      return {
        database: decodeURIComponent(url.pathname.slice(1)) || null,
        application: url.searchParams.get("application_name"),
      };
    } catch {
      return { database: null, application: null };
    }
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    let pool: pg.Pool;
    try {
      pool = this.poolFor(req.headers["neon-connection-string"]);
      body = JSON.parse(await readBody(req));
    } catch (err) {
      return reply(res, 400, { message: err instanceof BadRequest ? err.message : "malformed request body" });
    }
    const batch = body as { queries?: QueryData[] } & QueryData;
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      return reply(res, 500, { message: `cannot connect to the database: ${(err as Error).message}` });
    }
    let broken = false;
    try {
      if (Array.isArray(batch.queries)) {
        const results = await this.transaction(client, batch.queries, req);
        reply(res, 200, { results });
      } else if (typeof batch.query === "string") {
        reply(res, 200, await runOne(client, batch));
      } else {
        reply(res, 400, { message: "expected {query, params} or {queries: [...]}" });
      }
    } catch (err) {
      if (err instanceof pg.DatabaseError) {
        const fields: Record<string, unknown> = { message: err.message };
        for (const f of ERROR_FIELDS) if (err[f] !== undefined) fields[f] = err[f];
        reply(res, 400, fields);
      } else {
        broken = true;
        reply(res, 500, { message: (err as Error).message });
      }
    } finally {
      client.release(broken);
    }
  }

  private async transaction(client: pg.PoolClient, queries: QueryData[], req: IncomingMessage): Promise<unknown[]> {
    const isolation = header(req, "neon-batch-isolation-level");
    const readOnly = header(req, "neon-batch-read-only") === "true";
    const deferrable = header(req, "neon-batch-deferrable") === "true";
    const modes = [
      isolation && ISOLATION[isolation] ? `ISOLATION LEVEL ${ISOLATION[isolation]}` : "",
      readOnly ? "READ ONLY" : "",
      deferrable ? "DEFERRABLE" : "",
    ].filter(Boolean);
    await client.query(`BEGIN ${modes.join(" ")}`);
    try {
      const results: unknown[] = [];
      for (const q of queries) results.push(await runOne(client, q));
      await client.query("COMMIT");
      return results;
    } catch (err) {
      await client.query("ROLLBACK");
      throw err;
    }
  }

  private poolFor(connectionString: string | string[] | undefined): pg.Pool {
    if (typeof connectionString !== "string") throw new BadRequest("missing Neon-Connection-String header");
    let url: URL;
    try {
      url = new URL(connectionString);
    } catch {
      throw new BadRequest("Neon-Connection-String is not a URL");
    }
    if (!LOOPBACK.has(url.hostname)) throw new BadRequest("only loopback databases are served");
    let pool = this.pools.get(connectionString);
    if (!pool) {
      // Bounded like the pooler behind Neon's endpoint: a request beyond it waits for a session.
      pool = new pg.Pool({ connectionString: connectionString.replace("localhost", "127.0.0.1"), max: 10 });
      // A server connection dropped while idle (e.g. its database was dropped) is simply replaced.
      pool.on("error", () => {});
      this.pools.set(connectionString, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.end()));
    this.pools.clear();
  }
}

/** One statement, always through the extended protocol (as Neon's endpoint: one statement per query, no `;` chains). */
async function runOne(client: pg.PoolClient, q: QueryData): Promise<unknown> {
  if (typeof q?.query !== "string") throw new BadRequest("each query needs a `query` string");
  const result = await client.query({
    text: q.query,
    values: q.params ?? [],
    rowMode: "array",
    types: RAW_TEXT,
    queryMode: "extended",
  } as pg.QueryConfig & { queryMode: "extended" });
  return {
    command: result.command,
    rowCount: result.rowCount,
    rowAsArray: true,
    fields: result.fields.map((f) => ({
      name: f.name,
      tableID: f.tableID,
      columnID: f.columnID,
      dataTypeID: f.dataTypeID,
      dataTypeSize: f.dataTypeSize,
      dataTypeModifier: f.dataTypeModifier,
      format: f.format,
    })),
    rows: result.rows,
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === "string" ? v : undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest("request body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
