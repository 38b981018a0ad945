// Shared bench plumbing: percentiles, a throwaway local stack, and a busy tenant built through the real API.
import { appendFileSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import pg from "pg";
import { descendantsOf, processStats } from "../scripts/lib/proc.ts";
import { localSecret, ROOT, type RunningStack, startStack } from "../scripts/lib/stack.ts";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarize(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), p99: round(percentile(s, 99)), n: s.length };
}

export const r2 = (x: number) => Math.round(x * 100) / 100;

/** p50, p95, min and max of a round's samples. */
export function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: r2(percentile(s, 50)), p95: r2(percentile(s, 95)), min: r2(s[0]!), max: r2(s[s.length - 1]!) };
}

/**
 * Rounds every latency figure runs (issue 15 item 5): `BENCH_ROUNDS`, default 5, never fewer than 5. A bench with its
 * own variable passes that one's value first; it wins when set.
 */
export function benchRounds(own?: string): number {
  const n = Number(own ?? process.env.BENCH_ROUNDS ?? 5);
  return Number.isFinite(n) ? Math.max(5, Math.floor(n)) : 5;
}

/**
 * The shape of every latency figure `npm run bench` prints (ms): p50/p95/p99 over all samples, the rounds' p50 and p95
 * ranges (min–max across rounds: how far one run can be from another on this machine) and each round's [p50, p95].
 */
export interface Spread {
  p50: number;
  p95: number;
  p99: number;
  n: number;
  rounds: number;
  roundsP50: string;
  roundsP95: string;
  /** min–max of the rounds' p99: a goal "in 5 of 5 runs" holds when the maximum does. */
  roundsP99: string;
  perRound: [number, number][];
}

/** The spread of latency samples taken in rounds (one array of samples per round). */
export function spread(rounds: readonly number[][]): Spread {
  const all = summarize(rounds.flat());
  const perRound = rounds.map((r): [number, number] => {
    const s = summarize(r);
    return [s.p50, s.p95];
  });
  const range = (xs: number[]) => `${Math.min(...xs)}–${Math.max(...xs)}`;
  return {
    ...all,
    rounds: rounds.length,
    roundsP50: range(perRound.map((r) => r[0])),
    roundsP95: range(perRound.map((r) => r[1])),
    roundsP99: range(rounds.map((r) => summarize(r).p99)),
    perRound,
  };
}

/** Runs `round` `rounds` times in sequence; the spread of the samples each returned. */
export async function inRounds(rounds: number, round: (r: number) => Promise<number[]>): Promise<Spread> {
  const samples: number[][] = [];
  for (let r = 0; r < rounds; r++) samples.push(await round(r));
  return spread(samples);
}

/** Runs `jobs` on `clients` concurrent workers; each job's latency (ms) in the order they were given. */
export async function runConcurrently(jobs: (() => Promise<void>)[], clients: number): Promise<number[]> {
  const latencies = new Array<number>(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < jobs.length; i = next++) {
        const t = performance.now();
        await jobs[i]!();
        latencies[i] = performance.now() - t;
      }
    }),
  );
  return latencies;
}

/** What the payment benchmarks need beside the stack: the relay the emulator's webhooks go through, and their secret. */
export interface BenchStripe {
  relay: WebhookRelay;
  /** The worker's STRIPE_WEBHOOK_SECRET: the bench signs events as Stripe does. */
  webhookSecret: string;
}

export async function withBenchStack<T>(fn: (stack: RunningStack, stripe: BenchStripe) => Promise<T>): Promise<T> {
  const dataDir = resolve(ROOT, ".data", `bench-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  // The emulator's webhooks reach the worker through a loopback relay that passes them on unchanged, or holds them
  // back so the webhook benchmark can send them itself.
  const relay = await startWebhookRelay();
  try {
    // BENCH_LOG=<file>: the stack's output (wrangler, the worker's logs, Postgres) appended there, to see why a run failed.
    const logFile = process.env.BENCH_LOG;
    const log = logFile
      ? (line: string) => appendFileSync(logFile, line.endsWith("\n") ? line : `${line}\n`)
      : undefined;
    const stack = await startStack({ dataDir, stripe: { webhookUrl: relay.url }, ...(log && { log }) });
    try {
      relay.target = `${stack.baseUrl}/v1/webhooks/stripe`;
      return await fn(stack, { relay, webhookSecret: `whsec_${localSecret(dataDir, "stripe-webhook-secret")}` });
    } finally {
      await stack.stop();
    }
  } finally {
    await relay.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface WebhookRelay {
  url: string;
  /** Where deliveries are passed on (the worker's webhook route). */
  target: string | null;
  /** While true, deliveries are kept in `held` and answered 200 instead of being passed on. */
  holding: boolean;
  /** Raw bodies of the deliveries held back. */
  held: string[];
  close(): Promise<void>;
}

/** A loopback HTTP relay for the emulator's webhook deliveries (127.0.0.1 only). */
export async function startWebhookRelay(): Promise<WebhookRelay> {
  const relay: WebhookRelay = { url: "", target: null, holding: false, held: [], close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      if (relay.holding || !relay.target) {
        relay.held.push(raw);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
        return;
      }
      fetch(relay.target, {
        method: "POST",
        headers: {
          "content-type": String(req.headers["content-type"] ?? "application/json"),
          "stripe-signature": String(req.headers["stripe-signature"] ?? ""),
        },
        body: raw,
      }).then(
        async (r) => res.writeHead(r.status, { "content-type": "application/json" }).end(await r.text()),
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/webhooks/stripe`;
  relay.close = () =>
    new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    });
  return relay;
}

export async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  key?: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as any;
  return { status: res.status, body: json };
}

export interface BusyTenant {
  slug: string;
  apiKey: string;
  tenantId: string;
  serviceId: string;
  staffIds: string[];
}

/** Signs a bench business up through the API: its admin key and tenant id. */
export async function signupBenchTenant(stack: RunningStack, slug: string): Promise<{ key: string; tenantId: string }> {
  const signup = await api(stack.baseUrl, "POST", "/v1/signup", {
    businessName: slug,
    slug,
    timezone: "Europe/London",
    currency: "EUR",
    ownerEmail: `${slug}@bench.example`,
    ownerPassword: "bench-password-123",
  });
  if (signup.status !== 201) throw new Error(JSON.stringify(signup.body));
  return { key: signup.body.apiKey as string, tenantId: signup.body.tenant.id as string };
}

/** A tenant with `staff` members working Mon–Sat 09:00–18:00 and one 60-minute service, built through the API. */
export async function createBenchTenant(stack: RunningStack, slug: string, staff = 10): Promise<BusyTenant> {
  const { key, tenantId } = await signupBenchTenant(stack, slug);
  const svc = await api(
    stack.baseUrl,
    "POST",
    "/v1/admin/services",
    {
      name: "Cut",
      durationMinutes: 60,
      price: { amount: 5000, currency: "EUR" },
      slotStepMinutes: 15,
      maxAdvanceDays: 120,
      staffIds: [],
    },
    key,
  );
  const staffIds: string[] = [];
  for (let i = 0; i < staff; i++) {
    const st = await api(
      stack.baseUrl,
      "POST",
      "/v1/admin/staff",
      {
        name: `Staff ${i}`,
        commissionBps: 0,
        serviceIds: [svc.body.id],
        weeklyHours: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: "09:00", end: "18:00" })),
      },
      key,
    );
    staffIds.push(st.body.id);
  }
  return { slug, apiKey: key, tenantId, serviceId: svc.body.id, staffIds };
}

export interface ExistingBookings {
  count: number;
  /** staff id → start instants (epoch ms) of its one-hour bookings. */
  startsByStaff: Map<string, Set<number>>;
}

/** Inserts existing bookings directly (as the table owner) — setup only, the measured paths go through the API. */
export async function insertExistingBookings(
  stack: RunningStack,
  t: BusyTenant,
  fromDay: Date,
  days: number,
  count: number,
): Promise<ExistingBookings> {
  const client = new pg.Client({ connectionString: stack.adminUrl });
  await client.connect();
  try {
    await client.query(
      "INSERT INTO customers (id, tenant_id, name, email) VALUES ($1, $2, 'Bench', 'bench@bench.example')",
      [`cus_bench${t.tenantId.slice(4, 20)}`, t.tenantId],
    );
    const rows: unknown[][] = [];
    let n = 0;
    for (let d = 0; d < days && n < count; d++) {
      for (let slot = 0; slot < 9 && n < count; slot++) {
        for (const [si, staffId] of t.staffIds.entries()) {
          if (n >= count) break;
          if ((slot + si + d) % 4 === 0) continue; // leave gaps so slots remain
          const start = new Date(fromDay.getTime() + d * 86_400_000 + (9 + slot) * 3_600_000);
          rows.push([
            `bkg_${t.tenantId.slice(4, 12)}${String(n).padStart(12, "0")}`,
            t.tenantId,
            t.serviceId,
            staffId,
            `cus_bench${t.tenantId.slice(4, 20)}`,
            start,
            new Date(start.getTime() + 3_600_000),
          ]);
          n++;
        }
      }
    }
    for (const r of rows) {
      await client.query(
        `INSERT INTO bookings (id, tenant_id, service_id, staff_id, customer_id, status, starts_at, ends_at, blocked_from, blocked_until,
           price_amount, currency, manage_token_hash, source) VALUES ($1, $2, $3, $4, $5, 'confirmed', $6, $7, $6, $7, 5000, 'EUR', 'x', 'admin')`,
        r,
      );
    }
    const startsByStaff = new Map<string, Set<number>>(t.staffIds.map((id) => [id, new Set<number>()]));
    for (const r of rows) startsByStaff.get(r[3] as string)?.add((r[5] as Date).getTime());
    return { count: rows.length, startsByStaff };
  } finally {
    await client.end();
  }
}

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

/** CPU time (ms) used so far by each process that serves a bench operation. */
export interface CpuTotals {
  /** This process: the load generator, and for the service-layer figures the driver too. */
  nodeMs: number;
  /** The Postgres cluster's server processes. */
  postgresMs: number;
  /** workerd, the Workers runtime `wrangler dev` runs (a child of wrangler, itself this process's child). */
  workerdMs: number;
}

const ticksToMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;

/** CPU time (ms) used so far by this process, by the Postgres cluster and by workerd (Linux /proc). */
export function cpuMeter(pgDataDir: string): () => CpuTotals {
  const postmaster = Number(readFileSync(`${pgDataDir}/postmaster.pid`, "utf8").split("\n")[0]);
  return () => {
    const all = processStats();
    let postgres = 0;
    // A backend that served one request's connection has exited by the end of a round: its CPU is in the
    // postmaster's children's time (cutime/cstime), not in a live process's.
    for (const p of all) {
      if (p.pid === postmaster) postgres += p.utime + p.stime + p.childTicks;
      else if (p.ppid === postmaster) postgres += p.utime + p.stime;
    }
    let workerd = 0;
    for (const p of descendantsOf(process.pid, all)) if (p.comm === "workerd") workerd += p.utime + p.stime;
    const u = process.cpuUsage();
    return { nodeMs: (u.user + u.system) / 1000, postgresMs: ticksToMs(postgres), workerdMs: ticksToMs(workerd) };
  };
}

/** What one round of operations cost: its wall time and the CPU each process used meanwhile. */
export interface CpuRound extends CpuTotals {
  ops: number;
  wallMs: number;
}

/** Measures `fn` (a round of `ops` operations) with `cpu`: wall time and CPU per process. */
export async function cpuRound<T>(
  cpu: () => CpuTotals,
  ops: number,
  fn: () => Promise<T>,
): Promise<{ result: T; round: CpuRound }> {
  const before = cpu();
  const t0 = performance.now();
  const result = await fn();
  const wallMs = performance.now() - t0;
  const after = cpu();
  return {
    result,
    round: {
      ops,
      wallMs,
      nodeMs: after.nodeMs - before.nodeMs,
      postgresMs: after.postgresMs - before.postgresMs,
      workerdMs: after.workerdMs - before.workerdMs,
    },
  };
}

/**
 * CPU per operation (ms) of Node, Postgres and workerd over all rounds, and per round `[node, postgres, workerd ms
 * per op, workerd % of one core]`. /proc counts in 10 ms ticks: a round's figure is ±10 ms / its operations.
 */
export function cpuFigures(rounds: readonly CpuRound[]) {
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const sum = (f: (r: CpuRound) => number) => rounds.reduce((a, r) => a + f(r), 0);
  const ops = sum((r) => r.ops);
  const core = (r: CpuRound) => Math.round((r.workerdMs / r.wallMs) * 1000) / 10;
  const cores = rounds.map(core);
  return {
    msPerOp: {
      node: r3(sum((r) => r.nodeMs) / ops),
      postgres: r3(sum((r) => r.postgresMs) / ops),
      workerd: r3(sum((r) => r.workerdMs) / ops),
    },
    workerdCorePercent: `${Math.min(...cores)}–${Math.max(...cores)}`,
    perRound: rounds.map((r) => [r3(r.nodeMs / r.ops), r3(r.postgresMs / r.ops), r3(r.workerdMs / r.ops), core(r)]),
  };
}

/**
 * What the figures through the worker owe to this machine rather than to the code (issue 15 item 4), printed with them.
 */
export const LOCAL_ONLY = [
  "one workerd process (wrangler dev) serves every HTTP request and the outbox queue consumer on a single thread, behind wrangler's own proxy worker; Cloudflare runs many isolates on many machines (workerd's CPU per booking includes the consumer's effects for it: about 11 % of workerd's busy time in npm run profile -- booking)",
  "the database is reached through the loopback proxy (scripts/lib/ws-proxy.ts) in the bench's own Node process, which is also the load generator",
  "each request's new connection is a WebSocket to that proxy, whose session pooler resets the Postgres session it hands over (RESET ALL, DEALLOCATE ALL, …: Postgres CPU per request includes it; Neon's transaction-mode pooler resets nothing)",
  "2 cores are shared by the load generator, workerd, Postgres and the proxy (and anything else running): CPU per operation holds, latency under load does not",
].join("; ");

/** Round-trip time (ms) between a Worker and its database that the production estimate assumes (BENCH_PROD_RTT_MS). */
export function productionRttMs(): number {
  const n = Number(process.env.BENCH_PROD_RTT_MS ?? 3);
  return Number.isFinite(n) && n >= 0 ? n : 3;
}

/**
 * An ESTIMATE of one request's latency in production, with its inputs: workerd's CPU per request measured here (it
 * runs on the request's own thread there, not queued behind 15 others), the database round trips the request makes
 * times an assumed RTT, and the Postgres CPU per request measured here (an upper bound of its execution time). The
 * workerd figure includes wrangler's proxy worker and, for bookings, the queue consumer's work: an upper bound too.
 */
export function productionEstimate(cpu: ReturnType<typeof cpuFigures>, roundTrips: number) {
  const rttMs = productionRttMs();
  const ms = cpu.msPerOp.workerd + roundTrips * rttMs + cpu.msPerOp.postgres;
  return {
    estimateMs: Math.round(ms * 10) / 10,
    inputs: `workerd CPU ${cpu.msPerOp.workerd} ms + ${roundTrips} round trip(s) × ${rttMs} ms RTT (assumed, BENCH_PROD_RTT_MS) + Postgres CPU ${cpu.msPerOp.postgres} ms`,
  };
}

/** Postgres sessions (server connections) opened so far in `database` (pg_stat_database.sessions, PostgreSQL 14+). */
export async function postgresSessions(adminUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>(
      "SELECT sessions::text AS n FROM pg_stat_database WHERE datname = current_database()",
    );
    return Number(r.rows[0]?.n ?? 0) - 1; // less this one
  } finally {
    await client.end();
  }
}
