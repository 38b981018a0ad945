// Issue 13's webhook and ledger figures, on the same stack as the payments bench:
// - webhook events applied per second: held bookings are paid on the Stripe emulator while the bench's relay holds
//   the emulator's deliveries back; the bench then POSTs their `checkout.session.completed` events, signed as Stripe
//   signs them, to the worker's `/v1/webhooks/stripe` (127.0.0.1) from a few concurrent clients — each one confirms
//   its booking and posts its `deposit.paid` entry (after asking the emulator for the charge's balance transaction) —
//   then POSTs the same events again (duplicates: answered without applying anything). Bounded in count and time.
// - ledger posting's cost per booking: the confirming transaction's database work (lock the booking, record the
//   event id, touch the booking) with and without `postEntry` of the deposit's entry, interleaved on one pool through
//   the worker's own db client; and the rows and bytes (`pg_total_relation_size` of journal_entries + journal_lines,
//   indexes included) the webhook rounds added per booking.
import { sql } from "drizzle-orm";
import pg from "pg";
import type { RunningStack } from "../scripts/lib/stack.ts";
import { signature } from "../stripe-emulator/src/events.ts";
import { Database } from "../worker/src/db/client.ts";
import { depositPaid } from "../worker/src/domain/ledger.ts";
import { postEntry } from "../worker/src/services/ledger/post.ts";
import { api, type BenchStripe, benchRounds, r2, runConcurrently, signupBenchTenant, spread, stats } from "./lib.ts";

/** WEBHOOK_BENCH_ROUNDS, else BENCH_ROUNDS; at least 5. */
const ROUNDS = benchRounds(process.env.WEBHOOK_BENCH_ROUNDS);
/** Bookings (so events) per round: at most 100, the open holds one address may have (5 × 24 ≈ 3 × 40 before). */
const EVENTS = Math.min(100, Number(process.env.WEBHOOK_BENCH_EVENTS ?? 24));
const CLIENTS = 8;
/** Every wait of the bench gives up after this long. */
const TIME_LIMIT_MS = 120_000;
const PLATFORM_FEE_BPS = 500;
/** Transactions of each kind per round (5 × 60 = 3 × 100 before). */
const LEDGER_TX = 60;

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = performance.now() + TIME_LIMIT_MS;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
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

const ledgerBytes = async (stack: RunningStack) =>
  Number(
    (
      await adminQuery<{ b: string }>(
        stack,
        "SELECT pg_total_relation_size('journal_entries') + pg_total_relation_size('journal_lines') AS b",
      )
    )[0]!.b,
  );

export async function benchWebhooks(stack: RunningStack, stripe: BenchStripe) {
  const base = stack.baseUrl;
  const slug = `hooks-${process.pid}`;
  const { key, tenantId } = await signupBenchTenant(stack, slug);
  // the platform's fee as the operator sets it (npm run platform-fee): a deposit's entry then has all four lines
  await adminQuery(stack, "UPDATE tenants SET platform_fee_bps = $1 WHERE id = $2", [PLATFORM_FEE_BPS, tenantId]);
  // a round's bookings stay held until the bench sends their events: one address may hold that many (at most 100)
  const policies = await api(base, "PATCH", "/v1/admin/tenant", { policies: { openHoldsPerAddress: 100 } }, key);
  if (policies.status !== 200) throw new Error(`tenant policies answered ${policies.status}`);
  const link = await api(base, "POST", "/v1/admin/payments/connect", {}, key);
  if (link.status !== 200) throw new Error(`connect answered ${link.status}`);
  const accountId = link.body.state.accountId as string;
  await fetch(`${stack.stripeUrl}/_emulator/accounts/${accountId}/complete`, { method: "POST" });
  await until(
    "the account to be enabled",
    () => api(base, "GET", "/v1/admin/payments", undefined, key),
    (r) => r.body.chargesEnabled === true,
  );
  const service = await api(
    base,
    "POST",
    "/v1/admin/services",
    {
      name: "Deposit",
      durationMinutes: 30,
      price: { amount: 4000, currency: "EUR" },
      deposit: { percent: 25 },
      maxAdvanceDays: 60,
      staffIds: [],
    },
    key,
  );
  const staff = await api(
    base,
    "POST",
    "/v1/admin/staff",
    {
      name: "Hooks",
      commissionBps: 0,
      serviceIds: [service.body.id],
      weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
    },
    key,
  );
  if (staff.status !== 201) throw new Error(`staff answered ${staff.status}`);
  const day = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) + 5 * 86_400_000;
  let n = 0;

  /** A held booking paid on the emulator; its deliveries are held by the relay. */
  const paidHeldBooking = async () => {
    const i = n++;
    const b = await api(base, "POST", `/v1/public/${slug}/bookings`, {
      serviceId: service.body.id,
      start: new Date(day + i * 30 * 60_000).toISOString().replace(".000", ""),
      customer: { name: `Hook ${i}`, email: `hook-${i}-${process.pid}@example.com` },
    });
    if (b.status !== 201) throw new Error(`booking ${b.status}: ${JSON.stringify(b.body)}`);
    const checkout = await fetch(b.body.checkout.url, { redirect: "manual" });
    const session = /\/c\/pay\/(cs_\w+)/.exec(checkout.headers.get("location") ?? "")?.[1];
    if (!session) throw new Error(`checkout link answered ${checkout.status}`);
    const paid = await fetch(`${stack.stripeUrl}/_emulator/checkout/sessions/${session}/pay`, { method: "POST" });
    if (!paid.ok) throw new Error(`pay answered ${paid.status}`);
    return b.body.booking.id as string;
  };

  const post = async (payload: string, want: string) => {
    const res = await fetch(`${base}/v1/webhooks/stripe`, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "stripe-signature": signature(payload, stripe.webhookSecret, Math.floor(Date.now() / 1000)),
      },
      body: payload,
    });
    const body = (await res.json()) as { result?: string };
    if (res.status !== 200 || body.result !== want)
      throw new Error(`webhook answered ${res.status} ${JSON.stringify(body)}, expected ${want}`);
  };

  const bookingIds: string[] = [];
  const rounds: Record<string, unknown>[] = [];
  const appliedAll: number[][] = [];
  const duplicateAll: number[][] = [];
  const bytesBefore = await ledgerBytes(stack);
  for (let round = 0; round < ROUNDS; round++) {
    stripe.relay.held.length = 0;
    stripe.relay.holding = true;
    const ids: string[] = [];
    try {
      for (let i = 0; i < EVENTS; i++) ids.push(await paidHeldBooking());
      await until(
        "the emulator's deliveries",
        async () => stripe.relay.held.filter((raw) => raw.includes('"checkout.session.completed"')).length,
        (count) => count >= EVENTS,
      );
    } finally {
      stripe.relay.holding = false;
    }
    const events = stripe.relay.held
      .map((raw) => JSON.parse(raw) as { type: string })
      .filter((e) => e.type === "checkout.session.completed")
      // Stripe's own formatting of the body (pretty-printed), as delivered
      .map((e) => JSON.stringify(e, null, 2));
    bookingIds.push(...ids);

    const t0 = performance.now();
    const applied = await runConcurrently(
      events.map((e) => () => post(e, "applied")),
      CLIENTS,
    );
    const appliedSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const duplicate = await runConcurrently(
      events.map((e) => () => post(e, "duplicate")),
      CLIENTS,
    );
    const duplicateSeconds = (performance.now() - t1) / 1000;
    appliedAll.push(applied);
    duplicateAll.push(duplicate);
    rounds.push({
      events: events.length,
      appliedPerSecond: Math.round(events.length / appliedSeconds),
      appliedMs: stats(applied),
      duplicatePerSecond: Math.round(events.length / duplicateSeconds),
      duplicateMs: stats(duplicate),
    });
  }
  const confirmed = await adminQuery<{ n: string }>(
    stack,
    "SELECT count(*) AS n FROM bookings WHERE id = ANY($1) AND status = 'confirmed'",
    [bookingIds],
  );
  if (Number(confirmed[0]!.n) !== bookingIds.length) throw new Error("not every paid booking was confirmed");
  const bytesAfter = await ledgerBytes(stack);
  const rows = (
    await adminQuery<{ entries: string; lines: string }>(
      stack,
      `SELECT (SELECT count(DISTINCT entry_id) FROM journal_lines WHERE booking_id = ANY($1)) AS entries,
              (SELECT count(*) FROM journal_lines WHERE booking_id = ANY($1)) AS lines`,
      [bookingIds],
    )
  )[0]!;

  return {
    clients: CLIENTS,
    appliedMs: spread(appliedAll),
    duplicateMs: spread(duplicateAll),
    webhooks: rounds,
    appliedPerSecondMinMax: minMax(rounds.map((r) => r.appliedPerSecond as number)),
    duplicatePerSecondMinMax: minMax(rounds.map((r) => r.duplicatePerSecond as number)),
    ledgerPerBooking: {
      bookings: bookingIds.length,
      journalEntries: r2(Number(rows.entries) / bookingIds.length),
      journalLines: r2(Number(rows.lines) / bookingIds.length),
      bytes: Math.round((bytesAfter - bytesBefore) / bookingIds.length),
    },
    ledgerPosting: await benchPosting(stack, tenantId, bookingIds),
  };
}

const minMax = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs) });

/**
 * The confirming transaction's database work with and without the deposit's ledger posting, interleaved (A, B, A,
 * B…) on one connection pool of the worker's db client, `LEDGER_TX` of each per round.
 */
async function benchPosting(stack: RunningStack, tenantId: string, bookingIds: string[]) {
  const db = new Database({ databaseUrl: stack.appUrl, wsProxy: `127.0.0.1:${stack.proxy.port}`, maxConnections: 2 });
  const confirmWork = async (tx: Parameters<Parameters<Database["withTenantTx"]>[1]>[0], bookingId: string) => {
    await tx.execute(sql`SELECT id FROM bookings WHERE id = ${bookingId} FOR UPDATE`);
    await tx.execute(sql`INSERT INTO payment_events (tenant_id, event_id, event_type)
      VALUES (${tenantId}, ${`evt_bench${crypto.randomUUID().replaceAll("-", "")}`}, 'checkout.session.completed')`);
    await tx.execute(sql`UPDATE bookings SET updated_at = now() WHERE id = ${bookingId}`);
  };
  const rounds: Record<string, unknown>[] = [];
  const withoutAll: number[][] = [];
  const withAll: number[][] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const without: number[] = [];
      const withPosting: number[] = [];
      withoutAll.push(without);
      withAll.push(withPosting);
      for (let i = 0; i < LEDGER_TX; i++) {
        const bookingId = bookingIds[i % bookingIds.length]!;
        let t = performance.now();
        await db.withTenantTx(tenantId, (tx) => confirmWork(tx, bookingId));
        without.push(performance.now() - t);
        t = performance.now();
        await db.withTenantTx(tenantId, async (tx) => {
          await confirmWork(tx, bookingId);
          const p = depositPaid({ currency: "EUR", bookingId, amount: 1000, stripeFee: 35, platformFee: 50 });
          await postEntry(tx, {
            tenantId,
            occurredAt: new Date(),
            kind: p.kind,
            source: { type: "bench", id: `txn_bench${crypto.randomUUID().replaceAll("-", "")}` },
            lines: p.lines,
          });
        });
        withPosting.push(performance.now() - t);
      }
      const a = stats(without);
      const b = stats(withPosting);
      rounds.push({
        withoutPostingMs: a,
        withPostingMs: b,
        postingMsP50: r2(b.p50 - a.p50),
        ratioP50: r2(b.p50 / a.p50),
      });
    }
  } finally {
    await db.pool.end();
  }
  return {
    transactionsPerRound: LEDGER_TX,
    withoutPostingMs: spread(withoutAll),
    withPostingMs: spread(withAll),
    rounds,
  };
}
