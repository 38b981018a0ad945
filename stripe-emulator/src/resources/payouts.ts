// Payouts (run through the control API), the balance and balance transactions. A payout sweeps every balance
// transaction not yet paid out, per currency, when their sum is positive; `balanceTransactions.list({ payout })`
// lists those and the payout's own. A failed payout is paid first, then fails and gives the money back
// (`payout.paid`, then `payout.failed` with a `payout_failure` balance transaction).
import type Stripe from "stripe";
import type { Ctx } from "../context.ts";
import { invalid } from "../errors.ts";
import type { Form } from "../form.ts";
import { stripeId } from "../ids.ts";
import { list, newBalanceTransaction, newPayout } from "../objects.ts";
import { allowOnly, int, obj, str } from "../params.ts";
import { connectedAccount } from "./accounts.ts";

/**
 * `misreport` (control API only) makes the payout object and its events state an amount that differs by that much
 * from what its balance transaction moved: a payout Stripe reports with a different amount.
 */
export async function runPayouts(ctx: Ctx, outcome: "paid" | "failed", misreport = 0): Promise<Stripe.Payout[]> {
  const account = await connectedAccount(ctx, ctx.account);
  if (!account.payouts_enabled) return [];
  const unpaid = await ctx.tx.unpaidBalanceTransactions<Stripe.BalanceTransaction>(ctx.account);
  const byCurrency = new Map<string, Stripe.BalanceTransaction[]>();
  for (const row of unpaid) byCurrency.set(row.data.currency, [...(byCurrency.get(row.data.currency) ?? []), row.data]);
  const payouts: Stripe.Payout[] = [];
  for (const [currency, txns] of byCurrency) {
    const amount = txns.reduce((sum, t) => sum + t.net, 0);
    if (amount <= 0) continue;
    const id = stripeId("po");
    const txn = newBalanceTransaction({
      now: ctx.now,
      amount: -amount,
      currency,
      type: "payout",
      reportingCategory: "payout",
      source: id,
      description: "STRIPE PAYOUT",
      fees: [],
    });
    let payout = newPayout({ id, now: ctx.now, amount: amount + misreport, currency, balanceTransaction: txn.id });
    await ctx.tx.put(txn, ctx.account);
    await ctx.tx.setPayout([...txns.map((t) => t.id), txn.id], id);
    await ctx.tx.put(payout, ctx.account);
    await ctx.emit("payout.created", { ...payout, status: "pending" });
    await ctx.emit("payout.paid", payout);
    if (outcome === "failed") {
      const back = newBalanceTransaction({
        now: ctx.now,
        amount,
        currency,
        type: "payout_failure",
        reportingCategory: "payout_reversal",
        source: id,
        description: "STRIPE PAYOUT FAILURE",
        fees: [],
      });
      payout = {
        ...payout,
        status: "failed",
        failure_balance_transaction: back.id,
        failure_code: "account_closed",
        failure_message: "The bank account has been closed.",
      };
      await ctx.tx.put(back, ctx.account);
      await ctx.tx.put(payout, ctx.account);
      await ctx.emit("payout.failed", payout, { status: "paid" });
    }
    payouts.push(payout);
  }
  return payouts;
}

export async function listBalanceTransactions(
  ctx: Ctx,
  form: Form,
): Promise<Stripe.ApiList<Stripe.BalanceTransaction>> {
  allowOnly(form, [
    "payout",
    "type",
    "source",
    "currency",
    "limit",
    "starting_after",
    "ending_before",
    "created",
    "expand",
  ]);
  const limit = int(form, "limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalid("limit", "limit must be between 1 and 100");
  const payout = str(form, "payout");
  const rows = payout
    ? await ctx.tx.listByPayout<Stripe.BalanceTransaction>(ctx.account, payout)
    : await ctx.tx.list<Stripe.BalanceTransaction>(ctx.account, "balance_transaction");
  const type = str(form, "type");
  const source = str(form, "source");
  const currency = str(form, "currency");
  const created = obj(form, "created");
  const bound = (key: string) => int(created, key, false, "created.");
  const [gt, gte, lt, lte] = [bound("gt"), bound("gte"), bound("lt"), bound("lte")];
  let all = rows
    .map((r) => r.data)
    .filter(
      (t) =>
        (!type || t.type === type) &&
        (!source || t.source === source) &&
        (!currency || t.currency === currency) &&
        (gt === null || t.created > gt) &&
        (gte === null || t.created >= gte) &&
        (lt === null || t.created < lt) &&
        (lte === null || t.created <= lte),
    )
    .reverse(); // newest first, as Stripe lists
  const after = str(form, "starting_after");
  if (after) all = all.slice(all.findIndex((t) => t.id === after) + 1);
  return list(all.slice(0, limit), "/v1/balance_transactions", all.length > limit);
}

/** The account's balance: funds are available at once in the emulator, so `pending` holds zeros. */
export async function retrieveBalance(ctx: Ctx): Promise<Stripe.Balance> {
  const rows = await ctx.tx.list<Stripe.BalanceTransaction>(ctx.account, "balance_transaction");
  const sums = new Map<string, number>();
  for (const { data } of rows) sums.set(data.currency, (sums.get(data.currency) ?? 0) + data.net);
  if (sums.size === 0) {
    const account = ctx.connected ? await connectedAccount(ctx, ctx.connected) : null;
    sums.set(account?.default_currency ?? "eur", 0);
  }
  const entries = [...sums];
  return {
    object: "balance",
    available: entries.map(([currency, amount]) => ({ amount, currency, source_types: { card: amount } })),
    livemode: false,
    pending: entries.map(([currency]) => ({ amount: 0, currency, source_types: { card: 0 } })),
  };
}
