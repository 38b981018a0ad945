// Runs one handler for one event in its own tenant transaction, recording its completion in that transaction.
// The completion row is inserted first: a concurrent duplicate of the message waits on its primary key and then
// skips, so two deliveries of one message never run the same handler at the same time.
import { and, eq, sql } from "drizzle-orm";
import { type Database, inlined, type Tx } from "../db/client.ts";
import { outboxCompletions } from "../db/schema/index.ts";
import { IncompleteEffect } from "../effects/delivery-errors.ts";
import type { ServiceConfig } from "../services/context.ts";
import type { EffectHandler, OutboxEvent, SharedContext } from "./types.ts";

export interface EffectDeps<P> {
  providers: P;
  config: ServiceConfig;
  now: () => Date;
}

export type EffectOutcome = "ran" | "skipped";

/**
 * Throws when the handler fails; its completion (and any other writes, unless IncompleteEffect) is rolled back.
 * Round trips: BEGIN and the tenant setting ride with the claim, the completion stamp with COMMIT; a handler with
 * nothing to do costs two.
 */
export async function runEffect<P>(
  db: Database,
  event: OutboxEvent,
  handler: EffectHandler<P>,
  deps: EffectDeps<P>,
  shared?: SharedContext,
): Promise<EffectOutcome> {
  const result = await db.withTenantTx(event.tenantId, async (tx, session) => {
    if (!(await claim(tx, event, handler.name))) return "skipped" as const;
    try {
      await handler.run({
        tx,
        event,
        providers: deps.providers,
        config: deps.config,
        now: deps.now(),
        ...(shared && { shared }),
      });
    } catch (err) {
      if (!(err instanceof IncompleteEffect)) throw err;
      // Keep what the handler recorded (e.g. which endpoints already got the event), drop only the completion.
      await tx.delete(outboxCompletions).where(completionOf(event, handler.name));
      return err;
    }
    // The completion time is stamped after the handler and rides with COMMIT (one round trip).
    await session.finish(sql`
      UPDATE outbox_completions SET completed_at = clock_timestamp()
      WHERE outbox_id = ${event.id} AND handler = ${handler.name}`);
    return "ran" as const;
  });
  if (result instanceof IncompleteEffect) throw result;
  return result;
}

/**
 * Inlined (simple protocol), so the transaction's BEGIN and tenant setting travel with it in one round trip. Plain
 * SQL text rather than a query builder: the consumer runs this for every handler of every event.
 */
async function claim(tx: Tx, event: OutboxEvent, handler: string): Promise<boolean> {
  const result = await tx.execute(
    inlined(sql`INSERT INTO outbox_completions (outbox_id, handler, tenant_id) VALUES (${event.id}, ${handler}, ${event.tenantId})
        ON CONFLICT DO NOTHING RETURNING handler`),
  );
  return result.rows.length === 1;
}

function completionOf(event: OutboxEvent, handler: string) {
  return and(eq(outboxCompletions.outboxId, event.id), eq(outboxCompletions.handler, handler));
}
