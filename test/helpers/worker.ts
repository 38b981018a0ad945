// The real worker bundle in workerd (wrangler dev, local Queues and cron) on a per-file test database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, vi } from "vitest";
import { freePort } from "../../scripts/lib/postgres.ts";
import { startWorker } from "../../scripts/lib/stack.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";

export interface WorkerUnderTest {
  baseUrl: string;
  database: TestDatabase;
  logs: string[];
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export function useWorker(vars: Record<string, string> = {}): WorkerUnderTest {
  const ctx = { logs: [] as string[] } as WorkerUnderTest;
  let stop: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    ctx.database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), "bookra-worker-"));
    const worker = await startWorker({
      dataDir: dir,
      port: await freePort(),
      appUrl: ctx.database.appUrl,
      proxyPort: ctx.database.proxyPort,
      vars,
      log: (l) => ctx.logs.push(l),
    });
    ctx.baseUrl = worker.baseUrl;
    stop = worker.stop;
  });
  afterAll(async () => {
    await stop?.();
    await ctx.database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  ctx.fetch = (path, init) => fetch(`${ctx.baseUrl}${path}`, init);
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
