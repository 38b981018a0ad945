// Builders of the Stripe objects the emulator hands out, typed with the `stripe` package's own types: a field Stripe
// added, removed or retyped is a compile error here, not a surprise in production.
import type Stripe from "stripe";
import { stripeId } from "./ids.ts";

export interface Platform {
  account: string;
  application: string;
}

const requirementsDue = ["business_profile.url", "external_account", "tos_acceptance.date"];

export function newAccount(
  now: number,
  input: { type: Stripe.Account.Type; country: string; email: string | null; metadata: Stripe.Metadata },
): Stripe.Account {
  const requirements: Stripe.Account.Requirements = {
    alternatives: [],
    current_deadline: null,
    currently_due: requirementsDue,
    disabled_reason: "requirements.past_due",
    errors: [],
    eventually_due: requirementsDue,
    past_due: requirementsDue,
    pending_verification: [],
  };
  return {
    id: stripeId("acct", 16),
    object: "account",
    business_profile: null,
    business_type: null,
    capabilities: { card_payments: "inactive", transfers: "inactive" },
    charges_enabled: false,
    country: input.country,
    created: now,
    default_currency: input.country === "US" ? "usd" : input.country === "GB" ? "gbp" : "eur",
    details_submitted: false,
    email: input.email,
    metadata: input.metadata,
    payouts_enabled: false,
    requirements,
    type: input.type,
  };
}

/** The account once onboarding completed: charges and payouts on, nothing due. */
export function onboarded(account: Stripe.Account): Stripe.Account {
  return {
    ...account,
    capabilities: { card_payments: "active", transfers: "active" },
    charges_enabled: true,
    payouts_enabled: true,
    details_submitted: true,
    requirements: {
      alternatives: [],
      current_deadline: null,
      currently_due: [],
      disabled_reason: null,
      errors: [],
      eventually_due: [],
      past_due: [],
      pending_verification: [],
    },
  };
}

export function newAccountLink(url: string, now: number, ttlSeconds: number): Stripe.AccountLink {
  return { object: "account_link", created: now, expires_at: now + ttlSeconds, url };
}

export interface SessionInput {
  id: string;
  url: string;
  now: number;
  amount: number;
  currency: string;
  expiresAt: number;
  successUrl: string | null;
  cancelUrl: string | null;
  metadata: Stripe.Metadata;
  clientReferenceId: string | null;
  customerEmail: string | null;
}

export function newCheckoutSession(s: SessionInput): Stripe.Checkout.Session {
  return {
    id: s.id,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: s.amount,
    amount_total: s.amount,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: s.cancelUrl,
    client_reference_id: s.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: s.now,
    currency: s.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_account: null,
    customer_creation: "if_required",
    customer_details: null,
    customer_email: s.customerEmail,
    discounts: [],
    expires_at: s.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: s.metadata,
    mode: "payment",
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "if_required",
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_status: "unpaid",
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: s.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted",
    url: s.url,
    wallet_options: null,
  };
}

export function newPaymentIntent(input: {
  now: number;
  amount: number;
  currency: string;
  applicationFee: number | null;
  platform: Platform;
  metadata: Stripe.Metadata;
  description: string | null;
}): Stripe.PaymentIntent {
  const id = stripeId("pi");
  return {
    id,
    object: "payment_intent",
    allowed_payment_method_types: null,
    amount: input.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: input.platform.application,
    application_fee_amount: input.applicationFee,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic",
    client_secret: `${id}_secret_${stripeId("s").slice(2)}`,
    confirmation_method: "automatic",
    created: input.now,
    currency: input.currency,
    customer: null,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "requires_payment_method",
    transfer_group: null,
  };
}

export function declined(pi: Stripe.PaymentIntent): Stripe.PaymentIntent {
  return {
    ...pi,
    status: "requires_payment_method",
    last_payment_error: {
      type: "card_error",
      code: "card_declined",
      decline_code: "generic_decline",
      message: "Your card was declined.",
    } as Stripe.PaymentIntent.LastPaymentError,
  };
}

export function newCharge(input: {
  now: number;
  pi: Stripe.PaymentIntent;
  balanceTransaction: string;
  applicationFeeId: string | null;
  email: string | null;
}): Stripe.Charge {
  const { pi } = input;
  return {
    id: stripeId("ch"),
    object: "charge",
    amount: pi.amount,
    amount_captured: pi.amount,
    amount_refunded: 0,
    application: pi.application,
    application_fee: input.applicationFeeId,
    application_fee_amount: pi.application_fee_amount,
    balance_transaction: input.balanceTransaction,
    billing_details: { address: null, email: input.email, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: "BOOKRA EMULATOR",
    captured: true,
    created: input.now,
    currency: pi.currency,
    customer: null,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: pi.metadata,
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "approved_by_network",
      reason: null,
      risk_level: "normal",
      seller_message: "Payment complete.",
      type: "authorized",
    },
    paid: true,
    payment_intent: pi.id,
    payment_method: stripeId("pm"),
    payment_method_details: null,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "succeeded",
    transfer_data: null,
    transfer_group: null,
  };
}

export interface BalanceTransactionInput {
  id?: string;
  now: number;
  amount: number;
  currency: string;
  type: Stripe.BalanceTransaction.Type;
  reportingCategory: string;
  source: string;
  description: string | null;
  fees: Stripe.BalanceTransaction.FeeDetail[];
}

/** Funds are available at once in the emulator (no rolling reserve): `status` is always `available`. */
export function newBalanceTransaction(input: BalanceTransactionInput): Stripe.BalanceTransaction {
  const fee = input.fees.reduce((sum, f) => sum + f.amount, 0);
  return {
    id: input.id ?? stripeId("txn"),
    object: "balance_transaction",
    amount: input.amount,
    available_on: input.now,
    balance_type: "payments",
    created: input.now,
    currency: input.currency,
    description: input.description,
    exchange_rate: null,
    fee,
    fee_details: input.fees,
    net: input.amount - fee,
    reporting_category: input.reportingCategory,
    source: input.source,
    status: "available",
    type: input.type,
  };
}

export function feeDetail(
  type: "stripe_fee" | "application_fee",
  amount: number,
  currency: string,
  description: string,
  application: string | null = null,
): Stripe.BalanceTransaction.FeeDetail {
  return { amount, application, currency, description, type };
}

export function newRefund(input: {
  now: number;
  charge: Stripe.Charge;
  amount: number;
  balanceTransaction: string;
  reason: Stripe.Refund.Reason | null;
  metadata: Stripe.Metadata;
}): Stripe.Refund {
  return {
    id: stripeId("re"),
    object: "refund",
    amount: input.amount,
    balance_transaction: input.balanceTransaction,
    charge: input.charge.id,
    created: input.now,
    currency: input.charge.currency,
    customer: null,
    customer_account: null,
    metadata: input.metadata,
    payment_intent: typeof input.charge.payment_intent === "string" ? input.charge.payment_intent : null,
    payment_method: input.charge.payment_method,
    reason: input.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "pending",
    transfer_reversal: null,
  };
}

export function newDispute(input: {
  now: number;
  charge: Stripe.Charge;
  amount: number;
  reason: string;
  balanceTransactions: Stripe.BalanceTransaction[];
}): Stripe.Dispute {
  const nulls = {
    access_activity_log: null,
    billing_address: null,
    cancellation_policy: null,
    cancellation_policy_disclosure: null,
    cancellation_rebuttal: null,
    customer_communication: null,
    customer_email_address: null,
    customer_name: null,
    customer_purchase_ip: null,
    customer_signature: null,
    duplicate_charge_documentation: null,
    duplicate_charge_explanation: null,
    duplicate_charge_id: null,
    product_description: null,
    receipt: null,
    refund_policy: null,
    refund_policy_disclosure: null,
    refund_refusal_explanation: null,
    service_date: null,
    service_documentation: null,
    shipping_address: null,
    shipping_carrier: null,
    shipping_date: null,
    shipping_documentation: null,
    shipping_tracking_number: null,
    uncategorized_file: null,
    uncategorized_text: null,
  };
  return {
    id: stripeId("dp"),
    object: "dispute",
    amount: input.amount,
    balance_transactions: input.balanceTransactions,
    charge: input.charge.id,
    created: input.now,
    currency: input.charge.currency,
    enhanced_eligibility_types: [],
    evidence: { ...nulls, enhanced_evidence: {} },
    evidence_details: {
      due_by: input.now + 7 * 86_400,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: "not_submitted",
    },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: typeof input.charge.payment_intent === "string" ? input.charge.payment_intent : null,
    reason: input.reason,
    status: "needs_response",
  };
}

export function newPayout(input: {
  id: string;
  now: number;
  amount: number;
  currency: string;
  balanceTransaction: string;
}): Stripe.Payout {
  return {
    id: input.id,
    object: "payout",
    amount: input.amount,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: input.now,
    automatic: true,
    balance_transaction: input.balanceTransaction,
    created: input.now,
    currency: input.currency,
    description: "STRIPE PAYOUT",
    destination: stripeId("ba"),
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: {},
    method: "standard",
    original_payout: null,
    payout_method: null,
    reconciliation_status: "completed",
    reversed_by: null,
    source_type: "card",
    statement_descriptor: null,
    status: "paid",
    trace_id: null,
    type: "bank_account",
  };
}

export function list<T>(data: T[], url: string, hasMore = false): Stripe.ApiList<T> {
  return { object: "list", data, has_more: hasMore, url };
}
