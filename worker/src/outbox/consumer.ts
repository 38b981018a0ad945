// The queue consumer: every message is acknowledged on its own. Each handler of the event runs in its own transaction
// with its completion record (so one failing handler never undoes another); the row is done once all completed,
// otherwise it is retried with backoff, and the dead-letter queue's copy marks it dead.
import type { Database, OutboxRef } from "../db/client.ts";
import type { ServiceConfig } from "../services/context.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelaySeconds } from "./backoff.ts";
import { isOutboxMessage } from "./messages.ts";
import { loadEvent, markDead, markDone, markFailed } from "./rows.ts";
import { runEffect } from "./run-effect.ts";
import type { EffectHandler, OutboxEvent } from "./types.ts";

/** The part of a Workers MessageBatch the consumer uses (tests build one without the runtime). */
export interface OutboxBatch {
  readonly queue: string;
  readonly messages: readonly OutboxQueueMessage[];
}

export interface OutboxQueueMessage {
  readonly id: string;
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface ConsumerOptions<P> {
  handlers: readonly EffectHandler<P>[];
  providers: P;
  config: ServiceConfig;
  now: () => Date;
  retry?: RetryPolicy;
  /** Messages from this queue are dead letters: their rows are marked dead. */
  deadLetterQueue?: string;
  /** Messages of one batch processed at once (each needs a database connection). */
  concurrency?: number;
  /** Handler transactions running at once across the batch (a message's handlers run in parallel). */
  effectConcurrency?: number;
  random?: () => number;
}

export const DEFAULT_DEAD_LETTER_QUEUE = "bookra-outbox-dlq";

export async function consumeOutboxBatch<P>(
  db: Database,
  batch: OutboxBatch,
  options: ConsumerOptions<P>,
): Promise<void> {
  const deadLetters = batch.queue === (options.deadLetterQueue ?? DEFAULT_DEAD_LETTER_QUEUE);
  const queue = [...batch.messages];
  const limit = limiter(Math.max(1, options.effectConcurrency ?? options.concurrency ?? 4));
  const worker = async () => {
    for (let message = queue.shift(); message; message = queue.shift()) {
      await (deadLetters ? buryMessage(db, message, options) : consumeMessage(db, message, options, limit));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
}

async function consumeMessage<P>(
  db: Database,
  message: OutboxQueueMessage,
  options: ConsumerOptions<P>,
  limit: Limiter,
): Promise<void> {
  const ref = refOf(message);
  if (!ref) return;
  try {
    const loaded = await loadEvent(db, ref);
    // Gone (tenant deleted), already done, or given up (an admin retry sets it pending first): nothing to do.
    if (!loaded || loaded.status === "done" || loaded.status === "dead") return message.ack();
    const failures = await runHandlers(db, loaded.event, options, limit);
    if (failures.length === 0) {
      await markDone(db, ref, options.now());
      return message.ack();
    }
    const delaySeconds = retryDelaySeconds(message.attempts, options.retry ?? DEFAULT_RETRY_POLICY, options.random);
    await markFailed(db, ref, failures.join("; "), new Date(options.now().getTime() + delaySeconds * 1000));
    message.retry({ delaySeconds });
  } catch (err) {
    // The database itself failed: nothing was recorded, the queue keeps the message.
    logFailure("outbox message failed", ref, err);
    message.retry({
      delaySeconds: retryDelaySeconds(message.attempts, options.retry ?? DEFAULT_RETRY_POLICY, options.random),
    });
  }
}

/**
 * Runs every handler registered for the event, in parallel (each is its own transaction and completion record, so
 * they are independent); returns one line per handler that failed.
 */
async function runHandlers<P>(
  db: Database,
  event: OutboxEvent,
  options: ConsumerOptions<P>,
  limit: Limiter,
): Promise<string[]> {
  const outcomes = await Promise.all(
    options.handlers
      .filter((handler) => handler.events.includes(event.type))
      .map((handler) =>
        limit(async () => {
          try {
            await runEffect(db, event, handler, options);
            return null;
          } catch (err) {
            const ref = { outboxId: event.id, tenantId: event.tenantId };
            logFailure("outbox handler failed", ref, err, handler.name, "warn");
            return `${handler.name}: ${errorText(err)}`;
          }
        }),
      ),
  );
  return outcomes.filter((o): o is string => o !== null);
}

type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;

/** At most `slots` functions running at once; the rest wait in order. */
function limiter(slots: number): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (running >= slots) await new Promise<void>((ok) => waiting.push(ok));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

async function buryMessage<P>(db: Database, message: OutboxQueueMessage, options: ConsumerOptions<P>): Promise<void> {
  const ref = refOf(message);
  if (!ref) return;
  try {
    await markDead(db, ref, options.now());
    message.ack();
  } catch (err) {
    logFailure("dead letter not recorded", ref, err);
    message.retry();
  }
}

function refOf(message: OutboxQueueMessage): OutboxRef | null {
  if (isOutboxMessage(message.body)) return { outboxId: message.body.outboxId, tenantId: message.body.tenantId };
  console.warn(JSON.stringify({ level: "warn", msg: "dropping malformed outbox message", id: message.id }));
  message.ack();
  return null;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function logFailure(
  msg: string,
  ref: OutboxRef,
  err: unknown,
  handler?: string,
  level: "warn" | "error" = "error",
): void {
  console[level](JSON.stringify({ level, msg, ...ref, handler, error: errorText(err) }));
}
