// End-to-end figures through the running worker: availability latency, booking throughput vs a plain INSERT.
import pg from "pg";
import type { RunningStack } from "../scripts/lib/stack.ts";
import { api, type BusyTenant, createBenchTenant, insertExistingBookings, summarize } from "./lib.ts";

const DAY = 86_400_000;

function nextMonday(): Date {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7 || 7));
  return d;
}

const dateOf = (d: Date) => d.toISOString().slice(0, 10);

export async function benchAvailability(stack: RunningStack) {
  const tenant = await createBenchTenant(stack, "bench-availability");
  const from = nextMonday();
  const existing = await insertExistingBookings(stack, tenant, from, 30, 2000);
  const query = (days: number) =>
    `/v1/public/${tenant.slug}/availability?serviceId=${tenant.serviceId}&from=${dateOf(from)}&to=${dateOf(new Date(from.getTime() + (days - 1) * DAY))}`;
  const measure = async (path: string, runs: number) => {
    for (let i = 0; i < 20; i++) await fetch(`${stack.baseUrl}${path}`).then((r) => r.arrayBuffer());
    const samples: number[] = [];
    let slots = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const res = await fetch(`${stack.baseUrl}${path}`);
      const body = (await res.json()) as { slots: unknown[] };
      samples.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`availability ${res.status}`);
      slots = body.slots.length;
    }
    return { ...summarize(samples), slots };
  };
  return { existingBookings: existing, staff: tenant.staffIds.length, week: await measure(query(7), 200), month: await measure(query(30), 200) };
}

async function runClients(clients: number, jobs: (() => Promise<void>)[]) {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const s = performance.now();
        await job();
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: Math.round((jobs.length / seconds) * 10) / 10, latencyMs: summarize(latencies) };
}

export async function benchBooking(stack: RunningStack, total = 640, clients = 16) {
  const tenant: BusyTenant = await createBenchTenant(stack, "bench-booking");
  const from = nextMonday();
  const slots: { staffId: string; start: string }[] = [];
  for (let d = 0; slots.length < total; d++) {
    const day = new Date(from.getTime() + d * DAY);
    if (day.getUTCDay() === 0) continue;
    for (let h = 9; h < 17; h++) for (const staffId of tenant.staffIds) slots.push({ staffId, start: `${dateOf(day)}T${String(h).padStart(2, "0")}:00:00Z` });
  }
  let failures = 0;
  const jobs = slots.slice(0, total).map((s, i) => async () => {
    const r = await api(stack.baseUrl, "POST", `/v1/public/${tenant.slug}/bookings`, {
      serviceId: tenant.serviceId, staffId: s.staffId, start: s.start, customer: { name: `C${i}`, email: `c${i}@bench.example` },
    }, undefined, { "idempotency-key": `bench-${i}` });
    if (r.status !== 201) failures++;
  });
  const booking = await runClients(clients, jobs);

  // The physical reference: the same number of single-row INSERT transactions on the same server and clients.
  const pool = new pg.Pool({ connectionString: stack.adminUrl, max: clients });
  await pool.query("CREATE TABLE IF NOT EXISTS bench_plain (id bigserial PRIMARY KEY, tenant_id text, starts_at timestamptz, payload text)");
  const plainJobs = Array.from({ length: total }, (_, i) => async () => {
    const c = await pool.connect();
    try {
      await c.query("BEGIN");
      await c.query("INSERT INTO bench_plain (tenant_id, starts_at, payload) VALUES ($1, now(), $2)", [tenant.tenantId, `row ${i}`]);
      await c.query("COMMIT");
    } finally {
      c.release();
    }
  });
  const plain = await runClients(clients, plainJobs);
  await pool.end();
  return { clients, total, failures, booking, plainInsert: plain, ratio: Math.round((booking.perSecond / plain.perSecond) * 1000) / 10 };
}
