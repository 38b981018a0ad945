// Relay: after commit, outbox ids go to the queue; the cron sweep re-sends rows that are still pending (or whose
// scheduled retry is long overdue) after a delay, so a crash between commit and send loses nothing (invariant 2).
import { and, inArray } from "drizzle-orm";
import type { Database, OutboxRef } from "../db/client.ts";
import { outbox } from "../db/schema/index.ts";
import type { OutboxMessage } from "./messages.ts";

export interface QueueSender {
  sendBatch(messages: { body: OutboxMessage }[]): Promise<unknown>;
}

const QUEUE_BATCH_LIMIT = 100;

async function sendToQueue(queue: QueueSender, rows: readonly OutboxRef[]): Promise<void> {
  for (let i = 0; i < rows.length; i += QUEUE_BATCH_LIMIT) {
    await queue.sendBatch(
      rows.slice(i, i + QUEUE_BATCH_LIMIT).map(({ outboxId, tenantId }) => ({ body: { outboxId, tenantId } })),
    );
  }
}

/**
 * Sends what transactions on this handle committed since the last call. Right after commit created_at is as good
 * as enqueued_at for the sweep, so no stamp is written (one transaction less per request).
 */
export async function relayCommitted(db: Database, queue: QueueSender): Promise<number> {
  const rows = db.takeCommittedOutbox();
  await sendToQueue(queue, rows);
  return rows.length;
}

/** Sends the given rows and stamps enqueued_at, so the sweep waits before sending them again. */
async function relayOutbox(db: Database, queue: QueueSender, rows: OutboxRef[]): Promise<void> {
  if (rows.length === 0) return;
  await sendToQueue(queue, rows);
  const byTenant = new Map<string, string[]>();
  for (const r of rows) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r.outboxId]);
  for (const [tenantId, ids] of byTenant) {
    await db.withTenantTx(tenantId, (tx) =>
      tx
        .update(outbox)
        .set({ enqueuedAt: new Date() })
        .where(and(inArray(outbox.id, ids), inArray(outbox.status, ["pending", "failed"]))),
    );
  }
}

export async function sweepOutbox(
  db: Database,
  queue: QueueSender,
  olderThanSeconds = 30,
  limit = 500,
): Promise<number> {
  const r = await db.pool.query<{ id: string; tenant_id: string }>("SELECT id, tenant_id FROM outbox_due($1, $2)", [
    olderThanSeconds,
    limit,
  ]);
  await relayOutbox(
    db,
    queue,
    r.rows.map((row) => ({ outboxId: row.id, tenantId: row.tenant_id })),
  );
  return r.rows.length;
}
