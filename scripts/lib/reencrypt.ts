// Moves every stored secret (webhook signing secrets, calendar refresh tokens) to the first key of
// DATA_ENCRYPTION_KEYS: legacy plaintext rows are encrypted, rows under an older key re-encrypted. The worker does
// the same lazily when it reads a row; this finishes the job so an old key can be removed from the list. Runs as a
// role that bypasses row-level security (the migration owner); each row is rewritten only if it still holds what was
// read, so it is safe beside a running worker.
import pg from "pg";
import { calendarTokenContext } from "../../worker/src/effects/calendar-connections.ts";
import { type DataKeys, decryptSecret, encryptSecret, needsReencryption } from "../../worker/src/lib/encryption.ts";
import { webhookSecretContext } from "../../worker/src/services/webhooks/signature.ts";

const COLUMNS = [
  { table: "webhook_endpoints", key: "id", column: "secret", context: webhookSecretContext },
  { table: "staff_calendar_connections", key: "staff_id", column: "refresh_token", context: calendarTokenContext },
] as const;

export interface ReencryptResult {
  /** Rows rewritten, per table. */
  rewritten: Record<string, number>;
  /** Rows still not under the first key afterwards (changed meanwhile: run again). */
  remaining: number;
}

export async function reencryptSecrets(databaseUrl: string, keys: DataKeys): Promise<ReencryptResult> {
  const ssl = /sslmode=require|neon\.tech/.test(databaseUrl) ? { rejectUnauthorized: true } : undefined;
  const client = new pg.Client({ connectionString: databaseUrl, ssl });
  await client.connect();
  const result: ReencryptResult = { rewritten: {}, remaining: 0 };
  try {
    const current = `enc:v1:${keys.primaryKid}:%`;
    for (const c of COLUMNS) {
      const rows = await client.query<{ id: string; value: string }>(
        `SELECT ${c.key} AS id, ${c.column} AS value FROM ${c.table} WHERE ${c.column} NOT LIKE $1`,
        [current],
      );
      let n = 0;
      for (const row of rows.rows) {
        if (!needsReencryption(keys, row.value)) continue;
        const plain = await decryptSecret(keys, row.value, c.context(row.id));
        const updated = await client.query(
          `UPDATE ${c.table} SET ${c.column} = $3 WHERE ${c.key} = $1 AND ${c.column} = $2`,
          [row.id, row.value, await encryptSecret(keys, plain, c.context(row.id))],
        );
        n += updated.rowCount ?? 0;
      }
      result.rewritten[c.table] = n;
      const left = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${c.table} WHERE ${c.column} NOT LIKE $1`,
        [current],
      );
      result.remaining += left.rows[0]?.n ?? 0;
    }
  } finally {
    await client.end();
  }
  return result;
}
