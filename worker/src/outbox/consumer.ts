// The queue consumer: each message is acknowledged on its own after its row is processed.
// The side-effect handlers arrive with the outbox issue; for now a row is marked done once delivered.
import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { outbox } from "../db/schema.ts";
import { isOutboxMessage } from "./messages.ts";

export async function consumeOutboxBatch(db: Database, batch: MessageBatch<unknown>): Promise<void> {
  for (const message of batch.messages) {
    if (!isOutboxMessage(message.body)) {
      console.warn(JSON.stringify({ level: "warn", msg: "dropping malformed outbox message", id: message.id }));
      message.ack();
      continue;
    }
    const { outboxId, tenantId } = message.body;
    try {
      await db.withTenantTx(tenantId, (tx) =>
        tx
          .update(outbox)
          .set({ status: "done", processedAt: new Date(), attempts: message.attempts })
          .where(and(eq(outbox.id, outboxId), eq(outbox.status, "pending"))),
      );
      message.ack();
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "outbox message failed", outboxId, error: String(err) }));
      message.retry({ delaySeconds: Math.min(300, 2 ** message.attempts) });
    }
  }
}
