// Outbox tuning read from the worker's variables, with safe defaults and bounds (a typo must not disable retries).
import type { Env } from "../env.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./backoff.ts";

export interface OutboxSettings {
  retry: RetryPolicy;
  sweepAfterSeconds: number;
  webhookTimeoutMs: number;
}

export function outboxSettingsOf(env: Env): OutboxSettings {
  return {
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
