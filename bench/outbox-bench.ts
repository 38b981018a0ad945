// Outbox drain on the local stack (workerd with local Queues, embedded Postgres): commit→effect latency under a steady
// booking load, in BENCH_ROUNDS rounds (≥ 5), split into queue wait and handler time; and drain throughput of a burst
// of pending events. Run: `npx tsx bench/outbox-bench.ts`. Targets: ≥ 500 effects/s, p99 ≤ 2 s.
//
// Only timestamps the product records are used. commit→effect: outbox.created_at (the booking transaction's now(),
// a few ms before its COMMIT) → outbox_completions.completed_at (clock_timestamp() stamped after the handler, with its
// COMMIT), every handler of every event. The consumer stamps no pick-up time (the completion row's claim-time default
// is overwritten by that completion stamp), so the split is measured on the one handler that records when it was
// running — tenant-webhooks: webhook_deliveries.created_at is stamped after the POST and duration_ms is the POST's
// own time, so its POST began at created_at − duration_ms. Queue wait = outbox.created_at → that POST start (it also
// holds the handler's claim and its two reads before the POST, a few ms locally); handler time = POST start →
// completed_at (the POST, the delivery row, the completion stamp and COMMIT).

import { rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { ROOT, type RunningStack, startStack } from "../scripts/lib/stack.ts";
import { api, benchRounds, createBenchTenant, type Spread, spread, withBenchStack } from "./lib.ts";

/** Bookings per round of the steady phase (5 rounds × 80 ≈ the 300 of one run before, at the same rate). */
const BOOKINGS = Number(process.env.BENCH_OUTBOX_BOOKINGS ?? 80);
const ROUNDS = benchRounds();
const CLIENTS = 16;
const STAFF = 10;
const SLOTS_PER_DAY = 9; // 09:00–18:00, hourly

export interface OutboxBenchResult {
  effectsPerSecond: number;
  /** commit → effect, every handler of every event. */
  latencyMs: Spread;
  /** tenant-webhooks effects only: commit → its POST began, and POST began → completion stamp. */
  queueWaitMs: Spread;
  handlerMs: Spread;
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
  first = 0,
): Promise<void> {
  const monday = nextMonday().getTime();
  const began = Date.now();
  let next = 0;
  const client = async () => {
    for (let k = next++; k < BOOKINGS; k = next++) {
      const due = began + (k / perSecond) * 1000;
      if (due > Date.now()) await new Promise((ok) => setTimeout(ok, due - Date.now()));
      const i = first + k; // later rounds book the slots after the earlier rounds'
      const slot = Math.floor(i / STAFF);
      const workday = Math.floor(slot / SLOTS_PER_DAY); // Mon–Sat: every 7th day is skipped
      const day = workday + Math.floor(workday / 6);
      const start = monday + day * 86_400_000 + (9 + (slot % SLOTS_PER_DAY)) * 3_600_000;
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

/** commit→effect of every completion of the tenant not measured before (`seen`: outbox ids of earlier rounds). */
async function latencies(db: pg.Client, tenantId: string, seen: Set<string>) {
  const r = await db.query(
    `SELECT o.id, extract(epoch FROM c.completed_at - o.created_at) * 1000 AS ms
     FROM outbox_completions c JOIN outbox o ON o.id = c.outbox_id WHERE o.tenant_id = $1`,
    [tenantId],
  );
  const w = await db.query(
    `SELECT o.id,
            extract(epoch FROM (d.created_at - make_interval(secs => d.duration_ms / 1000.0)) - o.created_at) * 1000
              AS wait,
            extract(epoch FROM c.completed_at - (d.created_at - make_interval(secs => d.duration_ms / 1000.0))) * 1000
              AS handler
     FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id
     JOIN outbox_completions c ON c.outbox_id = o.id AND c.handler = 'tenant-webhooks'
     WHERE o.tenant_id = $1 AND d.attempt = 1 AND d.succeeded`,
    [tenantId],
  );
  const fresh = <T extends { id: string }>(rows: T[]) => rows.filter((row) => !seen.has(row.id));
  const out = {
    effect: fresh(r.rows).map((row) => Number(row.ms)),
    queueWait: fresh(w.rows).map((row) => Number(row.wait)),
    handler: fresh(w.rows).map((row) => Number(row.handler)),
  };
  for (const row of r.rows) seen.add(row.id);
  return out;
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
    webhookEffects: number;
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

      // 1. Steady load, ROUNDS rounds: commit→effect latency of every effect while bookings keep coming at PACED_RATE
      //    per second, the round drained before the next begins.
      const seen = new Set<string>();
      const effect: number[][] = [];
      const queueWait: number[][] = [];
      const handler: number[][] = [];
      let bookingSeconds = 0;
      for (let round = 0; round < ROUNDS; round++) {
        if (process.env.BENCH_TRACE === "1") process.stderr.write(`--- round ${round}: bookings start\n`);
        const bookingStarted = Date.now();
        await bookAll(stack, t, PACED_RATE, round * BOOKINGS);
        bookingSeconds += (Date.now() - bookingStarted) / 1000;
        await waitUntilDrained(db, t.tenantId);
        if (process.env.BENCH_TRACE === "1") process.stderr.write(`--- round ${round} drained\n`);
        const lat = await latencies(db, t.tenantId, seen);
        effect.push(lat.effect);
        queueWait.push(lat.queueWait);
        handler.push(lat.handler);
      }

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
      return {
        effectsPerSecond: Math.round(r.rows[0].n / burstSeconds),
        latencyMs: spread(effect),
        queueWaitMs: spread(queueWait),
        handlerMs: spread(handler),
        effects: r.rows[0].n,
        webhookEffects: queueWait.flat().length,
        bookings: ROUNDS * BOOKINGS,
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
    `outbox (${ROUNDS} rounds of ${BOOKINGS} bookings at ${PACED_RATE}/s, ${CLIENTS} clients; targets ≥ 500 effects/s, p99 ≤ 2000 ms):`,
    JSON.stringify(result),
  );
}
