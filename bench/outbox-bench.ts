// Outbox drain on the local stack (workerd with local Queues, embedded Postgres): commit→effect latency under a steady
// booking load, and drain throughput of a burst of pending events. Run: `npx tsx bench/outbox-bench.ts`.
// Targets: ≥ 500 effects/s, p99 ≤ 2 s.

import { rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { ROOT, type RunningStack, startStack } from "../scripts/lib/stack.ts";
import { api, createBenchTenant, percentile, withBenchStack } from "./lib.ts";

const BOOKINGS = 300;
const CLIENTS = 16;
const STAFF = 10;
const SLOTS_PER_DAY = 9; // 09:00–18:00, hourly

export interface OutboxBenchResult {
  effectsPerSecond: number;
  latencyMs: { p50: number; p99: number };
}

function nextMonday(): Date {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7 || 7));
  return d;
}

async function receiver(): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => server.close() };
}

/** Bookings per second offered in the latency phase (each makes ~6 effects); BENCH_OUTBOX_RATE overrides. */
const PACED_RATE = Number(process.env.BENCH_OUTBOX_RATE ?? 50);

async function waitUntilDrained(db: pg.Client, tenantId: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await db.query("SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND status <> 'done'", [
      tenantId,
    ]);
    if (r.rows[0].n === 0) return;
    if (Date.now() > deadline) {
      const why = await db.query(
        "SELECT status, attempts, last_error FROM outbox WHERE tenant_id = $1 AND status <> 'done' LIMIT 5",
        [tenantId],
      );
      throw new Error(`outbox not drained: ${r.rows[0].n} rows left, e.g. ${JSON.stringify(why.rows)}`);
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/**
 * Books every slot of STAFF people from next Monday on, CLIENTS requests at a time. With `perSecond`, booking i is
 * not sent before i / perSecond seconds: an offered load the stack can carry, so latency is not just queueing.
 */
async function bookAll(
  stack: RunningStack,
  t: Awaited<ReturnType<typeof createBenchTenant>>,
  perSecond = Number.POSITIVE_INFINITY,
): Promise<void> {
  const monday = nextMonday().getTime();
  const began = Date.now();
  let next = 0;
  const client = async () => {
    for (let i = next++; i < BOOKINGS; i = next++) {
      const due = began + (i / perSecond) * 1000;
      if (due > Date.now()) await new Promise((ok) => setTimeout(ok, due - Date.now()));
      const slot = Math.floor(i / STAFF);
      const start = monday + Math.floor(slot / SLOTS_PER_DAY) * 86_400_000 + (9 + (slot % SLOTS_PER_DAY)) * 3_600_000;
      const res = await api(stack.baseUrl, "POST", `/v1/public/${t.slug}/bookings`, {
        serviceId: t.serviceId,
        staffId: t.staffIds[i % STAFF],
        start: new Date(start).toISOString().replace(".000Z", "Z"),
        customer: { name: `Bench ${i}`, email: `bench${i}@bench.example` },
      });
      if (res.status !== 201) throw new Error(`booking ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
}

async function latencies(db: pg.Client, tenantId: string): Promise<number[]> {
  const r = await db.query(
    `SELECT extract(epoch FROM c.completed_at - o.created_at) * 1000 AS ms
     FROM outbox_completions c JOIN outbox o ON o.id = c.outbox_id WHERE o.tenant_id = $1`,
    [tenantId],
  );
  return r.rows.map((row) => Number(row.ms)).sort((a, b) => a - b);
}

/** Makes every event of the tenant pending and unprocessed again, old enough for the cron sweep to send at once. */
async function resetForBurst(db: pg.Client, tenantId: string): Promise<void> {
  await db.query("DELETE FROM outbox_completions WHERE tenant_id = $1", [tenantId]);
  await db.query("DELETE FROM webhook_deliveries WHERE tenant_id = $1", [tenantId]);
  await db.query("DELETE FROM dev_outbox_messages WHERE tenant_id = $1", [tenantId]);
  await db.query(
    "UPDATE outbox SET status = 'pending', attempts = 0, processed_at = NULL, enqueued_at = NULL, created_at = now() - interval '1 hour' WHERE tenant_id = $1",
    [tenantId],
  );
}

/**
 * BENCH_TRACE=1: the same run, with the consumer's per-batch timings (BOOKRA_OUTBOX_TRACE) printed to stderr as the
 * worker logs them. Diagnostics only; the figures to compare come from plain runs.
 */
async function withTracedStack<T>(fn: (stack: RunningStack) => Promise<T>): Promise<T> {
  const dataDir = resolve(ROOT, ".data", `bench-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const stack = await startStack({
    dataDir,
    vars: { BOOKRA_OUTBOX_TRACE: "1" },
    log: (line) => {
      for (const l of line.split("\n"))
        if (l.includes("outbox batch") || /error|warn/i.test(l)) process.stderr.write(`${l}\n`);
    },
  });
  try {
    return await fn(stack);
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchOutbox(): Promise<
  OutboxBenchResult & {
    effects: number;
    bookings: number;
    burstSeconds: number;
    bookingSeconds: number;
    offeredBookingsPerSecond: number;
  }
> {
  const withStack = process.env.BENCH_TRACE === "1" ? withTracedStack : withBenchStack;
  return withStack(async (stack) => {
    const hook = await receiver();
    const db = new pg.Client({ connectionString: stack.adminUrl });
    await db.connect();
    try {
      const t = await createBenchTenant(stack, "bench-outbox", STAFF);
      const ep = await api(stack.baseUrl, "POST", "/v1/admin/webhook-endpoints", { url: hook.url }, t.apiKey);
      if (ep.status !== 201) throw new Error(`endpoint: ${JSON.stringify(ep.body)}`);

      // 1. Steady load: commit→effect latency of every effect while bookings keep coming at PACED_RATE per second.
      if (process.env.BENCH_TRACE === "1") process.stderr.write("--- bookings start\n");
      const bookingStarted = Date.now();
      await bookAll(stack, t, PACED_RATE);
      const bookingSeconds = (Date.now() - bookingStarted) / 1000;
      if (process.env.BENCH_TRACE === "1")
        process.stderr.write(`--- bookings done in ${bookingSeconds}s; burst next\n`);
      await waitUntilDrained(db, t.tenantId);
      if (process.env.BENCH_TRACE === "1") process.stderr.write("--- steady drained\n");
      const lat = await latencies(db, t.tenantId);

      // 2. Burst: every event pending at once, sent by one cron sweep; effects completed per second until drained.
      await resetForBurst(db, t.tenantId);
      const started = Date.now();
      await fetch(`${stack.baseUrl}/__scheduled?cron=*+*+*+*+*`);
      await waitUntilDrained(db, t.tenantId);
      if (process.env.BENCH_TRACE === "1") process.stderr.write("--- burst drained\n");
      const r = await db.query(
        "SELECT count(*)::int AS n, extract(epoch FROM max(completed_at)) * 1000 AS last FROM outbox_completions WHERE tenant_id = $1",
        [t.tenantId],
      );
      const burstSeconds = (Number(r.rows[0].last) - started) / 1000;
      const round = (n: number) => Math.round(n);
      return {
        effectsPerSecond: round(r.rows[0].n / burstSeconds),
        latencyMs: { p50: round(percentile(lat, 50)), p99: round(percentile(lat, 99)) },
        effects: r.rows[0].n,
        bookings: BOOKINGS,
        burstSeconds: Math.round(burstSeconds * 100) / 100,
        bookingSeconds: Math.round(bookingSeconds * 100) / 100,
        offeredBookingsPerSecond: PACED_RATE,
      };
    } finally {
      await db.end();
      hook.close();
    }
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await benchOutbox();
  console.log(
    `outbox (${BOOKINGS} bookings at ${PACED_RATE}/s, ${CLIENTS} clients; targets ≥ 500 effects/s, p99 ≤ 2000 ms):`,
    JSON.stringify(result),
  );
}
