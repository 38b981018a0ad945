// `npm run bench`: prints every figure the issues ask for, measured on this machine against the local stack. Every
// latency figure is measured in BENCH_ROUNDS rounds (default and minimum 5) and printed as lib.ts's `spread`: p50, p95
// and p99 over all rounds, `roundsP50` / `roundsP95` (min–max of the rounds' p50 and p95) and `perRound` ([p50, p95]
// of each round), so one lucky or unlucky run on a busy machine shows as such.
import { benchAvailabilityWorst } from "./availability-worst-bench.ts";
import { benchCommissions } from "./commissions-bench.ts";
import { benchDashboard } from "./dashboard-bench.ts";
import { benchEngine } from "./engine-bench.ts";
import { LOCAL_ONLY, productionRttMs, withBenchStack } from "./lib.ts";
import { benchOutbox } from "./outbox-bench.ts";
import { benchParams } from "./params-bench.ts";
import { benchPassword } from "./password-bench.ts";
import { benchPayments } from "./payments-bench.ts";
import { benchReconciliation } from "./reconciliation-bench.ts";
import { benchReports } from "./reports-bench.ts";
import { benchAvailability, benchBooking } from "./stack-bench.ts";
import { benchThroughput } from "./throughput-bench.ts";
import { benchWebhooks } from "./webhooks-bench.ts";
import { benchWidget } from "./widget-bench.ts";

const only = process.argv.slice(2);
const wants = (name: string) => only.length === 0 || only.includes(name);

const out: Record<string, unknown> = {};
if (wants("engine")) {
  out.engine = await benchEngine();
  console.log(
    "engine (10 staff, 30 days, 2,000 bookings; ms, spread over the rounds; target ≤ 5 ms):",
    JSON.stringify(out.engine),
  );
}
if (
  wants("throughput") ||
  wants("availability") ||
  wants("availability-worst") ||
  wants("booking") ||
  wants("password") ||
  wants("payments") ||
  wants("reports") ||
  wants("reconciliation") ||
  wants("commissions")
) {
  console.log(
    `through the worker, only local (figures marked "production" are ESTIMATES: workerd CPU per request + round trips × ${productionRttMs()} ms assumed RTT + Postgres CPU per request): ${LOCAL_ONLY}`,
  );
  await withBenchStack(async (stack, stripe) => {
    if (wants("throughput")) {
      out.throughput = await benchThroughput(stack);
      console.log(
        "requests/s through workerd, 10 keep-alive connections (ranges over the rounds; goals: catalog ≥ 0.8× /health, 7-day availability ≥ 0.5×; oneRoundTripFloor: a request that makes one database round trip and nothing else, the ceiling of any request that needs the database on this machine; perRound: [catalog, availability, floor] ÷ /health):",
        JSON.stringify(out.throughput),
      );
    }
    if (wants("availability")) {
      out.availability = await benchAvailability(stack);
      console.log(
        "catalog and availability through the worker (ms, spread over the rounds; target p95 ≤ 50 in every round; cpu: ms per request of Node, Postgres, workerd, and workerd's % of one core, per round [node, postgres, workerd, workerd %]):",
        JSON.stringify(out.availability),
      );
    }
    if (wants("availability-worst")) {
      out.availabilityWorst = await benchAvailabilityWorst(stack);
      console.log(
        "worst allowed availability response (50 staff, 5-minute slots around the clock, 62 days; ms, spread over the rounds):",
        JSON.stringify(out.availabilityWorst),
      );
    }
    if (wants("booking")) {
      out.booking = await benchBooking(stack);
      console.log(
        "booking vs plain INSERT, 16 clients (target ≥ 40 %; latency ms, spread over the rounds; cpu: ms per operation of Node, Postgres, workerd, and workerd's % of one core, per round [node, postgres, workerd, workerd %]):",
        JSON.stringify(out.booking),
      );
    }
    if (wants("payments")) {
      out.payments = await benchPayments(stack);
      console.log(
        "payments: booking with a deposit until confirmed (emulator checkout, Pay, signed webhook) vs a booking owing nothing (ms, spread over the rounds):",
        JSON.stringify(out.payments),
      );
      out.webhooks = await benchWebhooks(stack, stripe);
      console.log(
        "payments: signed checkout.session.completed events POSTed to /v1/webhooks/stripe by 8 clients, applied (confirm + deposit.paid entry) and again as duplicates, per round (events/s; ms p50, p95, min–max) and their spread over the rounds; ledger rows and bytes per booking; the confirming transaction with and without postEntry (ms, spread over the rounds):",
        JSON.stringify(out.webhooks),
      );
    }
    if (wants("reports")) {
      out.reports = await benchReports(stack);
      console.log(
        "reports: a year of a busy tenant (100,000 bookings ≈ 1,000,000 ledger lines, seeded by generate_series) through the worker, ms (spread over the rounds; targets: revenue by day and summary p95 ≤ 100):",
        JSON.stringify(out.reports),
      );
    }
    if (wants("reconciliation")) {
      out.reconciliation = await benchReconciliation(stack);
      console.log(
        "reconciliation: a day of 1,000 balance transactions (10 pages from the emulator) held against their 1,000 ledger entries through the worker, one run per round (ms, spread over the rounds; must find 0 differences):",
        JSON.stringify(out.reconciliation),
      );
    }
    if (wants("commissions")) {
      out.commissions = await benchCommissions(stack);
      console.log(
        "commissions: desk completions (card payment + tip, commission rules) — through the worker by 4 clients (completions/s, ms), and the completion service's transaction with and without the rule lookup + ledger posting, interleaved; share = 1 − with/without throughput (p50 and spread over the rounds; ms, spread over the rounds):",
        JSON.stringify(out.commissions),
      );
    }
    if (wants("password")) {
      out.password = await benchPassword(stack);
      console.log(
        "password KDF: PBKDF2-SHA256 100,000 iterations + pepper (ms, spread over the rounds): hash, verify, sign-in through the worker:",
        JSON.stringify(out.password),
      );
    }
  });
}
if (wants("outbox")) {
  out.outbox = await benchOutbox();
  console.log(
    "outbox: drain of a burst, and at a steady 50 bookings/s in rounds commit→effect latency of every effect, split on the webhook effects into queue wait (commit → the handler's POST) and handler time (POST → completion stamp) (ms: p50/p95/p99 over all rounds; the rounds' p50 and p95 ranges; [p50, p95] per round; targets ≥ 500/s, p99 ≤ 2000 ms):",
    JSON.stringify(out.outbox),
  );
}
if (wants("params")) {
  out.params = await benchParams();
  console.log(
    "params: inlined values (1 round trip) vs bound parameters (3), one run per round (ms, spread over the rounds; tx/s min/max; decides db/client.ts inlining):",
    JSON.stringify(out.params),
  );
}
if (wants("dashboard")) {
  out.dashboard = await benchDashboard();
  console.log(
    "dashboard on the real stack, 10 staff / 500 bookings in a week (ms, spread over the rounds): shell + Today min+gzip (budget 80,000 B), Today after sign-in, Today on a reload, the calendar week after its data arrived (target ≤ 200 ms):",
    JSON.stringify(out.dashboard),
  );
}
if (wants("widget")) {
  out.widget = await benchWidget();
  console.log(
    "widget: script tag → first slots in Chromium (ms, spread over the rounds; target ≤ 300 ms):",
    JSON.stringify(out.widget),
  );
}
