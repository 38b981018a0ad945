// Issue 14's reconciliation figure: a day of 1,000 balance transactions on a connected account (made at once by the
// emulator's control API, `POST /_emulator/charges {count}`, with no events) and their 1,000 `deposit.paid` entries
// posted through the worker's own db client, reconciled through the running worker (`POST
// /v1/admin/reconciliation/runs`: 10 pages of balance transactions from the emulator, the balance, the comparison and
// the stored run) several rounds; each must find 0 differences.
import type { RunningStack } from "../scripts/lib/stack.ts";
import { Database } from "../worker/src/db/client.ts";
import { depositPaid } from "../worker/src/domain/ledger.ts";
import { postEntry } from "../worker/src/services/ledger/post.ts";
import { api, benchRounds, signupBenchTenant, spread } from "./lib.ts";

const TRANSACTIONS = Number(process.env.RECONCILIATION_BENCH_TRANSACTIONS ?? 1000);
/** One run per round (each run is 10 pages and 1,000 comparisons); RECONCILIATION_BENCH_ROUNDS, else BENCH_ROUNDS. */
const ROUNDS = benchRounds(process.env.RECONCILIATION_BENCH_ROUNDS);
const AMOUNT = 2000;
const APPLICATION_FEE = 100;
const TIME_LIMIT_MS = 60_000;

interface Txn {
  id: string;
  amount: number;
  created: number;
  fee_details: { type: string; amount: number }[];
}

export async function benchReconciliation(stack: RunningStack) {
  const base = stack.baseUrl;
  const { key, tenantId } = await signupBenchTenant(stack, `recon-${process.pid}`);
  const link = await api(base, "POST", "/v1/admin/payments/connect", {}, key);
  if (link.status !== 200) throw new Error(`connect answered ${link.status}`);
  const account = link.body.state.accountId as string;
  await fetch(`${stack.stripeUrl}/_emulator/accounts/${account}/complete`, { method: "POST" });
  const deadline = performance.now() + TIME_LIMIT_MS;
  while ((await api(base, "GET", "/v1/admin/payments", undefined, key)).body.chargesEnabled !== true) {
    if (performance.now() > deadline) throw new Error("timed out waiting for the account to be enabled");
    await new Promise((r) => setTimeout(r, 20));
  }
  const made = await fetch(`${stack.stripeUrl}/_emulator/charges`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ account, amount: AMOUNT, applicationFee: APPLICATION_FEE, count: TRANSACTIONS }),
  });
  if (!made.ok) throw new Error(`emulator charges answered ${made.status}`);
  const txns = ((await made.json()) as { data: Txn[] }).data;
  // The entries the deposits' webhooks would have posted, one per balance transaction, 100 per transaction.
  const db = new Database({ databaseUrl: stack.appUrl, wsProxy: `127.0.0.1:${stack.proxy.port}`, maxConnections: 2 });
  try {
    for (let i = 0; i < txns.length; i += 100)
      await db.withTenantTx(tenantId, async (tx) => {
        for (const t of txns.slice(i, i + 100)) {
          const fee = (type: string) => t.fee_details.filter((f) => f.type === type).reduce((s, f) => s + f.amount, 0);
          const p = depositPaid({
            currency: "EUR",
            amount: t.amount,
            stripeFee: fee("stripe_fee"),
            platformFee: fee("application_fee"),
          });
          await postEntry(tx, {
            tenantId,
            occurredAt: new Date(t.created * 1000),
            kind: p.kind,
            source: { type: "stripe_balance_transaction", id: t.id },
            lines: p.lines,
          });
        }
      });
  } finally {
    await db.close();
  }
  const day = new Date(txns[0]!.created * 1000).toISOString().slice(0, 10);
  const samples: number[][] = [];
  let differences = 0;
  let checked = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const t = performance.now();
    const run = await api(base, "POST", "/v1/admin/reconciliation/runs", { day }, key);
    samples.push([performance.now() - t]);
    if (run.status !== 201) throw new Error(`reconciliation answered ${run.status} ${JSON.stringify(run.body)}`);
    differences += run.body.differences as number;
    checked = run.body.transactions as number;
  }
  return {
    transactions: checked,
    rounds: ROUNDS,
    differences,
    ms: spread(samples),
  };
}
