// End-to-end figures through the running worker: availability latency, booking throughput vs a plain INSERT.
import { sql } from "drizzle-orm";
import pg from "pg";
import type { RunningStack } from "../scripts/lib/stack.ts";
import { Database } from "../worker/src/db/client.ts";
import { createBooking } from "../worker/src/services/bookings/create.ts";
import { idempotencyRequest } from "../worker/src/services/bookings/idempotency.ts";
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
  return {
    existingBookings: existing,
    staff: tenant.staffIds.length,
    week: await measure(query(7), 200),
    month: await measure(query(30), 200),
  };
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

function distinctSlots(tenant: BusyTenant, total: number) {
  const from = nextMonday();
  const slots: { staffId: string; start: string }[] = [];
  for (let d = 0; slots.length < total; d++) {
    const day = new Date(from.getTime() + d * DAY);
    if (day.getUTCDay() === 0) continue;
    for (let h = 9; h < 17; h++)
      for (const staffId of tenant.staffIds)
        slots.push({ staffId, start: `${dateOf(day)}T${String(h).padStart(2, "0")}:00:00Z` });
  }
  return slots.slice(0, total);
}

/**
 * Booking throughput with 16 concurrent clients on distinct slots, three ways:
 * - service: the booking transaction itself (engine check, exclusion constraint, customer, outbox, idempotency row)
 *   through the production driver, next to a plain single-row INSERT transaction on the same driver, pool and server —
 *   the like-for-like physical reference the target (≥ 40 %) is about;
 * - http: the whole request through the worker in workerd (a fresh connection per request, as in production).
 */
export async function benchBooking(stack: RunningStack, total = 640, clients = 16) {
  const config = { manageTokenSecret: "bench-secret-0123456789abcdef0123456789", publicBaseUrl: stack.baseUrl };
  const db = new Database({
    databaseUrl: stack.appUrl,
    wsProxy: `127.0.0.1:${stack.proxy.port}`,
    maxConnections: clients,
  });
  try {
    const svcTenant = await createBenchTenant(stack, "bench-booking-svc");
    let failures = 0;
    const service = await runClients(
      clients,
      distinctSlots(svcTenant, total).map((s, i) => async () => {
        try {
          await createBooking({
            ctx: { db, tenantId: svcTenant.tenantId, now: new Date(), config },
            input: {
              serviceId: svcTenant.serviceId,
              staffId: s.staffId,
              start: s.start,
              customer: { name: `C${i}`, email: `c${i}@bench.example` },
            },
            source: "public",
            idempotency: await idempotencyRequest(`bench-${i}`, "public.bookings.create", s),
          });
        } catch {
          failures++;
        }
      }),
    );
    await db.withTenantTx(svcTenant.tenantId, (tx) => tx.execute(sql`SELECT 1`));
    const admin = new pg.Client({ connectionString: stack.adminUrl });
    await admin.connect();
    await admin.query(
      "CREATE TABLE IF NOT EXISTS bench_plain (id bigserial PRIMARY KEY, tenant_id text, starts_at timestamptz, payload text); GRANT ALL ON bench_plain, bench_plain_id_seq TO bookra_app",
    );
    await admin.end();
    const plain = await runClients(
      clients,
      Array.from({ length: total }, (_, i) => async () => {
        const c = await db.pool.connect();
        try {
          await c.query("BEGIN");
          await c.query("INSERT INTO bench_plain (tenant_id, starts_at, payload) VALUES ($1, now(), $2)", [
            svcTenant.tenantId,
            `row ${i}`,
          ]);
          await c.query("COMMIT");
        } finally {
          c.release();
        }
      }),
    );

    const httpTenant = await createBenchTenant(stack, "bench-booking-http");
    let httpFailures = 0;
    const http = await runClients(
      clients,
      distinctSlots(httpTenant, total / 2).map((s, i) => async () => {
        const r = await api(
          stack.baseUrl,
          "POST",
          `/v1/public/${httpTenant.slug}/bookings`,
          {
            serviceId: httpTenant.serviceId,
            staffId: s.staffId,
            start: s.start,
            customer: { name: `C${i}`, email: `c${i}@bench.example` },
          },
          undefined,
          { "idempotency-key": `bench-${i}` },
        );
        if (r.status !== 201) httpFailures++;
      }),
    );
    return {
      clients,
      service: { ...service, failures },
      plainInsert: plain,
      ratioPercent: Math.round((service.perSecond / plain.perSecond) * 1000) / 10,
      http: { ...http, failures: httpFailures },
    };
  } finally {
    await db.close();
  }
}
