// Disputes, opened and closed through the control API: opening withdraws the amount plus the dispute fee
// (`charge.dispute.created`, `charge.dispute.funds_withdrawn`); won returns both (`charge.dispute.funds_reinstated`),
// lost keeps them; either way `charge.dispute.closed`.
import type Stripe from "stripe";
import type { Ctx } from "../context.ts";
import { invalid, missing, noSuch, StripeApiError } from "../errors.ts";
import { DISPUTE_FEE } from "../fees.ts";
import { feeDetail, newBalanceTransaction, newDispute } from "../objects.ts";

export interface OpenDisputeInput {
  charge?: string;
  payment_intent?: string;
  amount?: number;
  reason?: string;
}

/** The charge a control request names (by charge or PaymentIntent id), wherever it lives. */
export async function findCharge(ctx: Ctx, input: { charge?: string; payment_intent?: string }) {
  let id = input.charge;
  if (!id && input.payment_intent) {
    const pi = await ctx.tx.get<Stripe.PaymentIntent>(input.payment_intent);
    if (pi?.type !== "payment_intent") throw noSuch("payment_intent", input.payment_intent, "payment_intent");
    if (typeof pi.data.latest_charge !== "string") throw invalid("payment_intent", "This PaymentIntent has no charge.");
    id = pi.data.latest_charge;
  }
  if (!id) throw missing("charge");
  const found = await ctx.tx.get<Stripe.Charge>(id);
  if (found?.type !== "charge") throw noSuch("charge", id, "charge");
  return found;
}

export async function openDispute(ctx: Ctx, input: OpenDisputeInput): Promise<Stripe.Dispute> {
  const { data: charge } = await findCharge(ctx, input);
  if (charge.disputed)
    throw new StripeApiError(400, "invalid_request_error", `Charge ${charge.id} is already disputed.`);
  const amount = input.amount ?? charge.amount - charge.amount_refunded;
  if (!Number.isInteger(amount) || amount <= 0 || amount > charge.amount)
    throw invalid("amount", "The disputed amount must be a positive integer no larger than the charge.");
  const txn = newBalanceTransaction({
    now: ctx.now,
    amount: -amount,
    currency: charge.currency,
    type: "adjustment",
    reportingCategory: "dispute",
    source: "",
    description: `Chargeback withdrawal for ${charge.id}`,
    fees: [feeDetail("stripe_fee", DISPUTE_FEE, charge.currency, "Dispute fee")],
  });
  const dispute = newDispute({
    now: ctx.now,
    charge,
    amount,
    reason: input.reason ?? "fraudulent",
    balanceTransactions: [],
  });
  const withdrawn = { ...txn, source: dispute.id };
  const opened: Stripe.Dispute = { ...dispute, balance_transactions: [withdrawn] };
  const disputedCharge: Stripe.Charge = { ...charge, disputed: true };
  await ctx.tx.put(withdrawn, ctx.account);
  await ctx.tx.put(opened, ctx.account);
  await ctx.tx.put(disputedCharge, ctx.account);
  await ctx.emit("charge.dispute.created", opened);
  await ctx.emit("charge.dispute.funds_withdrawn", opened);
  return opened;
}

export async function closeDispute(ctx: Ctx, id: string, outcome: string): Promise<Stripe.Dispute> {
  if (outcome !== "won" && outcome !== "lost") throw invalid("outcome", "outcome must be won or lost");
  const found = await ctx.tx.get<Stripe.Dispute>(id);
  if (found?.type !== "dispute") throw noSuch("dispute", id);
  const dispute = found.data;
  if (dispute.status === "won" || dispute.status === "lost")
    throw new StripeApiError(400, "invalid_request_error", `Dispute ${id} is already closed (${dispute.status}).`);
  let closed: Stripe.Dispute = { ...dispute, status: outcome, is_charge_refundable: false };
  if (outcome === "won") {
    const reinstated = newBalanceTransaction({
      now: ctx.now,
      amount: dispute.amount,
      currency: dispute.currency,
      type: "adjustment",
      reportingCategory: "dispute_reversal",
      source: dispute.id,
      description: `Chargeback reversal for ${String(dispute.charge)}`,
      fees: [feeDetail("stripe_fee", -DISPUTE_FEE, dispute.currency, "Dispute fee refund")],
    });
    closed = { ...closed, balance_transactions: [...dispute.balance_transactions, reinstated] };
    await ctx.tx.put(reinstated, ctx.account);
    await ctx.tx.put(closed, ctx.account);
    await ctx.emit("charge.dispute.funds_reinstated", closed);
  } else {
    await ctx.tx.put(closed, ctx.account);
  }
  await ctx.emit("charge.dispute.closed", closed, { status: dispute.status });
  return closed;
}
