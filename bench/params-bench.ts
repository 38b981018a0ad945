// `npm run bench -- params`: values inlined into SQL text (the booking path's session.finish: BEGIN, the statement
// and COMMIT in one simple-protocol round trip) against bound parameters through the same Neon driver (which sends
// one query at a time: BEGIN with the tenant setting, the parameterised statement, COMMIT). Measured over the local
// WebSocket proxy as is, and with a simulated network round trip in front of Postgres (Worker → Neon is not loopback).
import { rmSync } from "node:fs";
import { type AddressInfo, createConnection, createServer, type Server } from "node:net";
import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import { LOCAL_APP_PASSWORD, LOCAL_APP_ROLE, prepareDatabase } from "../scripts/lib/local-db.ts";
import { adminQuery, startPostgres } from "../scripts/lib/postgres.ts";
import { ROOT } from "../scripts/lib/stack.ts";
import { startWsProxy } from "../scripts/lib/ws-proxy.ts";
import { Database } from "../worker/src/db/client.ts";
import { newId, randomString } from "../worker/src/lib/ids.ts";
import { benchRounds, spread, summarize } from "./lib.ts";

/** Per round (BENCH_ROUNDS ≥ 5 rounds; 5 × 180 sequential ≈ 3 × 300 before). */
const SEQUENTIAL = 180;
const CLIENTS = 16;
const PER_CLIENT = 36;
/** Simulated round trips (ms), added half each way by a TCP relay in front of Postgres. */
const RTTS = [0, 2];

/** A TCP relay that delays every chunk by `oneWayMs` in each direction, in order. */
async function delayRelay(targetPort: number, oneWayMs: number): Promise<Server> {
  const server = createServer((client) => {
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    const pipe = (from: typeof client, to: typeof client) => {
      from.on("data", (chunk) => (oneWayMs > 0 ? setTimeout(() => to.write(chunk), oneWayMs) : to.write(chunk)));
      from.on("close", () => setTimeout(() => to.destroy(), oneWayMs));
      from.on("error", () => to.destroy());
    };
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return server;
}

function row(tenantId: string, i: number) {
  const key = `bench-${randomString(16)}`;
  // A quote and a backslash in the body: what the inlined path has to quote, as a customer's text would need.
  return sql`INSERT INTO dev_outbox_messages (tenant_id, kind, idempotency_key, recipient, subject, body)
             VALUES (${tenantId}, ${"email"}, ${key}, ${`customer${i}@example.com`}, ${"Your booking: Cut with Ana"},
                     ${`Hello 'there' \\ ${i}`})`;
}

type Mode = "inlined" | "bound";

async function oneTx(db: Database, tenantId: string, mode: Mode, i: number): Promise<void> {
  const statement = row(tenantId, i);
  if (mode === "inlined") await db.withTenantTx(tenantId, (_tx, session) => session.finish(statement));
  else await db.withTenantTx(tenantId, (tx) => tx.execute(statement)); // bound: $1…$6, extended protocol
}

async function measure(db: Database, tenantId: string, mode: Mode) {
  for (let i = 0; i < 20; i++) await oneTx(db, tenantId, mode, i); // warm the pool and plans
  const latencies: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t0 = performance.now();
    await oneTx(db, tenantId, mode, i);
    latencies.push(performance.now() - t0);
  }
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < PER_CLIENT; i++) await oneTx(db, tenantId, mode, c * PER_CLIENT + i);
    }),
  );
  const perSecond = Math.round((CLIENTS * PER_CLIENT) / ((performance.now() - t0) / 1000));
  return { latencyMs: summarize(latencies), latencies, perSecond };
}

export async function benchParams(runs = benchRounds()) {
  const dataDir = resolve(ROOT, ".data", `bench-params-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const server = await startPostgres({ dataDir: resolve(dataDir, "pg") });
  const proxy = await startWsProxy();
  const relays: Server[] = [];
  try {
    await prepareDatabase(server, "bench_params");
    const tenantId = newId("ten");
    await adminQuery(
      server.adminUrl("bench_params"),
      "INSERT INTO tenants (id, slug, name, timezone, currency) VALUES ($1, 'bench-params', 'Bench', 'UTC', 'EUR')",
      [tenantId],
    );
    const out: Record<string, unknown> = {};
    for (const rtt of RTTS) {
      const relay = await delayRelay(server.port, rtt / 2);
      relays.push(relay);
      const port = (relay.address() as AddressInfo).port;
      const url = `postgres://${LOCAL_APP_ROLE}:${LOCAL_APP_PASSWORD}@127.0.0.1:${port}/bench_params`;
      const results: Record<Mode, { latencies: number[][]; perSecond: number[] }> = {
        inlined: { latencies: [], perSecond: [] },
        bound: { latencies: [], perSecond: [] },
      };
      for (let run = 0; run < runs; run++) {
        for (const mode of ["inlined", "bound"] as const) {
          const db = new Database({ databaseUrl: url, wsProxy: `127.0.0.1:${proxy.port}`, maxConnections: CLIENTS });
          try {
            const r = await measure(db, tenantId, mode);
            results[mode].latencies.push(r.latencies);
            results[mode].perSecond.push(r.perSecond);
          } finally {
            await db.close();
          }
        }
      }
      const range = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs), runs: xs });
      out[`rtt${rtt}ms`] = {
        inlined: { ms: spread(results.inlined.latencies), txPerSecond16Clients: range(results.inlined.perSecond) },
        bound: { ms: spread(results.bound.latencies), txPerSecond16Clients: range(results.bound.perSecond) },
      };
    }
    return out;
  } finally {
    for (const r of relays) r.close();
    await proxy.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
