// Relay: after commit, outbox ids go to the queue; the cron sweep re-sends rows that are still pending after a delay,
// so a crash between commit and send loses nothing (invariant 2).
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { outbox } from "../db/schema.ts";
import type { OutboxMessage } from "./messages.ts";

export interface QueueSender {
  sendBatch(messages: { body: OutboxMessage }[]): Promise<unknown>;
}

/** Sends the given rows and stamps enqueued_at, so the sweep waits before sending them again. */
export async function relayOutbox(db: Database, queue: QueueSender, rows: OutboxMessage[]): Promise<void> {
  if (rows.length === 0) return;
  for (let i = 0; i < rows.length; i += 100) {
    await queue.sendBatch(rows.slice(i, i + 100).map((body) => ({ body })));
  }
  const byTenant = new Map<string, string[]>();
  for (const r of rows) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r.outboxId]);
  for (const [tenantId, ids] of byTenant) {
    await db.withTenantTx(tenantId, (tx) =>
      tx.update(outbox).set({ enqueuedAt: new Date() }).where(and(inArray(outbox.id, ids), eq(outbox.status, "pending"))),
    );
  }
}

export async function sweepOutbox(db: Database, queue: QueueSender, olderThanSeconds = 30, limit = 500): Promise<number> {
  const r = await db.pool.query<{ id: string; tenant_id: string }>("SELECT id, tenant_id FROM outbox_due($1, $2)", [olderThanSeconds, limit]);
  await relayOutbox(db, queue, r.rows.map((row) => ({ outboxId: row.id, tenantId: row.tenant_id })));
  return r.rows.length;
}
