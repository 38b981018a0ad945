// The outbox for the owner: what is still pending, failing or dead, and a retry that puts a row back on the queue.
import { and, asc, eq, inArray } from "drizzle-orm";
import { noteOutboxWritten } from "../../db/client.ts";
import { outbox } from "../../db/schema/index.ts";
import { Conflict, NotFound } from "../../errors.ts";
import { looksLikeId } from "../../lib/ids.ts";
import type { OutboxItem, OutboxList, OutboxListQuery } from "../../schemas/outbox.ts";
import type { TenantCtx } from "../context.ts";
import { afterKeyset, cursorAt, decodeKeyset, pageOf } from "../staff/keyset.ts";

const listed = {
  id: outbox.id,
  type: outbox.eventType,
  aggregateId: outbox.aggregateId,
  status: outbox.status,
  attempts: outbox.attempts,
  lastError: outbox.lastError,
  createdAt: outbox.createdAt,
  processedAt: outbox.processedAt,
  cursorAt: cursorAt(outbox.createdAt),
};

interface OutboxRow {
  id: string;
  type: string;
  aggregateId: string;
  status: OutboxItem["status"];
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  processedAt: Date | null;
}

function toItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    type: row.type,
    aggregateId: row.aggregateId,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    processedAt: row.processedAt?.toISOString() ?? null,
  };
}

export async function listOutbox({ ctx, input }: { ctx: TenantCtx; input: OutboxListQuery }): Promise<OutboxList> {
  const keyset = decodeKeyset(input.cursor);
  const statuses = input.status ? [input.status] : (["pending", "failed", "dead"] as const);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const rows = await tx
      .select(listed)
      .from(outbox)
      .where(and(inArray(outbox.status, [...statuses]), afterKeyset(outbox.createdAt, outbox.id, keyset)))
      .orderBy(asc(outbox.createdAt), asc(outbox.id))
      .limit(input.limit + 1);
    return pageOf(rows, input.limit, toItem);
  });
}

/** A failed, dead or stuck pending row goes (back) to pending and, after commit, to the queue; done rows stay done. */
export async function retryOutbox({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<OutboxItem> {
  if (!looksLikeId("evt", input.id)) throw new NotFound("Outbox event");
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [row] = await tx.select({ status: outbox.status }).from(outbox).where(eq(outbox.id, input.id)).for("update");
    if (!row) throw new NotFound("Outbox event");
    if (row.status === "done") throw new Conflict("This event has already been processed");
    const [updated] = await tx
      .update(outbox)
      .set({ status: "pending", enqueuedAt: ctx.now, processedAt: null })
      .where(eq(outbox.id, input.id))
      .returning(listed);
    noteOutboxWritten(tx, [input.id]);
    return toItem(updated!);
  });
}
