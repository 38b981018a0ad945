// End-to-end figures through the running worker: availability latency, booking throughput vs a plain INSERT.
import pg from "pg";
import type { RunningStack } from "../scripts/lib/stack.ts";
import { Database } from "../worker/src/db/client.ts";
import { isoWeekday, zonedWallTimeToInstant } from "../worker/src/domain/time.ts";
import { createBooking } from "../worker/src/services/bookings/create.ts";
import { scheduleCacheStats } from "../worker/src/services/bookings/schedule-cache.ts";
import { idempotencyRequest } from "../worker/src/services/idempotency/keys.ts";
import {
  api,
  type BusyTenant,
  benchRounds,
  type CpuRound,
  cpuFigures,
  cpuMeter,
  cpuRound,
  createBenchTenant,
  type ExistingBookings,
  inRounds,
  insertExistingBookings,
  postgresSessions,
  productionEstimate,
  spread,
} from "./lib.ts";

const DAY = 86_400_000;

function nextMonday(): Date {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7 || 7));
  return d;
}

const dateOf = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Sequential GETs of `path` through the worker in rounds (after 20 warm-up requests): the latency spread and the CPU
 * Node, Postgres and workerd used per request in each round. `check` reads what the last answer held.
 */
async function measureGets<T>(
  stack: RunningStack,
  path: string,
  perRound: number,
  rounds: number,
  check: (body: unknown) => T,
) {
  const cpu = cpuMeter(stack.pg.dataDir);
  for (let i = 0; i < 20; i++) await fetch(`${stack.baseUrl}${path}`).then((r) => r.arrayBuffer());
  let last: T | undefined;
  const cpuRounds: CpuRound[] = [];
  const ms = await inRounds(rounds, async () => {
    const { result, round } = await cpuRound(cpu, perRound, async () => {
      const samples: number[] = [];
      for (let i = 0; i < perRound; i++) {
        const t0 = performance.now();
        const res = await fetch(`${stack.baseUrl}${path}`);
        const body = await res.json();
        samples.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        last = check(body);
      }
      return samples;
    });
    cpuRounds.push(round);
    return result;
  });
  return { ...ms, last: last as T, cpu: cpuFigures(cpuRounds) };
}

/** Database round trips of a public read (catalog, availability) the production estimate counts: one (issue 15). */
const PUBLIC_READ_ROUND_TRIPS = 1;
/** Of an HTTP booking on the known-schedule path: one (issue 15), when its tenant is known by slug in the same trip. */
const BOOKING_ROUND_TRIPS = 1;

export async function benchAvailability(stack: RunningStack, rounds = benchRounds()) {
  const tenant = await createBenchTenant(stack, "bench-availability");
  const from = nextMonday();
  const existing = await insertExistingBookings(stack, tenant, from, 30, 2000);
  const query = (days: number) =>
    `/v1/public/${tenant.slug}/availability?serviceId=${tenant.serviceId}&from=${dateOf(from)}&to=${dateOf(new Date(from.getTime() + (days - 1) * DAY))}`;
  // 5 rounds of 40 = the 200 requests of one run before
  const measure = async (path: string) => {
    const { last, ...figures } = await measureGets(
      stack,
      path,
      40,
      rounds,
      (b) => (b as { slots: unknown[] }).slots.length,
    );
    return { ...figures, slots: last, production: productionEstimate(figures.cpu, PUBLIC_READ_ROUND_TRIPS) };
  };
  const catalog = await measureGets(stack, `/v1/public/${tenant.slug}/catalog`, 40, rounds, (b) => {
    return (b as { services: unknown[] }).services.length;
  });
  const { last: services, ...catalogFigures } = catalog;
  return {
    existingBookings: existing.count,
    staff: tenant.staffIds.length,
    catalog: {
      ...catalogFigures,
      services,
      production: productionEstimate(catalogFigures.cpu, PUBLIC_READ_ROUND_TRIPS),
    },
    week: await measure(query(7)),
    month: await measure(query(30)),
  };
}

type Job = () => Promise<void>;

interface Phase {
  ops: number;
  seconds: number;
  /** One array of latencies per runClients call: per round. */
  latencies: number[][];
  /** The CPU each process used, per round. */
  cpu: CpuRound[];
}

const emptyPhase = (): Phase => ({ ops: 0, seconds: 0, latencies: [], cpu: [] });

/** Runs `jobs` with `clients` concurrent workers, adding wall time, latencies and CPU used to `into`. */
async function runClients(clients: number, jobs: Job[], into: Phase, cpu: ReturnType<typeof cpuMeter>) {
  let next = 0;
  const round: number[] = [];
  into.latencies.push(round);
  const measured = await cpuRound(cpu, jobs.length, () =>
    Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++]!;
          const s = performance.now();
          await job();
          round.push(performance.now() - s);
        }
      }),
    ),
  );
  into.seconds += measured.round.wallMs / 1000;
  into.ops += jobs.length;
  into.cpu.push(measured.round);
}

function report(p: Phase) {
  const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
  return { perSecond: round(p.ops / p.seconds), latencyMs: spread(p.latencies), cpu: cpuFigures(p.cpu) };
}

/**
 * Free hourly slots of a 60-minute service, in the tenant's zone, day by day from `from`: inside the 30 busy days
 * first (around the existing bookings), then on the days after.
 */
function freeSlots(tenant: BusyTenant, from: Date, existing: ExistingBookings, total: number) {
  const slots: { staffId: string; start: string }[] = [];
  for (let d = 0; slots.length < total; d++) {
    const date = dateOf(new Date(from.getTime() + d * DAY));
    if (isoWeekday(date) === 7) continue;
    for (let h = 9; h < 18; h++) {
      const start = zonedWallTimeToInstant(date, h * 60, "Europe/London");
      for (const staffId of tenant.staffIds) {
        if (existing.startsByStaff.get(staffId)?.has(start)) continue; // existing bookings are hour-aligned too
        slots.push({ staffId, start: new Date(start).toISOString() });
      }
    }
  }
  return slots.slice(0, total);
}

/**
 * Booking throughput with 16 concurrent clients on distinct slots of a tenant with 10 staff and 2,000 existing
 * bookings over 30 days, three ways:
 * - service: the booking transaction itself (engine check, exclusion constraint, customer, outbox, idempotency row)
 *   through the production driver, next to
 * - plainInsert: a plain single-row INSERT transaction (BEGIN, INSERT, COMMIT) on the same driver, pool and server —
 *   the like-for-like physical reference the target (≥ 40 %) is about. Both are warmed up first, then measured in
 *   alternating rounds so that drift (autovacuum, checkpoints, a busy neighbour) hits both alike; CPU per operation
 *   is reported for this process (load generator, driver, local proxy) and for the Postgres server;
 * - anyStaff: the same with no staff member named, a smaller batch in each round (reported, no target);
 * - http: the whole request through the worker in workerd (a fresh connection per request, as in production).
 */
export async function benchBooking(
  stack: RunningStack,
  opts: { clients?: number; rounds?: number; perRound?: number } = {},
) {
  const { clients = 16, rounds = benchRounds(), perRound = 320 } = opts;
  const warmup = 160;
  const httpPerRound = 64; // 5 rounds of 64 = the 320 of one run before
  const httpTotal = httpPerRound * rounds;
  const anyPerRound = 64;
  const anyTotal = anyPerRound * (rounds + 1); // the first round's worth warms up
  const config = { manageTokenSecret: "bench-secret-0123456789abcdef0123456789", publicBaseUrl: stack.baseUrl };
  const cpu = cpuMeter(stack.pg.dataDir);
  const tenant = await createBenchTenant(stack, "bench-booking");
  const from = nextMonday();
  const existing = await insertExistingBookings(stack, tenant, from, 30, 2000);
  const slots = freeSlots(tenant, from, existing, warmup + rounds * perRound + httpTotal);
  const admin = new pg.Client({ connectionString: stack.adminUrl });
  await admin.connect();
  await admin.query(
    "CREATE TABLE IF NOT EXISTS bench_plain (id bigserial PRIMARY KEY, tenant_id text, starts_at timestamptz, payload text); GRANT ALL ON bench_plain, bench_plain_id_seq TO bookra_app",
  );
  await admin.end();

  const db = new Database({
    databaseUrl: stack.appUrl,
    wsProxy: `127.0.0.1:${stack.proxy.port}`,
    maxConnections: clients,
  });
  let failures = 0;
  let anyFailures = 0;
  /** One booking through the service layer; a failure is counted (the figures are about the bookings made). */
  const bookingJob =
    (key: string, slot: { staffId?: string; start: string }, failed: () => void): Job =>
    async () => {
      try {
        await createBooking({
          ctx: { db, tenantId: tenant.tenantId, now: new Date(), config },
          input: { serviceId: tenant.serviceId, ...slot, customer: { name: key, email: `${key}@bench.example` } },
          source: "public",
          idempotency: await idempotencyRequest(`bench-${key}`, "public.bookings.create", slot),
        });
      } catch {
        failed();
      }
    };
  const booking = (i: number) => bookingJob(`c${i}`, slots[i]!, () => failures++);
  const plainInsert =
    (i: number): Job =>
    async () => {
      const c = await db.pool.connect();
      try {
        await c.query("BEGIN");
        await c.query("INSERT INTO bench_plain (tenant_id, starts_at, payload) VALUES ($1, now(), $2)", [
          tenant.tenantId,
          `row ${i}`,
        ]);
        await c.query("COMMIT");
      } finally {
        c.release();
      }
    };
  // "Any staff": distinct start times on the days after the named-staff slots, every staff member free at each.
  const lastDay = Math.max(...slots.map((x) => Date.parse(x.start))) + 2 * DAY;
  const oneStaff = { ...tenant, staffIds: tenant.staffIds.slice(0, 1) }; // one slot per hour
  const noBookings: ExistingBookings = { count: 0, startsByStaff: new Map() };
  const anyStarts = freeSlots(oneStaff, new Date(lastDay - (lastDay % DAY)), noBookings, anyTotal).map((x) => x.start);
  const anyStaffBooking = (i: number) => bookingJob(`a${i}`, { start: anyStarts[i]! }, () => anyFailures++);
  const range = (start: number, n: number) => Array.from({ length: n }, (_, k) => start + k);
  const service = emptyPhase();
  const anyStaff = emptyPhase();
  const plain = emptyPhase();
  let oneRoundTrip = 0;
  try {
    await runClients(clients, range(0, warmup).map(booking), emptyPhase(), cpu);
    await runClients(clients, range(0, warmup).map(plainInsert), emptyPhase(), cpu);
    await runClients(clients, range(0, anyPerRound).map(anyStaffBooking), emptyPhase(), cpu);
    let hits = 0;
    for (let r = 0; r < rounds; r++) {
      const hitsBefore = scheduleCacheStats.hits;
      await runClients(clients, range(warmup + r * perRound, perRound).map(booking), service, cpu);
      hits += scheduleCacheStats.hits - hitsBefore;
      await runClients(clients, range(r * perRound, perRound).map(plainInsert), plain, cpu);
      await runClients(clients, range((r + 1) * anyPerRound, anyPerRound).map(anyStaffBooking), anyStaff, cpu);
    }
    oneRoundTrip = hits / service.ops;
  } finally {
    await db.close();
  }

  const http = emptyPhase();
  let httpFailures = 0;
  const sessionsBefore = await postgresSessions(stack.adminUrl);
  const first = warmup + rounds * perRound;
  for (let round = 0; round < rounds; round++)
    await runClients(
      clients,
      range(first + round * httpPerRound, httpPerRound).map((i) => async () => {
        const s = slots[i]!;
        const r = await api(
          stack.baseUrl,
          "POST",
          `/v1/public/${tenant.slug}/bookings`,
          {
            serviceId: tenant.serviceId,
            staffId: s.staffId,
            start: s.start,
            customer: { name: `C${i}`, email: `c${i}@bench.example` },
          },
          undefined,
          { "idempotency-key": `bench-http-${String(i).padStart(12, "0")}` },
        );
        if (r.status !== 201) httpFailures++;
      }),
      http,
      cpu,
    );
  // New Postgres sessions per HTTP booking: the proxy pools them as Neon's pooler does; each new one costs a backend.
  const sessionsPerBooking =
    Math.round((((await postgresSessions(stack.adminUrl)) - sessionsBefore) / http.ops) * 100) / 100;
  const svc = report(service);
  const ref = report(plain);
  return {
    clients,
    existingBookings: existing.count,
    // Share of measured bookings that took the one-round-trip path (the schedule known in this process).
    service: { ...svc, failures, oneRoundTripPercent: Math.round(oneRoundTrip * 1000) / 10 },
    plainInsert: ref,
    ratioPercent: Math.round((svc.perSecond / ref.perSecond) * 1000) / 10,
    // The same without a named staff member: two round trips (the day's bookings decide who is least booked).
    anyStaff: {
      ...report(anyStaff),
      failures: anyFailures,
      ratioPercent: Math.round((report(anyStaff).perSecond / ref.perSecond) * 1000) / 10,
    },
    http: (() => {
      const r = report(http);
      return {
        ...r,
        failures: httpFailures,
        postgresSessionsPerOp: sessionsPerBooking,
        production: productionEstimate(r.cpu, BOOKING_ROUND_TRIPS),
      };
    })(),
  };
}
