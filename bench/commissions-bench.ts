// Issue 14's throughput figure: the share of desk-completion throughput that the commission rule and ledger posting
// cost. On one tenant (10 staff, each with a default commission rule and an override for the service), bookings
// created beforehand (confirmed, inserted as the table owner: setup only) are completed with a card payment and a tip:
// - through the running worker (127.0.0.1): `POST /v1/admin/bookings/{id}/complete` from CLIENTS concurrent clients,
//   completions per second and latency per round — the real code, rule lookup and both entries posted;
// - the completion service's own transaction (services/desk/complete.ts, the worker's db client on one pool),
//   interleaved with and without the rule lookup + `postEntry` calls (`posting: "skip"`, the bench's alone), the order
//   alternating; share = 1 − (throughput with / throughput without), throughput = completions / time spent in them.
// ROUNDS ≥ 5; every count is bounded and every wait gives up.
import pg from "pg";
import type { RunningStack } from "../scripts/lib/stack.ts";
import { Database } from "../worker/src/db/client.ts";
import type { CompletionInput } from "../worker/src/schemas/completion.ts";
import { type CompletionPosting, completeBooking } from "../worker/src/services/desk/complete.ts";
import {
  api,
  benchRounds,
  createBenchTenant,
  insertExistingBookings,
  spread as latencySpread,
  percentile,
  r2,
  runConcurrently,
  stats,
} from "./lib.ts";

/** COMMISSIONS_BENCH_ROUNDS, else BENCH_ROUNDS; at least 5. */
const ROUNDS = benchRounds(process.env.COMMISSIONS_BENCH_ROUNDS);
/** Completions through the worker per round (at most 200). */
const HTTP_PER_ROUND = Math.min(200, Number(process.env.COMMISSIONS_BENCH_HTTP ?? 40));
/** Service transactions of each kind (with, without posting) per round (at most 200). */
const TX_PER_ROUND = Math.min(200, Number(process.env.COMMISSIONS_BENCH_TX ?? 50));
const CLIENTS = 4;
/** The whole bench gives up after this long. */
const TIME_LIMIT_MS = 300_000;
const PRICE = 5000;
const TIP = 500;
const INPUT: CompletionInput = { payments: [{ method: "card", amount: PRICE + TIP }], tip: { amount: TIP } };

const share = (withPerSecond: number, withoutPerSecond: number) => r2(1 - withPerSecond / withoutPerSecond);

export async function benchCommissions(stack: RunningStack) {
  const started = performance.now();
  const inTime = () => {
    if (performance.now() - started > TIME_LIMIT_MS) throw new Error("the commissions bench ran out of time");
  };
  const tenant = await createBenchTenant(stack, `commissions-${process.pid}`, 10);
  for (const staffId of tenant.staffIds) {
    const rules = await api(
      stack.baseUrl,
      "PUT",
      `/v1/admin/staff/${staffId}/commission-rules`,
      {
        rules: [
          { kind: "percent", rateBps: 3000, effectiveFrom: "2020-01-01" },
          { kind: "percent", rateBps: 3500, serviceId: tenant.serviceId, effectiveFrom: "2024-01-01" },
        ],
      },
      tenant.apiKey,
    );
    if (rules.status !== 200)
      throw new Error(`commission rules answered ${rules.status} ${JSON.stringify(rules.body)}`);
  }
  const needed = 3 + ROUNDS * (HTTP_PER_ROUND + 2 * TX_PER_ROUND); // 3: the warm-up
  const today = new Date();
  const fromDay = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1));
  const existing = await insertExistingBookings(stack, tenant, fromDay, 120, needed);
  if (existing.count < needed) throw new Error(`only ${existing.count} bookings for ${needed} completions`);
  const ids = await bookingIds(stack, tenant.tenantId);
  let next = 0;
  const take = () => ids[next++]!;

  const db = new Database({ databaseUrl: stack.appUrl, wsProxy: `127.0.0.1:${stack.proxy.port}`, maxConnections: 2 });
  const complete = async (posting: CompletionPosting) => {
    const id = take();
    const ctx = {
      db,
      tenantId: tenant.tenantId,
      now: new Date(),
      config: { manageTokenSecret: "bench", publicBaseUrl: stack.baseUrl },
    };
    const t = performance.now();
    const done = await completeBooking({ ctx, id, input: INPUT, posting });
    const ms = performance.now() - t;
    if (done.status !== "completed") throw new Error(`completion left ${id} ${done.status}`);
    return { id, ms };
  };

  const rounds: Record<string, unknown>[] = [];
  const httpAll: number[][] = [];
  const withAll: number[][] = [];
  const withoutAll: number[][] = [];
  const httpIds: string[] = [];
  const postedIds: string[] = [];
  const skippedIds: string[] = [];
  try {
    // warm-up: the worker's isolate and both paths of the service (not counted)
    await complete("post");
    await complete("skip");
    const warm = take();
    await api(stack.baseUrl, "POST", `/v1/admin/bookings/${warm}/complete`, INPUT, tenant.apiKey);
    for (let round = 0; round < ROUNDS; round++) {
      inTime();
      const batch = Array.from({ length: HTTP_PER_ROUND }, take);
      httpIds.push(...batch);
      const t0 = performance.now();
      const latencies = await runConcurrently(
        batch.map((id) => async () => {
          const res = await api(stack.baseUrl, "POST", `/v1/admin/bookings/${id}/complete`, INPUT, tenant.apiKey);
          if (res.status !== 200 || res.body.status !== "completed")
            throw new Error(`complete answered ${res.status} ${JSON.stringify(res.body)}`);
        }),
        CLIENTS,
      );
      const httpSeconds = (performance.now() - t0) / 1000;
      httpAll.push(latencies);

      inTime();
      const withMs: number[] = [];
      const withoutMs: number[] = [];
      for (let i = 0; i < TX_PER_ROUND; i++) {
        const order: CompletionPosting[] = i % 2 === 0 ? ["post", "skip"] : ["skip", "post"];
        for (const posting of order) {
          const { id, ms } = await complete(posting);
          if (posting === "post") {
            withMs.push(ms);
            postedIds.push(id);
          } else {
            withoutMs.push(ms);
            skippedIds.push(id);
          }
        }
      }
      withAll.push(withMs);
      withoutAll.push(withoutMs);
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const withPerSecond = (withMs.length * 1000) / sum(withMs);
      const withoutPerSecond = (withoutMs.length * 1000) / sum(withoutMs);
      rounds.push({
        httpPerSecond: Math.round(HTTP_PER_ROUND / httpSeconds),
        httpMs: stats(latencies),
        transactionWithPostingMs: stats(withMs),
        transactionWithoutPostingMs: stats(withoutMs),
        transactionsPerSecond: { with: Math.round(withPerSecond), without: Math.round(withoutPerSecond) },
        share: share(withPerSecond, withoutPerSecond),
      });
    }
  } finally {
    await db.pool.end();
  }

  // What was measured is what it claims: two entries (completion + commission) per posted completion, none for the
  // skipped ones, and a commission on each posted one.
  const entries = await adminQuery<{ posted: string; skipped: string; commissions: string }>(
    stack,
    `SELECT (SELECT count(*) FROM journal_entries WHERE tenant_id = $1 AND source_id = ANY($2)) AS posted,
            (SELECT count(*) FROM journal_entries WHERE tenant_id = $1 AND source_id = ANY($3)) AS skipped,
            (SELECT count(*) FROM booking_completions WHERE tenant_id = $1 AND booking_id = ANY($2) AND commission > 0)
              AS commissions`,
    [tenant.tenantId, [...httpIds, ...postedIds], skippedIds],
  );
  const posted = httpIds.length + postedIds.length;
  if (Number(entries[0]!.posted) !== 2 * posted || Number(entries[0]!.skipped) !== 0)
    throw new Error(`unexpected entries: ${JSON.stringify(entries[0])} for ${posted} posted completions`);
  if (Number(entries[0]!.commissions) !== posted) throw new Error("a posted completion has no commission");

  const shares = rounds.map((r) => r.share as number);
  const httpRates = rounds.map((r) => r.httpPerSecond as number);
  const w = latencySpread(withAll);
  const wo = latencySpread(withoutAll);
  const h = latencySpread(httpAll);
  const spread = (xs: number[]) => `${Math.min(...xs)}–${Math.max(...xs)}`;
  return {
    rounds: ROUNDS,
    clients: CLIENTS,
    httpPerRound: HTTP_PER_ROUND,
    transactionsPerRound: TX_PER_ROUND,
    share: {
      p50: percentile(
        [...shares].sort((a, b) => a - b),
        50,
      ),
      spread: spread(shares),
    },
    httpPerSecond: {
      p50: percentile(
        [...httpRates].sort((a, b) => a - b),
        50,
      ),
      spread: spread(httpRates),
    },
    httpMs: h,
    transactionWithPostingMs: w,
    transactionWithoutPostingMs: wo,
    postingMsP50: r2(w.p50 - wo.p50),
    postingShareOfHttpP50: r2((w.p50 - wo.p50) / h.p50),
    perRound: rounds,
  };
}

async function bookingIds(stack: RunningStack, tenantId: string): Promise<string[]> {
  const rows = await adminQuery<{ id: string }>(
    stack,
    "SELECT id FROM bookings WHERE tenant_id = $1 AND status = 'confirmed' ORDER BY id",
    [tenantId],
  );
  return rows.map((r) => r.id);
}

async function adminQuery<T>(stack: RunningStack, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack.adminUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}
