// Checkout Sessions on a connected account (direct charges with an application fee), and what the hosted page does:
// paying creates the PaymentIntent, the Charge and its balance transaction (fees per fees.ts) and sends
// `checkout.session.completed`; a declined card sends `payment_intent.payment_failed` and leaves the session open.
import type Stripe from "stripe";
import type { Ctx } from "../context.ts";
import { invalid, missing, noSuch, StripeApiError } from "../errors.ts";
import { processingFee } from "../fees.ts";
import type { Form } from "../form.ts";
import { stripeId } from "../ids.ts";
import {
  declined,
  feeDetail,
  newBalanceTransaction,
  newCharge,
  newCheckoutSession,
  newPaymentIntent,
} from "../objects.ts";
import { allowOnly, arr, int, metadata, obj, str } from "../params.ts";
import { connectedAccount, validUrl } from "./accounts.ts";

/** Stripe's bounds on `expires_at`, with a little slack for the caller's clock. */
export const MIN_EXPIRY_SECONDS = 30 * 60;
export const MAX_EXPIRY_SECONDS = 24 * 60 * 60;
export const EXPIRY_SLACK_SECONDS = 10;

export interface SessionExtra {
  lineItems: { name: string; quantity: number; unitAmount: number }[];
  applicationFee: number | null;
  paymentIntentMetadata: Stripe.Metadata;
  description: string | null;
}

const TOP = [
  "mode",
  "line_items",
  "success_url",
  "cancel_url",
  "expires_at",
  "metadata",
  "client_reference_id",
  "customer_email",
  "payment_intent_data",
  "payment_method_types",
  "locale",
  "submit_type",
  "expand",
];

function lineItems(form: Form): { items: SessionExtra["lineItems"]; currency: string } {
  const raw = arr(form, "line_items");
  if (raw.length === 0) throw missing("line_items");
  let currency: string | null = null;
  const items = raw.map((item, i) => {
    const p = `line_items[${i}]`;
    if (typeof item !== "object" || Array.isArray(item)) throw invalid(p, `Invalid object: ${p}`);
    allowOnly(item, ["quantity", "price_data", "price"], `${p}[`);
    if (item.price !== undefined) throw invalid(`${p}[price]`, "The emulator supports line_items[][price_data] only.");
    const quantity = int(item, "quantity", true, `${p}[`);
    const pd = obj(item, "price_data", `${p}[`);
    allowOnly(pd, ["currency", "unit_amount", "product_data", "product"], `${p}[price_data][`);
    const c = str(pd, "currency", true, `${p}[price_data][`).toLowerCase();
    const unitAmount = int(pd, "unit_amount", true, `${p}[price_data][`);
    const product = obj(pd, "product_data", `${p}[price_data][`);
    const name = str(product, "name", true, `${p}[price_data][product_data][`);
    if (quantity < 1) throw invalid(`${p}[quantity]`, "Quantity must be at least 1.");
    if (unitAmount < 0)
      throw invalid(`${p}[price_data][unit_amount]`, "This value must be greater than or equal to 0.");
    if (currency && c !== currency)
      throw invalid(`${p}[price_data][currency]`, "All line items must share one currency.");
    currency = c;
    return { name, quantity, unitAmount };
  });
  return { items, currency: currency! };
}

export async function createSession(ctx: Ctx, form: Form): Promise<Stripe.Checkout.Session> {
  allowOnly(form, TOP);
  const mode = str(form, "mode", true);
  if (mode !== "payment") throw invalid("mode", "The emulator supports mode=payment only.");
  const { items, currency } = lineItems(form);
  const amount = items.reduce((sum, it) => sum + it.quantity * it.unitAmount, 0);
  if (amount <= 0) throw invalid("line_items", "The total amount must be greater than 0.", "amount_too_small");
  const pid = obj(form, "payment_intent_data");
  allowOnly(pid, ["application_fee_amount", "metadata", "description", "statement_descriptor"], "payment_intent_data[");
  const applicationFee = int(pid, "application_fee_amount", false, "payment_intent_data[");
  if (applicationFee !== null) {
    if (!ctx.connected)
      throw invalid(
        "payment_intent_data[application_fee_amount]",
        "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using the Stripe-Account header).",
      );
    if (applicationFee < 0 || applicationFee > amount)
      throw invalid(
        "payment_intent_data[application_fee_amount]",
        "The application fee must be between 0 and the amount.",
      );
  }
  if (ctx.connected) {
    const account = await connectedAccount(ctx, ctx.connected);
    if (!account.charges_enabled)
      throw new StripeApiError(
        400,
        "invalid_request_error",
        `The account ${account.id} cannot create charges yet: its onboarding is incomplete (charges_enabled is false).`,
        "account_invalid",
      );
  }
  const expiresAt = int(form, "expires_at") ?? ctx.now + MAX_EXPIRY_SECONDS;
  if (expiresAt < ctx.now + MIN_EXPIRY_SECONDS - EXPIRY_SLACK_SECONDS)
    throw invalid(
      "expires_at",
      "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
    );
  if (expiresAt > ctx.now + MAX_EXPIRY_SECONDS + EXPIRY_SLACK_SECONDS)
    throw invalid(
      "expires_at",
      "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
    );
  const id = stripeId("cs_test", 58);
  const session = newCheckoutSession({
    id,
    url: `${ctx.env.baseUrl}/c/pay/${id}`,
    now: ctx.now,
    amount,
    currency,
    expiresAt,
    successUrl: validUrl(str(form, "success_url", true), "success_url"),
    cancelUrl: str(form, "cancel_url") && validUrl(str(form, "cancel_url", true), "cancel_url"),
    metadata: metadata(form),
    clientReferenceId: str(form, "client_reference_id"),
    customerEmail: str(form, "customer_email"),
  });
  const extra: SessionExtra = {
    lineItems: items,
    applicationFee,
    paymentIntentMetadata: metadata(pid, "metadata", "payment_intent_data["),
    description: str(pid, "description", false, "payment_intent_data[") ?? items.map((i) => i.name).join(", "),
  };
  await ctx.tx.put(session, ctx.account, { extra: { ...extra } });
  await ctx.tx.addJob("expire_session", id, expiresAt * 1000);
  return session;
}

export async function loadSession(
  ctx: Ctx,
  id: string,
): Promise<{ session: Stripe.Checkout.Session; extra: SessionExtra }> {
  const found = await ctx.tx.get<Stripe.Checkout.Session>(id);
  if (found?.type !== "checkout.session" || found.account !== ctx.account) throw noSuch("checkout.session", id);
  return { session: found.data, extra: found.extra as unknown as SessionExtra };
}

/** Expires an open session (the API's expire, or its `expires_at` passing); a complete one cannot expire. */
export async function expireSession(ctx: Ctx, id: string, fromApi: boolean): Promise<Stripe.Checkout.Session> {
  const { session } = await loadSession(ctx, id);
  if (session.status !== "open") {
    if (!fromApi) return session;
    throw new StripeApiError(
      400,
      "invalid_request_error",
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
    );
  }
  const expired: Stripe.Checkout.Session = { ...session, status: "expired", url: null };
  await ctx.tx.put(expired, ctx.account);
  await ctx.emit("checkout.session.expired", expired);
  return expired;
}

export type PayOutcome = "paid" | "declined" | "already_complete" | "expired";

/** The hosted page's "Pay" (or "Decline card"). */
export async function paySession(
  ctx: Ctx,
  id: string,
  decline: boolean,
): Promise<{ outcome: PayOutcome; session: Stripe.Checkout.Session }> {
  const { session, extra } = await loadSession(ctx, id);
  if (session.status === "complete") return { outcome: "already_complete", session };
  if (session.status === "expired") return { outcome: "expired", session };
  if (session.expires_at <= ctx.now) return { outcome: "expired", session: await expireSession(ctx, id, false) };
  const amount = session.amount_total ?? 0;
  const currency = session.currency ?? "eur";
  const existing =
    typeof session.payment_intent === "string" ? await ctx.tx.get<Stripe.PaymentIntent>(session.payment_intent) : null;
  const pi =
    existing?.data ??
    newPaymentIntent({
      now: ctx.now,
      amount,
      currency,
      applicationFee: extra.applicationFee,
      platform: ctx.env.platform,
      metadata: extra.paymentIntentMetadata,
      description: extra.description,
    });
  if (decline) {
    const failed = declined(pi);
    await ctx.tx.put(failed, ctx.account);
    const withPi = { ...session, payment_intent: failed.id };
    await ctx.tx.put(withPi, ctx.account);
    await ctx.emit("payment_intent.payment_failed", failed);
    return { outcome: "declined", session: withPi };
  }
  const stripeFee = processingFee(amount);
  const appFee = extra.applicationFee ?? 0;
  const txnId = stripeId("txn");
  const charge = newCharge({
    now: ctx.now,
    pi,
    balanceTransaction: txnId,
    applicationFeeId: extra.applicationFee === null ? null : stripeId("fee"),
    email: session.customer_email,
  });
  const fees = [feeDetail("stripe_fee", stripeFee, currency, "Stripe processing fees")];
  if (appFee > 0)
    fees.push(feeDetail("application_fee", appFee, currency, "Application fee", ctx.env.platform.application));
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
  const paidPi: Stripe.PaymentIntent = {
    ...pi,
    status: "succeeded",
    amount_received: amount,
    latest_charge: charge.id,
    last_payment_error: null,
    payment_method: charge.payment_method,
  };
  const complete: Stripe.Checkout.Session = {
    ...session,
    status: "complete",
    payment_status: "paid",
    payment_intent: paidPi.id,
    url: null,
    customer_details: {
      address: null,
      business_name: null,
      email: session.customer_email ?? "customer@example.com",
      individual_name: null,
      name: "Emulated Customer",
      phone: null,
      tax_exempt: "none",
      tax_ids: [],
    },
  };
  await ctx.tx.put(txn, ctx.account);
  await ctx.tx.put(charge, ctx.account, { extra: { feeRefundedFor: 0, feeRefunded: 0 } });
  await ctx.tx.put(paidPi, ctx.account);
  await ctx.tx.put(complete, ctx.account);
  await ctx.emit("charge.succeeded", charge);
  await ctx.emit("payment_intent.succeeded", paidPi);
  await ctx.emit("checkout.session.completed", complete);
  return { outcome: "paid", session: complete };
}
