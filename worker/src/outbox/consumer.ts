// The queue consumer: every message is acknowledged on its own. Each handler of the event runs in its own transaction
// with its completion record (so one failing handler never undoes another); the row is done once all completed,
// otherwise it is retried with backoff, and the dead-letter queue's copy marks it dead.
import type { Database, OutboxRef } from "../db/client.ts";
import { grouped } from "../lib/grouped.ts";
import type { ServiceConfig } from "../services/context.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelaySeconds } from "./backoff.ts";
import { isOutboxMessage } from "./messages.ts";
import { type LoadedMessage, loadMessages, markAllDone, markDead, markFailed } from "./rows.ts";
import { runEffect } from "./run-effect.ts";
import type { EffectHandler, OutboxEvent, SharedContext } from "./types.ts";

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
  /** Messages of one batch in progress at once (a message waiting for handler slots holds no connection). */
  concurrency?: number;
  /**
   * Handler transactions running at once across the batch (a message's handlers run in parallel); each holds one
   * connection. Loading rows and marking them done are grouped per tenant and take at most one more each.
   */
  effectConcurrency?: number;
  random?: () => number;
  /** Diagnostics (BOOKRA_OUTBOX_TRACE): one line per batch with where its time went. */
  trace?: (line: Record<string, unknown>) => void;
}

/** Per-batch timing sums, only collected when tracing. */
interface BatchTrace {
  load: number;
  handlers: Record<string, { n: number; ms: number }>;
  mark: number;
  messages: number[];
}

let lastBatchEnd = 0;

const DEFAULT_DEAD_LETTER_QUEUE = "bookra-outbox-dlq";

export async function consumeOutboxBatch<P>(
  db: Database,
  batch: OutboxBatch,
  options: ConsumerOptions<P>,
): Promise<void> {
  const deadLetters = batch.queue === (options.deadLetterQueue ?? DEFAULT_DEAD_LETTER_QUEUE);
  const started = Date.now();
  const trace: BatchTrace | undefined = options.trace ? { load: 0, handlers: {}, mark: 0, messages: [] } : undefined;
  const queue = [...batch.messages];
  const rows = batchRows(db, options.now);
  const limit = limiter(Math.max(1, options.effectConcurrency ?? options.concurrency ?? 4));
  const worker = async () => {
    for (let message = queue.shift(); message; message = queue.shift()) {
      const t0 = Date.now();
      await (deadLetters
        ? buryMessage(db, message, options)
        : consumeMessage(db, rows, message, options, limit, trace));
      trace?.messages.push(Date.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  if (trace && options.trace) {
    const ended = Date.now();
    const m = trace.messages.sort((a, b) => a - b);
    options.trace({
      msg: "outbox batch",
      queue: batch.queue,
      size: batch.messages.length,
      ms: ended - started,
      gapSinceLastMs: lastBatchEnd ? started - lastBatchEnd : null,
      msgMs: { p50: m[Math.floor(m.length / 2)], max: m[m.length - 1] },
      loadMs: trace.load,
      markMs: trace.mark,
      handlers: Object.fromEntries(
        Object.entries(trace.handlers).map(([k, v]) => [k, Math.round(v.ms / Math.max(1, v.n))]),
      ),
    });
    lastBatchEnd = ended;
  }
}

/**
 * Loading rows and marking them done, grouped per tenant: the messages that reach the same step while the previous
 * statement is in flight share the next one. Each message still waits for its own row's statement to commit before
 * it runs handlers or is acked.
 */
interface BatchRows {
  load(ref: OutboxRef): Promise<LoadedMessage | null>;
  done(ref: OutboxRef, idle: readonly string[]): Promise<void>;
}

function batchRows(db: Database, now: () => Date): BatchRows {
  const load = grouped((tenantId, ids: string[]) => loadMessages(db, tenantId, ids));
  const done = grouped(async (tenantId, rows: { outboxId: string; idle: readonly string[] }[]) => {
    await markAllDone(db, tenantId, rows, now());
    return rows.map(() => undefined);
  });
  return {
    load: (ref) => load(ref.tenantId, ref.outboxId),
    done: (ref, idle) => done(ref.tenantId, { outboxId: ref.outboxId, idle }),
  };
}

async function consumeMessage<P>(
  db: Database,
  rows: BatchRows,
  message: OutboxQueueMessage,
  options: ConsumerOptions<P>,
  limit: Limiter,
  trace?: BatchTrace,
): Promise<void> {
  const ref = refOf(message);
  if (!ref) return;
  try {
    let t = Date.now();
    const loaded = await rows.load(ref);
    if (trace) trace.load += Date.now() - t;
    // Gone (tenant deleted), already done, or given up (an admin retry sets it pending first): nothing to do.
    if (!loaded || loaded.status === "done" || loaded.status === "dead") return message.ack();
    const { active, idle } = planHandlers(options.handlers, loaded.event, loaded.shared);
    const failures = await runHandlers(db, loaded.event, loaded.shared, active, options, limit, trace);
    if (failures.length === 0) {
      t = Date.now();
      await rows.done(ref, idle);
      if (trace) trace.mark += Date.now() - t;
      return message.ack();
    }
    const delaySeconds = retryDelaySeconds(message.attempts, options.retry ?? DEFAULT_RETRY_POLICY, options.random);
    await markFailed(db, ref, failures.join("; "), new Date(options.now().getTime() + delaySeconds * 1000), idle);
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
 * The handlers registered for the event, split into those with work to do and those that say (from the shared
 * snapshot) that they would do nothing: the latter get no transaction, only their completion with the row's outcome.
 */
function planHandlers<P>(
  handlers: readonly EffectHandler<P>[],
  event: OutboxEvent,
  shared: SharedContext,
): { active: EffectHandler<P>[]; idle: string[] } {
  const active: EffectHandler<P>[] = [];
  const idle: string[] = [];
  for (const handler of handlers) {
    if (!handler.events.includes(event.type)) continue;
    let nothingToDo = false;
    try {
      nothingToDo = handler.idle?.(event, shared) === true;
    } catch {
      // When in doubt, run it.
    }
    if (nothingToDo) idle.push(handler.name);
    else active.push(handler);
  }
  return { active, idle };
}

/**
 * Runs the given handlers in parallel (each is its own transaction and completion record, so they are independent);
 * returns one line per handler that failed.
 */
async function runHandlers<P>(
  db: Database,
  event: OutboxEvent,
  shared: SharedContext,
  handlers: readonly EffectHandler<P>[],
  options: ConsumerOptions<P>,
  limit: Limiter,
  trace?: BatchTrace,
): Promise<string[]> {
  const outcomes = await Promise.all(
    handlers.map((handler) =>
      limit(async () => {
        const t = Date.now();
        try {
          await runEffect(db, event, handler, options, shared);
          if (trace) {
            const h = trace.handlers[handler.name] ?? { n: 0, ms: 0 };
            trace.handlers[handler.name] = { n: h.n + 1, ms: h.ms + Date.now() - t };
          }
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

/** The error's message with its causes' (a failed query's cause is the database's own account). */
function errorText(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    parts.push(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(" ← ");
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
