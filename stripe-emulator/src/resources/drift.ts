// What makes Stripe's books differ from Bookra's, for reconciliation tests (control API only): a charge Bookra never
// heard of (no event at all; many at once for benchmarks), a balance transaction's fee changed after the fact, and
// events of chosen types recorded but never delivered (`dropEvents`).
import type Stripe from "stripe";
import type { Ctx } from "../context.ts";
import { invalid, noSuch } from "../errors.ts";
import { processingFee } from "../fees.ts";
import { stripeId } from "../ids.ts";
import { feeDetail, newBalanceTransaction, newCharge, newPaymentIntent } from "../objects.ts";
import { connectedAccount } from "./accounts.ts";

export const DROP_EVENTS_SETTING = "drop_events";

/** The most charges one control request makes. */
export const MAX_SILENT_CHARGES = 5000;

/**
 * `count` charges of `amount` on the acting connected account, each with its PaymentIntent and balance transaction
 * (Stripe's fee, plus `applicationFee` when > 0), and no event: money Bookra was never told about.
 */
export async function silentCharges(
  ctx: Ctx,
  input: { amount: number; currency: string; applicationFee: number; count: number },
): Promise<Stripe.BalanceTransaction[]> {
  await connectedAccount(ctx, ctx.account);
  const { amount, currency, applicationFee, count } = input;
  if (!Number.isInteger(amount) || amount < 1) throw invalid("amount", "amount must be a positive integer");
  if (!Number.isInteger(count) || count < 1 || count > MAX_SILENT_CHARGES)
    throw invalid("count", `count must be from 1 to ${MAX_SILENT_CHARGES}`);
  if (!Number.isInteger(applicationFee) || applicationFee < 0 || applicationFee > amount)
    throw invalid("applicationFee", "applicationFee must be from 0 to amount");
  const out: Stripe.BalanceTransaction[] = [];
  for (let i = 0; i < count; i++) {
    const pi = newPaymentIntent({
      now: ctx.now,
      amount,
      currency,
      applicationFee: applicationFee > 0 ? applicationFee : null,
      platform: ctx.env.platform,
      metadata: {},
      description: "Charge made outside Bookra",
    });
    const txnId = stripeId("txn");
    const charge = newCharge({
      now: ctx.now,
      pi,
      balanceTransaction: txnId,
      applicationFeeId: applicationFee > 0 ? stripeId("fee") : null,
      email: null,
    });
    const fees = [feeDetail("stripe_fee", processingFee(amount), currency, "Stripe processing fees")];
    if (applicationFee > 0)
      fees.push(
        feeDetail("application_fee", applicationFee, currency, "Application fee", ctx.env.platform.application),
      );
    const txn = newBalanceTransaction({
      id: txnId,
      now: ctx.now,
      amount,
      currency,
      type: "charge",
      reportingCategory: "charge",
      source: charge.id,
      description: pi.description,
      fees,
    });
    await ctx.tx.put(txn, ctx.account);
    await ctx.tx.put(charge, ctx.account, { extra: { feeRefundedFor: 0, feeRefunded: 0 } });
    const paid: Stripe.PaymentIntent = {
      ...pi,
      status: "succeeded",
      amount_received: amount,
      latest_charge: charge.id,
    };
    await ctx.tx.put(paid, ctx.account);
    out.push(txn);
  }
  return out;
}

/** Stripe's processing fee of a balance transaction changed after the fact: `fee` and `net` follow; no event. */
export async function changeFee(ctx: Ctx, id: string, stripeFee: number): Promise<Stripe.BalanceTransaction> {
  if (!Number.isInteger(stripeFee) || stripeFee < 0) throw invalid("stripeFee", "stripeFee must be an integer ≥ 0");
  const row = await ctx.tx.get<Stripe.BalanceTransaction>(id);
  if (row?.type !== "balance_transaction") throw noSuch("balance_transaction", id);
  const others = row.data.fee_details.filter((f) => f.type !== "stripe_fee");
  const fees = [feeDetail("stripe_fee", stripeFee, row.data.currency, "Stripe processing fees"), ...others];
  const fee = fees.reduce((sum, f) => sum + f.amount, 0);
  const txn: Stripe.BalanceTransaction = { ...row.data, fee, fee_details: fees, net: row.data.amount - fee };
  await ctx.tx.put(txn, row.account);
  return txn;
}
