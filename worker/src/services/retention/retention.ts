// The retention sweep (cron): old finished rows of the outbox, its completions and webhook deliveries, and expired
// idempotency keys are deleted through retention_sweep() (migration 0010), a SECURITY DEFINER function owned by a role
// that may delete only those rows, so the app role itself keeps no DELETE on them. Periods (set in SQL there):
// outbox rows 'done' for 30 days (with their completions and deliveries), deliveries of done rows older than 30 days,
// idempotency keys 48 h after creation. Pending, failed and dead outbox rows are never swept. Dashboard sessions and
// one-time tokens go 30 days after they ended or expired (auth_retention_sweep(), migration 0015).
import type { Database } from "../../db/client.ts";

/** At most this many rows of each kind per cron run (the function clamps it to 1…5,000): one run stays short. */
const RETENTION_BATCH = 1000;

export interface RetentionResult {
  outbox: number;
  webhookDeliveries: number;
  idempotencyKeys: number;
  /** Dashboard sessions that ended, and one-time tokens that expired, 30 days ago (auth_retention_sweep(), 0015). */
  sessions: number;
  authTokens: number;
}

export async function sweepRetention(db: Database, limit = RETENTION_BATCH): Promise<RetentionResult> {
  const r = await db.pool.query<{
    outbox_deleted: number;
    deliveries_deleted: number;
    idempotency_keys_deleted: number;
  }>("SELECT outbox_deleted, deliveries_deleted, idempotency_keys_deleted FROM retention_sweep($1)", [limit]);
  const row = r.rows[0];
  const auth = await db.pool.query<{ sessions_deleted: number; tokens_deleted: number }>(
    "SELECT sessions_deleted, tokens_deleted FROM auth_retention_sweep($1)",
    [limit],
  );
  return {
    outbox: row?.outbox_deleted ?? 0,
    webhookDeliveries: row?.deliveries_deleted ?? 0,
    idempotencyKeys: row?.idempotency_keys_deleted ?? 0,
    sessions: auth.rows[0]?.sessions_deleted ?? 0,
    authTokens: auth.rows[0]?.tokens_deleted ?? 0,
  };
}
