// The whole local product in one call: embedded Postgres, migrations, the WebSocket proxy, and the worker in workerd
// (wrangler dev with local Queues and cron). Used by `npm start`, the workerd tests and the benchmarks.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type RunningStripeEmulator, startStripeEmulator } from "../../stripe-emulator/src/index.ts";
import { type CronDriver, startCronDriver, wranglerCrons } from "./cron-driver.ts";
import { prepareDatabase } from "./local-db.ts";
import { freePort, type RunningPostgres, startPostgres } from "./postgres.ts";
import { type RunningProxy, startWsProxy } from "./ws-proxy.ts";

export const ROOT = resolve(import.meta.dirname, "../..");

export interface StackOptions {
  dataDir: string;
  port?: number;
  /** Throwaway clusters for tests and benchmarks trade durability for speed. */
  unsafeFast?: boolean;
  databaseName?: string;
  log?: (line: string) => void;
  /** Extra worker variables (e.g. provider switches in tests). */
  vars?: Record<string, string>;
  /** Drive wrangler.toml's cron triggers (scripts/lib/cron-driver.ts); `everyMs` is for tests only. */
  cron?: { everyMs?: number };
  /** The Stripe emulator's port (`npm start`: a fixed one, so hosted-page links survive a restart); absent: any. */
  stripePort?: number;
  /**
   * Emulator options for tests (e.g. `{ retrySchedule: "fast", refundSettleMs: 0 }`); `webhookUrl` sends its events
   * elsewhere than the worker's webhook route (the bench's relay, which can hold them back).
   */
  stripe?: { retrySchedule?: "fast"; refundSettleMs?: number; chaos?: string; webhookUrl?: string };
}

export interface RunningStack {
  baseUrl: string;
  port: number;
  pg: RunningPostgres;
  proxy: RunningProxy;
  adminUrl: string;
  appUrl: string;
  databaseCreated: boolean;
  /** wrangler dev's Chrome DevTools Protocol inspector on 127.0.0.1 (scripts/profile-worker.ts profiles through it). */
  inspectorPort: number;
  /** The local Stripe emulator the worker talks to (STRIPE_API_BASE) and its control API (`/_emulator/…`). */
  stripeUrl: string;
  stop(): Promise<void>;
}

/** The key the local worker uses with the emulator (any sk_test_ key; the emulator accepts only this one). */
export const LOCAL_STRIPE_KEY = "sk_test_bookra_local";

async function startDatabase(opts: StackOptions) {
  const pg = await startPostgres({ dataDir: resolve(opts.dataDir, "pg"), unsafeFast: opts.unsafeFast, log: opts.log });
  const db = await prepareDatabase(pg, opts.databaseName ?? "bookra");
  const proxy = await startWsProxy();
  return { pg, proxy, ...db };
}

/** A per-data-dir random secret, made on first start and kept with the data (never in the repo). */
/** A random secret kept in the data dir (created on first use): local stand-ins for Worker secrets. */
export function localSecret(dataDir: string, name: string): string {
  const file = resolve(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

export async function startWorker(opts: {
  dataDir: string;
  port: number;
  appUrl: string;
  proxyPort: number;
  vars?: Record<string, string>;
  log?: (line: string) => void;
  /** Call /__scheduled for wrangler.toml's crons as Cloudflare would; absent: nothing fires them. */
  cron?: { everyMs?: number };
}): Promise<{
  child: ChildProcess;
  baseUrl: string;
  inspectorPort: number;
  cron?: CronDriver;
  stop(): Promise<void>;
}> {
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const envFile = resolve(opts.dataDir, "worker.env");
  mkdirSync(opts.dataDir, { recursive: true });
  // wrangler refuses a missing [assets] directory: before `npm run build`, the widget's and dashboard's files 404.
  mkdirSync(resolve(ROOT, "dist/public"), { recursive: true });
  const vars: Record<string, string> = {
    DATABASE_URL: opts.appUrl,
    DB_WS_PROXY: `127.0.0.1:${opts.proxyPort}`,
    BOOKRA_ENV: "local",
    // Test and bench stacks send hundreds of writes from one address; `npm start` turns the limits on.
    BOOKRA_RATE_LIMIT: "off",
    // Their webhook receivers listen on 127.0.0.1; `npm start` refuses loopback endpoints like production does.
    BOOKRA_LOOPBACK_WEBHOOKS: "on",
    PUBLIC_BASE_URL: baseUrl,
    MANAGE_TOKEN_SECRET: localSecret(opts.dataDir, "manage-token-secret"),
    // Secrets at rest (webhook signing secrets, calendar tokens): one AES-256 key, `kid:base64`, kept in the data dir.
    DATA_ENCRYPTION_KEYS: `local1:${Buffer.from(localSecret(opts.dataDir, "data-encryption-key"), "hex").toString("base64")}`,
    STRIPE_WEBHOOK_SECRET: `whsec_${localSecret(opts.dataDir, "stripe-webhook-secret")}`,
    // Dashboard password hashes: one pepper, `id:secret`, kept in the data dir like the keys above.
    PASSWORD_PEPPER: `local1:${localSecret(opts.dataDir, "password-pepper")}`,
    ...opts.vars,
  };
  writeFileSync(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join("\n"),
  );
  const inspectorPort = await freePort();
  const child = spawn(
    process.execPath,
    [
      resolve(ROOT, "node_modules/wrangler/bin/wrangler.js"),
      "dev",
      "--config",
      resolve(ROOT, "wrangler.toml"),
      "--ip",
      "127.0.0.1",
      "--port",
      String(opts.port),
      "--inspector-port",
      String(inspectorPort),
      "--env-file",
      envFile,
      "--persist-to",
      resolve(opts.dataDir, "wrangler"),
      "--test-scheduled",
      "--show-interactive-dev-session=false",
      "--log-level",
      "warn",
    ],
    {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  const log = opts.log ?? (() => {});
  child.stdout?.on("data", (d) => log(String(d)));
  child.stderr?.on("data", (d) => log(String(d)));
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error("wrangler dev exited before it was ready");
    try {
      const r = await fetch(`${baseUrl}/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("wrangler dev did not become ready within 60 s");
    await new Promise((ok) => setTimeout(ok, 100));
  }
  // wrangler dev --test-scheduled only exposes /__scheduled: this is what calls it on the crons' schedule.
  const cron = opts.cron && startCronDriver({ baseUrl, crons: wranglerCrons(), everyMs: opts.cron.everyMs, log });
  const stop = async () => {
    await cron?.stop();
    if (exited || child.pid === undefined) return;
    const gone = new Promise<void>((ok) => child.once("exit", () => ok()));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
    }, 5000);
    await gone;
    clearTimeout(timer);
  };
  return { child, baseUrl, inspectorPort, cron, stop };
}

/**
 * Starts the Stripe emulator for a local worker: events signed with the worker's webhook secret (kept in the data
 * dir) and sent to its webhook route; `vars` are what the worker needs to talk to it.
 */
export async function startLocalStripe(opts: {
  dataDir: string;
  databaseUrl: string;
  workerPort: number;
  port?: number | undefined;
  options?: StackOptions["stripe"];
}): Promise<{ emulator: RunningStripeEmulator; vars: Record<string, string> }> {
  const webhookSecret = `whsec_${localSecret(opts.dataDir, "stripe-webhook-secret")}`;
  const emulator = await startStripeEmulator({
    databaseUrl: opts.databaseUrl,
    port: opts.port ?? 0,
    webhookUrl: `http://127.0.0.1:${opts.workerPort}/v1/webhooks/stripe`,
    webhookSecret,
    apiKey: LOCAL_STRIPE_KEY,
    ...opts.options,
  });
  return {
    emulator,
    vars: { STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_SECRET_KEY: LOCAL_STRIPE_KEY, STRIPE_API_BASE: emulator.url },
  };
}

export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const db = await startDatabase(opts);
  const port = opts.port ?? (await freePort());
  let stripe: RunningStripeEmulator | undefined;
  try {
    // The Stripe emulator: its state in its own database of the same cluster (kept across restarts).
    const local = await startLocalStripe({
      dataDir: opts.dataDir,
      databaseUrl: db.adminUrl.replace(/\/[^/?]*(\?.*)?$/, `/${opts.databaseName ?? "bookra"}_stripe`),
      workerPort: port,
      port: opts.stripePort,
      options: opts.stripe,
    });
    stripe = local.emulator;
    const worker = await startWorker({
      dataDir: opts.dataDir,
      port,
      appUrl: db.appUrl,
      proxyPort: db.proxy.port,
      vars: { ...local.vars, ...opts.vars },
      log: opts.log,
      cron: opts.cron,
    });
    const emulator = stripe;
    return {
      baseUrl: worker.baseUrl,
      port,
      pg: db.pg,
      proxy: db.proxy,
      adminUrl: db.adminUrl,
      appUrl: db.appUrl,
      databaseCreated: db.created,
      inspectorPort: worker.inspectorPort,
      stripeUrl: emulator.url,
      stop: async () => {
        await worker.stop();
        await emulator.close();
        await db.proxy.close();
        await db.pg.stop();
      },
    };
  } catch (err) {
    await stripe?.close();
    await db.proxy.close();
    await db.pg.stop();
    throw err;
  }
}
