// Reports on a busy year (issue 14 item 4): 100,000 bookings ≈ 1,000,000 ledger lines for one tenant, seeded as the
// superuser with generate_series through balanced entries (the ledger's balance trigger checks each at COMMIT, the
// rollup trigger of migration 0025 counts them as any posting), then a year's revenue by day, by staff and the summary
// through the running worker: p50/p95 per round over ≥ 5 rounds, and the spread of the rounds.
import pg from "pg";
import type { RunningStack } from "../scripts/lib/stack.ts";
import { api, benchRounds, createBenchTenant, inRounds } from "./lib.ts";

const BOOKINGS = Number(process.env.REPORTS_BENCH_BOOKINGS ?? 100_000);
/** REPORTS_BENCH_ROUNDS, else BENCH_ROUNDS; at least 5. */
const ROUNDS = benchRounds(process.env.REPORTS_BENCH_ROUNDS);
const PER_ROUND = 20;
const CHUNK = 10_000;
const YEAR = { from: "2025-01-01", to: "2025-12-31" };

/**
 * One chunk of bookings i ∈ [a, b], each: a deposit paid (1500, Stripe fee 50, platform fee 100) two days before,
 * completed (price 5000: deposit + card, a 300 tip every 4th), commission 30 %, and every 5th refunded 1000 after
 * completion and the refund accepted. Spread over the year in London time, across both clock changes.
 */
const SEED = `
WITH b AS (
  SELECT i, '2025-01-01T00:00:00Z'::timestamptz + make_interval(secs => i * 310) AS at,
         ($2::text[])[1 + i % array_length($2::text[], 1)] AS staff,
         ($3::text[])[1 + i % array_length($3::text[], 1)] AS service,
         CASE WHEN i % 4 = 0 THEN 300 ELSE 0 END AS tip
  FROM generate_series($4::int, $5::int) i
), facts AS (
  SELECT b.*, f.k, f.kind, b.at + f.shift AS occurred_at
  FROM b, (VALUES ('d', 'deposit.paid', interval '-2 days'), ('c', 'booking.completed', interval '0'),
                  ('m', 'commission.earned', interval '0'), ('r', 'refund.decided_after_completion', interval '1 day'),
                  ('a', 'refund.accepted', interval '1 day 1 hour')) f (k, kind, shift)
  WHERE f.k NOT IN ('r', 'a') OR b.i % 5 = 0
), entries AS (
  INSERT INTO journal_entries (id, tenant_id, occurred_at, kind, source_type, source_id)
  SELECT 'jre_bench_' || k || i, $1, occurred_at, kind, 'bench', k || i FROM facts
)
INSERT INTO journal_lines (tenant_id, entry_id, account, amount, currency, staff_id, service_id)
SELECT $1, 'jre_bench_' || f.k || f.i, l.account, l.amount, 'EUR', f.staff, f.service
FROM facts f, LATERAL (VALUES
  ('d', 'stripe_balance', 1350), ('d', 'stripe_fees', 50), ('d', 'platform_fees', 100), ('d', 'customer_deposits', -1500),
  ('c', 'customer_deposits', 1500), ('c', 'desk:card', 3500 + f.tip), ('c', 'service_revenue', -5000),
  ('c', 'tips_payable:' || f.staff, -f.tip),
  ('m', 'commission_expense', 1500), ('m', 'commissions_payable:' || f.staff, -1500),
  ('r', 'refunds_given', 1000), ('r', 'refunds_payable', -1000),
  ('a', 'refunds_payable', 1000), ('a', 'stripe_balance', -1000)
) l (k, account, amount)
WHERE l.k = f.k AND l.amount <> 0`;

async function seed(stack: RunningStack, tenantId: string, staffIds: string[], serviceIds: string[]) {
  const client = new pg.Client({ connectionString: stack.adminUrl });
  await client.connect();
  try {
    const accounts: [string, string][] = [
      ["stripe_balance", "asset"],
      ["stripe_fees", "expense"],
      ["platform_fees", "expense"],
      ["customer_deposits", "liability"],
      ["desk:card", "asset"],
      ["service_revenue", "income"],
      ["commission_expense", "expense"],
      ["refunds_given", "income"],
      ["refunds_payable", "liability"],
      ...staffIds.flatMap((s): [string, string][] => [
        [`tips_payable:${s}`, "liability"],
        [`commissions_payable:${s}`, "liability"],
      ]),
    ];
    for (const [code, type] of accounts)
      await client.query(
        "INSERT INTO ledger_accounts (tenant_id, code, type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        [tenantId, code, type],
      );
    const t0 = performance.now();
    for (let a = 0; a < BOOKINGS; a += CHUNK) {
      await client.query("BEGIN");
      await client.query(SEED, [tenantId, staffIds, serviceIds, a, Math.min(BOOKINGS, a + CHUNK) - 1]);
      await client.query("COMMIT");
    }
    const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
    await client.query("ANALYZE journal_entries, journal_lines, ledger_daily");
    const counts = await client.query<{ lines: string; entries: string; rollup: string }>(
      `SELECT (SELECT count(*) FROM journal_lines WHERE tenant_id = $1)::text AS lines,
              (SELECT count(*) FROM journal_entries WHERE tenant_id = $1)::text AS entries,
              (SELECT count(*) FROM ledger_daily WHERE tenant_id = $1)::text AS rollup`,
      [tenantId],
    );
    const row = counts.rows[0]!;
    return { seedSeconds, lines: Number(row.lines), entries: Number(row.entries), rollupRows: Number(row.rollup) };
  } finally {
    await client.end();
  }
}

async function rounds(stack: RunningStack, key: string, path: string) {
  const get = async () => {
    const t0 = performance.now();
    const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
    const body = await res.text(); // the whole answer, JSON or CSV
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 3; i++) await get(); // warm-up
  const ms = await inRounds(ROUNDS, async () => {
    const samples: number[] = [];
    for (let i = 0; i < PER_ROUND; i++) samples.push(await get());
    return samples;
  });
  return { ...ms, requestsPerRound: PER_ROUND };
}

export async function benchReports(stack: RunningStack) {
  const tenant = await createBenchTenant(stack, `reports-${process.pid}`, 10);
  const serviceIds = [tenant.serviceId];
  for (let i = 1; i < 5; i++) {
    const svc = await api(
      stack.baseUrl,
      "POST",
      "/v1/admin/services",
      { name: `Service ${i}`, durationMinutes: 30, price: { amount: 5000, currency: "EUR" }, staffIds: [] },
      tenant.apiKey,
    );
    if (svc.status !== 201) throw new Error(JSON.stringify(svc.body));
    serviceIds.push(svc.body.id as string);
  }
  const seeded = await seed(stack, tenant.tenantId, tenant.staffIds, serviceIds);
  const q = `from=${YEAR.from}&to=${YEAR.to}`;
  const summary = await api(stack.baseUrl, "GET", `/v1/admin/reports/summary?${q}`, undefined, tenant.apiKey);
  const eur = summary.body.currencies[0];
  // What the seed posted, by hand: the report must say the same to the minor unit.
  const expected = { serviceRevenue: 5000 * BOOKINGS, refunds: 1000 * Math.ceil(BOOKINGS / 5) };
  const inYear = { serviceRevenue: eur.serviceRevenue as number, refunds: eur.refunds as number };
  return {
    bookings: BOOKINGS,
    ...seeded,
    figuresMatchSeed: JSON.stringify(inYear) === JSON.stringify(expected),
    revenueByDayMs: await rounds(stack, tenant.apiKey, `/v1/admin/reports/revenue?${q}&groupBy=day`),
    revenueByStaffMs: await rounds(stack, tenant.apiKey, `/v1/admin/reports/revenue?${q}&groupBy=staff`),
    summaryMs: await rounds(stack, tenant.apiKey, `/v1/admin/reports/summary?${q}`),
    revenueByDayCsvMs: await rounds(stack, tenant.apiKey, `/v1/admin/reports/revenue.csv?${q}&groupBy=day`),
  };
}
