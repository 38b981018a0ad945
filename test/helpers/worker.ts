// The real worker bundle in workerd (wrangler dev, local Queues and cron) on a per-file test database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, inject, vi } from "vitest";
import type { CronDriver } from "../../scripts/lib/cron-driver.ts";
import { freePort } from "../../scripts/lib/postgres.ts";
import { startLocalStripe, startWorker } from "../../scripts/lib/stack.ts";
import type { RunningStripeEmulator } from "../../stripe-emulator/src/index.ts";
import { checkResponse } from "./contract.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { ignoreTermination } from "./pg-lifecycle.ts";

export interface WorkerUnderTest {
  baseUrl: string;
  /** The local cron driver: wrangler.toml's crons fire every `cronEveryMs` (tests) as Cloudflare would fire them. */
  cron: CronDriver;
  database: TestDatabase;
  logs: string[];
  /** The Stripe emulator the worker pays through (as the stack starts it; its own database, dropped after). */
  stripe: RunningStripeEmulator;
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** Cron triggers in tests: every 500 ms instead of every minute, so a sweep is a poll away rather than a minute. */
export const TEST_CRON_EVERY_MS = 500;

export function useWorker(vars: Record<string, string> = {}, opts: { cronEveryMs?: number } = {}): WorkerUnderTest {
  const ctx = { logs: [] as string[] } as WorkerUnderTest;
  let stop: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    ctx.database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), "bookra-worker-"));
    const port = await freePort();
    const stripe = await startLocalStripe({
      dataDir: dir,
      databaseUrl: ctx.database.adminUrl.replace(/\/[^/?]*$/, `/${ctx.database.name}_stripe`),
      workerPort: port,
      options: { retrySchedule: "fast", refundSettleMs: 0 },
    });
    ctx.stripe = stripe.emulator;
    const worker = await startWorker({
      dataDir: dir,
      port,
      appUrl: ctx.database.appUrl,
      proxyPort: ctx.database.proxyPort,
      vars: { ...stripe.vars, ...vars },
      log: (l) => ctx.logs.push(l),
      cron: { everyMs: opts.cronEveryMs ?? TEST_CRON_EVERY_MS },
    });
    ctx.baseUrl = worker.baseUrl;
    ctx.cron = worker.cron!;
    stop = worker.stop;
  });
  afterAll(async () => {
    await stop?.();
    await ctx.stripe?.close();
    if (ctx.database) await dropDatabase(`${ctx.database.name}_stripe`);
    await ctx.database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  // Every answer must match the published OpenAPI document (test/helpers/contract.ts).
  ctx.fetch = async (path, init) =>
    checkResponse(init?.method ?? "GET", path, await fetch(`${ctx.baseUrl}${path}`, init));
  return ctx;
}

/**
 * Polls fn until ok(value) or the timeout; returns the last value either way, for the caller's assertions to judge.
 */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  let last!: T;
  await vi
    .waitFor(
      async () => {
        last = await fn();
        if (!ok(last)) throw new Error("not yet");
      },
      { timeout: timeoutMs, interval: 100 },
    )
    .catch(() => {});
  return last;
}

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject("testDb").adminUrl });
  client.on("error", ignoreTermination);
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
