// The outbox row's life as the consumer sees it: read the event, then mark it done, failed (retry scheduled) or dead.
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Database, OutboxRef, TxSession } from "../db/client.ts";
import { outbox } from "../db/schema.ts";
import type { OutboxEvent } from "./types.ts";

export type OutboxStatus = (typeof outbox.$inferSelect)["status"];

const MAX_ERROR_LENGTH = 2000;

export async function loadEvent(
  db: Database,
  ref: OutboxRef,
): Promise<{ event: OutboxEvent; status: OutboxStatus } | null> {
  return db.withTenantTx(ref.tenantId, async (tx) => {
    const [row] = await tx.select().from(outbox).where(eq(outbox.id, ref.outboxId));
    if (!row) return null;
    const event = {
      id: row.id,
      tenantId: row.tenantId,
      type: row.eventType,
      aggregateId: row.aggregateId,
      payload: row.payload,
      createdAt: row.createdAt,
    };
    return { event, status: row.status };
  });
}

export async function markDone(db: Database, ref: OutboxRef, now: Date): Promise<void> {
  await db.withTenantTx(ref.tenantId, (tx, session) =>
    finishWith(
      session,
      tx
        .update(outbox)
        .set({ status: "done", processedAt: now, attempts: sql`${outbox.attempts} + 1` })
        .where(and(eq(outbox.id, ref.outboxId), inArray(outbox.status, ["pending", "failed", "dead"]))),
    ),
  );
}

/** enqueued_at becomes the time the retry is due: the sweep re-sends the row only if that time is long past. */
export async function markFailed(db: Database, ref: OutboxRef, error: string, retryAt: Date): Promise<void> {
  await db.withTenantTx(ref.tenantId, (tx, session) =>
    finishWith(
      session,
      tx
        .update(outbox)
        .set({
          status: "failed",
          attempts: sql`${outbox.attempts} + 1`,
          lastError: truncate(error),
          enqueuedAt: retryAt,
        })
        .where(and(eq(outbox.id, ref.outboxId), inArray(outbox.status, ["pending", "failed"]))),
    ),
  );
}

export async function markDead(db: Database, ref: OutboxRef, now: Date): Promise<void> {
  await db.withTenantTx(ref.tenantId, (tx, session) =>
    finishWith(
      session,
      tx
        .update(outbox)
        .set({
          status: "dead",
          processedAt: now,
          lastError: sql`coalesce(${outbox.lastError}, 'Delivery attempts exhausted')`,
        })
        .where(and(eq(outbox.id, ref.outboxId), inArray(outbox.status, ["pending", "failed"]))),
    ),
  );
}

/** A one-statement transaction: BEGIN, the statement and COMMIT travel in one round trip. */
async function finishWith(session: TxSession, statement: { getSQL(): SQL }): Promise<void> {
  await session.finish(statement.getSQL());
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
