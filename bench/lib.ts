// Shared bench plumbing: percentiles, a throwaway local stack, and a busy tenant built through the real API.
import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import pg from "pg";
import { processStats } from "../scripts/lib/proc.ts";
import { ROOT, type RunningStack, startStack } from "../scripts/lib/stack.ts";

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

export async function withBenchStack<T>(fn: (stack: RunningStack) => Promise<T>): Promise<T> {
  const dataDir = resolve(ROOT, ".data", `bench-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const stack = await startStack({ dataDir });
  try {
    return await fn(stack);
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
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

/** CPU time (ms) used so far by this process and by the Postgres cluster's server processes (Linux /proc). */
export function cpuMeter(pgDataDir: string): () => { nodeMs: number; postgresMs: number } {
  const postmaster = Number(readFileSync(`${pgDataDir}/postmaster.pid`, "utf8").split("\n")[0]);
  const postgresMs = () => {
    let ticks = 0;
    for (const p of processStats()) {
      if (p.pid === postmaster || p.ppid === postmaster) ticks += p.utime + p.stime;
    }
    return (ticks * 1000) / TICKS_PER_SECOND;
  };
  return () => {
    const u = process.cpuUsage();
    return { nodeMs: (u.user + u.system) / 1000, postgresMs: postgresMs() };
  };
}
