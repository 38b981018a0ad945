// Refunds of a charge on a connected account, full or partial, optionally returning the application fee in
// proportion. A refund is `pending` at first (its balance transaction debits the balance at once) and settles
// `refundSettleMs` later: `succeeded`, or — with the refunds switch on "fail" when it was made — `failed`, with a
// `refund_failure` balance transaction that gives the money back.
import type Stripe from "stripe";
import type { Ctx } from "../context.ts";
import { invalid, missing, noSuch, StripeApiError } from "../errors.ts";
import { applicationFeeRefund } from "../fees.ts";
import type { Form } from "../form.ts";
import { stripeId } from "../ids.ts";
import { feeDetail, list, newBalanceTransaction, newRefund } from "../objects.ts";
import { allowOnly, bool, int, metadata, str } from "../params.ts";

export type RefundMode = "succeed" | "fail";
export const REFUNDS_SETTING = "refunds";

interface ChargeExtra {
  /** Sum of refunded amounts that returned the application fee, and the fee returned for them. */
  feeRefundedFor: number;
  feeRefunded: number;
}

interface RefundExtra {
  fail: boolean;
  applicationFeeRefunded: number;
  /** The refund's amount when it returned the application fee (for the proportion), else 0. */
  feeRefundedFor: number;
}

const REASONS = ["duplicate", "fraudulent", "requested_by_customer"];

async function chargeFor(ctx: Ctx, form: Form): Promise<{ charge: Stripe.Charge; extra: ChargeExtra }> {
  const chargeId = str(form, "charge");
  const piId = str(form, "payment_intent");
  if (!chargeId && !piId) throw missing("charge");
  let id = chargeId;
  if (!id && piId) {
    const pi = await ctx.tx.get<Stripe.PaymentIntent>(piId);
    if (pi?.type !== "payment_intent" || pi.account !== ctx.account)
      throw noSuch("payment_intent", piId, "payment_intent");
    if (typeof pi.data.latest_charge !== "string")
      throw new StripeApiError(
        400,
        "invalid_request_error",
        `This PaymentIntent (${piId}) does not have a successful charge to refund.`,
        "charge_not_refundable",
      );
    id = pi.data.latest_charge;
  }
  const found = await ctx.tx.get<Stripe.Charge>(id!);
  if (found?.type !== "charge" || found.account !== ctx.account) throw noSuch("charge", id!, "charge");
  return { charge: found.data, extra: found.extra as unknown as ChargeExtra };
}

export async function createRefund(ctx: Ctx, form: Form): Promise<Stripe.Refund> {
  allowOnly(form, ["charge", "payment_intent", "amount", "reason", "refund_application_fee", "metadata", "expand"]);
  const { charge, extra } = await chargeFor(ctx, form);
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0)
    throw new StripeApiError(
      400,
      "invalid_request_error",
      `Charge ${charge.id} has already been refunded.`,
      "charge_already_refunded",
    );
  if (charge.disputed)
    throw new StripeApiError(
      400,
      "invalid_request_error",
      `Charge ${charge.id} has been charged back; cannot issue a refund.`,
      "charge_disputed",
    );
  const amount = int(form, "amount") ?? remaining;
  if (amount <= 0) throw invalid("amount", "Amount must be greater than 0.");
  if (amount > remaining)
    throw invalid(
      "amount",
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
      "amount_too_large",
    );
  const reason = str(form, "reason");
  if (reason !== null && !REASONS.includes(reason)) throw invalid("reason", `Invalid reason: ${reason}`);
  const refundFee = bool(form, "refund_application_fee") ?? false;
  let feeBack = 0;
  const next = { ...extra };
  if (refundFee && charge.application_fee_amount) {
    const fee = charge.application_fee_amount;
    feeBack =
      applicationFeeRefund(fee, extra.feeRefundedFor + amount, charge.amount) -
      applicationFeeRefund(fee, extra.feeRefundedFor, charge.amount);
    next.feeRefundedFor += amount;
    next.feeRefunded += feeBack;
  }
  const txnId = stripeId("txn");
  const refund = newRefund({
    now: ctx.now,
    charge,
    amount,
    balanceTransaction: txnId,
    reason: reason as Stripe.Refund.Reason | null,
    metadata: metadata(form),
  });
  const fees =
    feeBack > 0
      ? [
          feeDetail(
            "application_fee",
            -feeBack,
            charge.currency,
            "Application fee refund",
            ctx.env.platform.application,
          ),
        ]
      : [];
  const txn = newBalanceTransaction({
    id: txnId,
    now: ctx.now,
    amount: -amount,
    currency: charge.currency,
    type: "refund",
    reportingCategory: "refund",
    source: refund.id,
    description: "REFUND FOR CHARGE",
    fees,
  });
  const refunded = charge.amount_refunded + amount;
  const updated: Stripe.Charge = { ...charge, amount_refunded: refunded, refunded: refunded === charge.amount };
  const fail = (await ctx.tx.setting<RefundMode>(REFUNDS_SETTING)) === "fail";
  const refundExtra: RefundExtra = {
    fail,
    applicationFeeRefunded: feeBack,
    feeRefundedFor: next.feeRefundedFor - extra.feeRefundedFor,
  };
  await ctx.tx.put(txn, ctx.account);
  await ctx.tx.put(refund, ctx.account, { extra: { ...refundExtra } });
  await ctx.tx.put(updated, ctx.account, { extra: { ...next } });
  await ctx.tx.addJob("settle_refund", refund.id, Date.now() + ctx.env.refundSettleMs);
  await ctx.emit("refund.created", refund);
  await ctx.emit("charge.refunded", updated, { amount_refunded: charge.amount_refunded, refunded: charge.refunded });
  return refund;
}

/**
 * `GET /v1/refunds`: the acting account's refunds, newest first as Stripe lists them, filtered by `charge` or
 * `payment_intent`, paged by `limit` (1–100, default 10) and `starting_after` / `ending_before` (an unknown cursor is
 * 404 `resource_missing`, as Stripe answers).
 */
export async function listRefunds(ctx: Ctx, form: Form): Promise<Stripe.ApiList<Stripe.Refund>> {
  allowOnly(form, ["charge", "payment_intent", "limit", "starting_after", "ending_before", "expand"]);
  const limit = int(form, "limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalid("limit", "limit must be between 1 and 100");
  const charge = str(form, "charge");
  const paymentIntent = str(form, "payment_intent");
  const where = { ...(charge && { charge }), ...(paymentIntent && { payment_intent: paymentIntent }) };
  const all = (await ctx.tx.list<Stripe.Refund>(ctx.account, "refund", where)).map((r) => r.data).reverse();
  const cursor = (param: string) => {
    const id = str(form, param);
    if (id === null) return null;
    const at = all.findIndex((r) => r.id === id);
    if (at < 0) throw noSuch("refund", id, param);
    return at;
  };
  const after = cursor("starting_after");
  const before = cursor("ending_before");
  if (after !== null && before !== null)
    throw invalid("starting_after", "You may only specify one of these parameters: starting_after, ending_before.");
  if (before !== null) {
    const from = Math.max(0, before - limit);
    return list(all.slice(from, before), "/v1/refunds", from > 0);
  }
  const rest = after === null ? all : all.slice(after + 1);
  return list(rest.slice(0, limit), "/v1/refunds", rest.length > limit);
}

/** The later half of a refund: `succeeded`, or `failed` with its money back on the balance. */
export async function settleRefund(ctx: Ctx, refundId: string): Promise<void> {
  const found = await ctx.tx.get<Stripe.Refund>(refundId);
  if (found?.data.status !== "pending") return;
  const refund = found.data;
  const extra = found.extra as unknown as RefundExtra;
  if (!extra.fail) {
    const done: Stripe.Refund = { ...refund, status: "succeeded" };
    await ctx.tx.put(done, ctx.account);
    await ctx.emit("refund.updated", done, { status: "pending" });
    await ctx.emit("charge.refund.updated", done, { status: "pending" });
    return;
  }
  const chargeRow = await ctx.tx.get<Stripe.Charge>(String(refund.charge));
  if (!chargeRow) return;
  const charge = chargeRow.data;
  const chargeExtra = chargeRow.extra as unknown as ChargeExtra;
  const feeBack = extra.applicationFeeRefunded;
  const failureTxn = newBalanceTransaction({
    now: ctx.now,
    amount: refund.amount,
    currency: refund.currency,
    type: "refund_failure",
    reportingCategory: "refund_failure",
    source: refund.id,
    description: "REFUND FAILURE",
    fees:
      feeBack > 0
        ? [
            feeDetail(
              "application_fee",
              feeBack,
              refund.currency,
              "Application fee refund reversed",
              ctx.env.platform.application,
            ),
          ]
        : [],
  });
  const failed: Stripe.Refund = {
    ...refund,
    status: "failed",
    failure_reason: "expired_or_canceled_card",
    failure_balance_transaction: failureTxn.id,
  };
  const refunded = charge.amount_refunded - refund.amount;
  const updatedCharge: Stripe.Charge = { ...charge, amount_refunded: refunded, refunded: false };
  const nextExtra: ChargeExtra = {
    feeRefundedFor: chargeExtra.feeRefundedFor - extra.feeRefundedFor,
    feeRefunded: chargeExtra.feeRefunded - feeBack,
  };
  await ctx.tx.put(failureTxn, ctx.account);
  await ctx.tx.put(failed, ctx.account);
  await ctx.tx.put(updatedCharge, ctx.account, { extra: { ...nextExtra } });
  await ctx.emit("refund.failed", failed);
  await ctx.emit("refund.updated", failed, { status: "pending" });
  await ctx.emit("charge.refund.updated", failed, { status: "pending" });
}
