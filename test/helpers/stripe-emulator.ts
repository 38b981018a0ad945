// The Stripe emulator for in-process route tests: its own database on the test cluster, its business clock on the
// test's clock, and its webhooks forwarded to the in-process app's /v1/webhooks/stripe (a small HTTP relay, since the
// app is not a server). The app is reconfigured with the emulator's key, base URL and a fresh webhook secret.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { type RunningStripeEmulator, startStripeEmulator } from "../../stripe-emulator/src/index.ts";
import type { StripeConfig } from "../../worker/src/providers/stripe.ts";
import type { TestApp } from "./app.ts";
import { ignoreTermination } from "./pg-lifecycle.ts";

export const EMULATOR_API_KEY = "sk_test_bookra_route_tests";

export interface Delivered {
  type: string;
  status: number;
  result: string | undefined;
}

export interface EmulatedStripe {
  emulator: RunningStripeEmulator;
  config: StripeConfig;
  /** Every delivery the relay forwarded, with the app's answer. */
  delivered: Delivered[];
  /** Resolves once `count` deliveries match (no sleeping: woken by each delivery). */
  waitFor(pred: (d: Delivered) => boolean, count?: number): Promise<Delivered[]>;
  control<T = any>(path: string, body?: unknown): Promise<T>;
}

/** Call at the top of a test file, after useTestApp(). */
export function useStripeEmulator(t: TestApp): EmulatedStripe {
  const ctx = { delivered: [] as Delivered[] } as EmulatedStripe;
  const waiters: { check: () => boolean; done: () => void }[] = [];
  let relay: Server | undefined;
  const dbName = `stripe_emu_${Math.random().toString(36).slice(2, 12)}`;
  const adminUrl = () => inject("testDb").adminUrl;

  beforeAll(async () => {
    relay = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        void Promise.resolve(
          t.app.request("/v1/webhooks/stripe", {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "stripe-signature": String(req.headers["stripe-signature"] ?? ""),
            },
            body: raw,
          }),
        ).then(async (answer: Response) => {
          const body = (await answer.json().catch(() => ({}))) as { result?: string };
          ctx.delivered.push({ type: JSON.parse(raw).type, status: answer.status, result: body.result });
          res.writeHead(answer.status).end();
          for (const w of [...waiters])
            if (w.check()) {
              waiters.splice(waiters.indexOf(w), 1);
              w.done();
            }
        });
      });
    });
    await new Promise<void>((ok) => relay!.listen(0, "127.0.0.1", ok));
    const webhookSecret = `whsec_${Math.random().toString(36).slice(2)}`;
    ctx.emulator = await startStripeEmulator({
      databaseUrl: adminUrl().replace(/\/[^/]*$/, `/${dbName}`),
      webhookUrl: `http://127.0.0.1:${(relay.address() as AddressInfo).port}/v1/webhooks/stripe`,
      webhookSecret,
      retrySchedule: "fast",
      refundSettleMs: 0,
      apiKey: EMULATOR_API_KEY,
      clock: () => t.clock.now.getTime(),
    });
    ctx.config = { webhookSecret, secretKey: EMULATOR_API_KEY, apiBase: ctx.emulator.url, platformFeeBps: 500 };
    t.app = t.withConfig({ stripe: ctx.config });
  });

  afterAll(async () => {
    await ctx.emulator?.close();
    await new Promise<void>((ok) => {
      relay?.close(() => ok());
      relay?.closeAllConnections();
    });
    const client = new pg.Client({ connectionString: adminUrl() });
    client.on("error", ignoreTermination);
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(dbName)} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  });

  ctx.waitFor = async (pred, count = 1) => {
    const check = () => ctx.delivered.filter(pred).length >= count;
    if (!check()) await new Promise<void>((done) => waiters.push({ check, done }));
    return ctx.delivered.filter(pred);
  };
  ctx.control = async (path, body) => {
    const res = await fetch(`${ctx.emulator.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as never;
  };
  return ctx;
}
