// Database access: the production Neon driver (WebSocket Pool, interactive transactions) behind one helper that opens
// every tenant transaction with the tenant set (SET LOCAL semantics), so row-level security always applies.
import { neonConfig, Pool } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { translateDbError } from "../errors.ts";
import * as schema from "./schema.ts";

export type Db = NeonDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface DbConfig {
  databaseUrl: string;
  /** Local only: `127.0.0.1:PORT` of the loopback WebSocket→TCP proxy in front of a plain Postgres. */
  wsProxy?: string | undefined;
  maxConnections?: number;
}

function configureDriver(wsProxy: string | undefined): void {
  if (wsProxy) {
    neonConfig.wsProxy = (host, port) => `${wsProxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
}

export class Database {
  readonly db: Db;
  readonly pool: Pool;

  constructor(config: DbConfig) {
    configureDriver(config.wsProxy);
    this.pool = new Pool({ connectionString: config.databaseUrl, max: config.maxConnections ?? 10 });
    // A dropped idle connection must not crash the process: the next query simply opens another.
    this.pool.on("error", () => {});
    this.db = drizzle({ client: this.pool, schema });
  }

  /** Runs fn in one transaction scoped to the tenant; database errors come out translated (23P01 → 409 …). */
  async withTenantTx<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT set_config('app.tenant_id', ${tenantId}, true)`);
        return fn(tx);
      });
    } catch (err) {
      throw translateDbError(err);
    }
  }

  /** Resolves a public slug to its tenant id through the narrow SECURITY DEFINER look-up. */
  async tenantIdForSlug(slug: string): Promise<string | null> {
    const r = await this.pool.query<{ id: string | null }>("SELECT tenant_id_for_slug($1) AS id", [slug]);
    return r.rows[0]?.id ?? null;
  }

  async apiKeyPrincipal(keyHash: string): Promise<{ keyId: string; tenantId: string } | null> {
    const r = await this.pool.query<{ key_id: string; tenant_id: string }>(
      "SELECT key_id, tenant_id FROM api_key_principal($1)",
      [keyHash],
    );
    const row = r.rows[0];
    return row ? { keyId: row.key_id, tenantId: row.tenant_id } : null;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
