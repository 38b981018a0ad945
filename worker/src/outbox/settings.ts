// Outbox tuning read from the worker's variables, with safe defaults and bounds (a typo must not disable retries).
import type { Env } from "../env.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./backoff.ts";

export interface OutboxSettings {
  retry: RetryPolicy;
  sweepAfterSeconds: number;
  webhookTimeoutMs: number;
  /** Messages of one queue batch in progress at once (each loads its row, then waits for handler slots). */
  messageConcurrency: number;
  /** Handler transactions at once across the batch; each holds one pooled connection (the pool has one more). */
  effectConcurrency: number;
  /** Connections of the local adapters' own pool (their dev-mailbox writes happen outside handler transactions). */
  recorderConnections: number;
  /** BOOKRA_OUTBOX_TRACE=1: one log line per queue batch with where its time went (diagnostics; off by default). */
  trace: boolean;
}

/**
 * Consumer knobs (not in env.ts's Env: read only here).
 * - OUTBOX_MESSAGE_CONCURRENCY, OUTBOX_EFFECT_CONCURRENCY: override the defaults below (1–64).
 * - BOOKRA_OUTBOX_TRACE=1: per-batch timings in the log (`BENCH_TRACE=1 npx tsx bench/outbox-bench.ts` shows them).
 * Production default: a Worker invocation may hold only 6 connections at once (WebSockets and fetches together), and
 * handlers make provider and webhook fetches while holding their transaction's connection: 2 handler transactions +
 * 1 connection for loading/marking rows leave room for those fetches. Throughput in production comes from the
 * queue running several consumer invocations at once (wrangler.toml), not from one wide invocation.
 * Local default (BOOKRA_ENV=local): one workerd process on one machine with a local Postgres and no connection cap;
 * the whole product's drain runs in one invocation at a time (miniflare delivers the next batch only after the
 * previous one returns), so it is made wide. Measured with bench/outbox-bench.ts.
 */
export interface OutboxTuningEnv {
  OUTBOX_MESSAGE_CONCURRENCY?: string;
  OUTBOX_EFFECT_CONCURRENCY?: string;
  BOOKRA_OUTBOX_TRACE?: string;
}

const PRODUCTION_CONCURRENCY = { messages: 4, effects: 2, recorder: 1 };
const LOCAL_CONCURRENCY = { messages: 16, effects: 16, recorder: 4 };

export function outboxSettingsOf(env: Env & OutboxTuningEnv): OutboxSettings {
  const defaults = env.BOOKRA_ENV === "local" ? LOCAL_CONCURRENCY : PRODUCTION_CONCURRENCY;
  return {
    messageConcurrency: bounded(env.OUTBOX_MESSAGE_CONCURRENCY, defaults.messages, 1, 64),
    effectConcurrency: bounded(env.OUTBOX_EFFECT_CONCURRENCY, defaults.effects, 1, 64),
    recorderConnections: defaults.recorder,
    trace: env.BOOKRA_OUTBOX_TRACE === "1",
    retry: {
      baseSeconds: bounded(env.OUTBOX_RETRY_BASE_SECONDS, DEFAULT_RETRY_POLICY.baseSeconds, 1, 3600),
      capSeconds: bounded(env.OUTBOX_RETRY_CAP_SECONDS, DEFAULT_RETRY_POLICY.capSeconds, 1, 43_200),
    },
    sweepAfterSeconds: bounded(env.OUTBOX_SWEEP_AFTER_SECONDS, 30, 1, 86_400),
    webhookTimeoutMs: bounded(env.WEBHOOK_TIMEOUT_MS, 10_000, 100, 30_000),
  };
}

function bounded(raw: string | undefined, fallback: number, min: number, max: number): number {
  const n = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : fallback;
}
