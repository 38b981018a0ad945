// Runs one handler for one event in its own tenant transaction, recording its completion in that transaction.
// The completion row is inserted first: a concurrent duplicate of the message waits on its primary key and then
// skips, so two deliveries of one message never run the same handler at the same time.
import { and, eq, sql } from "drizzle-orm";
import type { Database, Tx } from "../db/client.ts";
import type { ServiceConfig } from "../services/context.ts";
import { IncompleteEffect } from "./incomplete.ts";
import { outboxCompletions } from "./tables.ts";
import type { EffectHandler, OutboxEvent } from "./types.ts";

export interface EffectDeps<P> {
  providers: P;
  config: ServiceConfig;
  now: () => Date;
}

export type EffectOutcome = "ran" | "skipped";

/** Throws when the handler fails; its completion (and any other writes, unless IncompleteEffect) is rolled back. */
export async function runEffect<P>(
  db: Database,
  event: OutboxEvent,
  handler: EffectHandler<P>,
  deps: EffectDeps<P>,
): Promise<EffectOutcome> {
  const result = await db.withTenantTx(event.tenantId, async (tx, session) => {
    if (!(await claim(tx, event, handler.name))) return "skipped" as const;
    try {
      await handler.run({ tx, event, providers: deps.providers, config: deps.config, now: deps.now() });
    } catch (err) {
      if (!(err instanceof IncompleteEffect)) throw err;
      // Keep what the handler recorded (e.g. which endpoints already got the event), drop only the completion.
      await tx.delete(outboxCompletions).where(completionOf(event, handler.name));
      return err;
    }
    // The completion time is stamped after the handler and rides with COMMIT (one round trip).
    const stamp = tx
      .update(outboxCompletions)
      .set({ completedAt: sql`clock_timestamp()` })
      .where(completionOf(event, handler.name));
    await session.finish(stamp.getSQL());
    return "ran" as const;
  });
  if (result instanceof IncompleteEffect) throw result;
  return result;
}

async function claim(tx: Tx, event: OutboxEvent, handler: string): Promise<boolean> {
  const rows = await tx
    .insert(outboxCompletions)
    .values({ outboxId: event.id, handler, tenantId: event.tenantId })
    .onConflictDoNothing()
    .returning({ handler: outboxCompletions.handler });
  return rows.length === 1;
}

function completionOf(event: OutboxEvent, handler: string) {
  return and(eq(outboxCompletions.outboxId, event.id), eq(outboxCompletions.handler, handler));
}
