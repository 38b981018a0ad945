// Stripe as a provider: every call to Stripe's API and every webhook check goes through the official `stripe`
// package (fetch HTTP client and Web Crypto, as a Worker runs them). STRIPE_API_BASE points it at the local emulator
// (npm start, tests) and is absent in production (api.stripe.com). Every write carries an idempotency key made from
// Bookra's own ids (`checkout:<booking>`, `refund:<refund id>`, `expire:<booking>`), so a retried call can never
// charge or refund twice; Stripe keeps a key 24 hours, so the refund effect also looks its refund up (listRefunds).
import Stripe from "stripe";
import { AppError } from "../errors.ts";

/** The API version the worker speaks, pinned with the package (stripe 23.1.0; the emulator speaks the same). */
export const STRIPE_API_VERSION: typeof Stripe.API_VERSION = Stripe.API_VERSION;

/** How long a webhook's signature timestamp may be from now (seconds): Stripe's own default. */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

export interface StripeConfig {
  /** STRIPE_WEBHOOK_SECRET: the endpoint's signing secret. */
  webhookSecret: string;
  /** STRIPE_SECRET_KEY: absent, nothing can be paid (no checkout, no connect) and no event confirms anything. */
  secretKey?: string | undefined;
  /** STRIPE_API_BASE, e.g. `http://127.0.0.1:12111` (the emulator); absent: Stripe itself. */
  apiBase?: string | undefined;
  /** STRIPE_PLATFORM_FEE_BPS: the platform's application fee when a tenant has none of its own (default 0). */
  platformFeeBps?: number | undefined;
  /** STRIPE_PLATFORM_FEE_FIXED: the fixed part of that fee, minor units per payment (default 0). */
  platformFeeFixed?: number | undefined;
}

export interface CheckoutSessionRequest {
  /** The connected account the charge is made on (direct charge). */
  account: string;
  bookingId: string;
  amount: number;
  currency: string;
  description: string;
  applicationFeeAmount: number;
  successUrl: string;
  cancelUrl: string;
  /** Unix seconds; Stripe accepts 30 minutes to 24 hours ahead. */
  expiresAt: number;
  customerEmail?: string | undefined;
}

export interface RefundRequest {
  account: string;
  charge?: string | undefined;
  paymentIntent?: string | undefined;
  amount: number;
  refundApplicationFee: boolean;
  /** `refund:<refund id>`. */
  idempotencyKey: string;
  metadata?: Record<string, string> | undefined;
}

export interface ConnectedAccountState {
  id: string;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  /** Requirements currently due (Stripe's `requirements.currently_due`). */
  requirements: string[];
}

/** What Bookra asks of Stripe; the refunds outbox effect and the checkout verb call it. */
export interface PaymentsProvider {
  createCheckoutSession(req: CheckoutSessionRequest): Promise<{ id: string; url: string }>;
  /** The balance transaction of a charge (amount, fee_details, net), as the ledger posts it. */
  retrieveBalanceTransaction(account: string, charge: string): Promise<Stripe.BalanceTransaction>;
  /** A balance transaction by its id (`txn_…`): a refund's, to read the application fee it returned. */
  retrieveBalanceTransactionById(account: string, id: string): Promise<Stripe.BalanceTransaction>;
  /** The charge a PaymentIntent made (its latest), or null when it has none yet. */
  chargeOfPaymentIntent(account: string, paymentIntent: string): Promise<string | null>;
  createRefund(req: RefundRequest): Promise<Stripe.Refund>;
  /**
   * Expires an open Checkout Session (idempotency key `expire:<booking id>`) and answers its status after: `expired`,
   * or `complete` when it was paid first. A session that is no longer open is not an error: its status is answered.
   */
  expireCheckoutSession(req: {
    account: string;
    sessionId: string;
    bookingId: string;
  }): Promise<Stripe.Checkout.Session.Status>;
  /**
   * Every refund of a PaymentIntent on the connected account, newest first (all pages), each with its balance
   * transaction expanded: how the refund effect finds a refund it made once Stripe has forgotten its idempotency key.
   */
  listRefunds(account: string, paymentIntent: string): Promise<Stripe.Refund[]>;
  /**
   * Every balance transaction of a connected account, newest first, all pages: those a payout swept (`payout`), or
   * those created in [`createdFrom`, `createdTo`) (unix seconds).
   */
  listBalanceTransactions(
    account: string,
    filter: { payout: string } | { createdFrom: number; createdTo: number },
  ): Promise<Stripe.BalanceTransaction[]>;
  /** A refund by its id (`re_…`): its metadata names the Bookra refund it was made for. */
  retrieveRefund(account: string, id: string): Promise<Stripe.Refund>;
  /** The connected account's balance (available + pending), per upper-case currency. */
  retrieveBalance(account: string): Promise<Record<string, number>>;
  createConnectedAccount(a: { tenantId: string; email?: string | undefined }): Promise<ConnectedAccountState>;
  retrieveConnectedAccount(account: string): Promise<ConnectedAccountState>;
  createOnboardingLink(a: { account: string; refreshUrl: string; returnUrl: string }): Promise<string>;
  /**
   * Checks the signature on the raw body (throws when it does not verify) and parses the event. The signature's age
   * is measured by the real clock, as Stripe signs by it (the emulator too, whatever its business clock says).
   */
  verifyEvent(raw: string, signatureHeader: string): Promise<Stripe.Event>;
}

export type StripeEvent = Stripe.Event;

export function accountState(account: Stripe.Account): ConnectedAccountState {
  return {
    id: account.id,
    chargesEnabled: account.charges_enabled ?? false,
    payoutsEnabled: account.payouts_enabled ?? false,
    requirements: [...(account.requirements?.currently_due ?? [])],
  };
}

function clientOptions(apiBase: string | undefined): Stripe.StripeConfig {
  const options: Stripe.StripeConfig = {
    apiVersion: STRIPE_API_VERSION,
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 1,
  };
  if (apiBase) {
    const url = new URL(apiBase);
    options.host = url.hostname;
    options.protocol = url.protocol === "http:" ? "http" : "https";
    if (url.port) options.port = Number(url.port);
  }
  return options;
}

/** Webhook verification only: needs the secret, never the API key. */
export function stripeWebhookVerifier(webhookSecret: string) {
  const stripe = new Stripe("sk_unused_for_verification", clientOptions(undefined));
  const crypto = Stripe.createSubtleCryptoProvider();
  return (raw: string, header: string): Promise<Stripe.Event> =>
    stripe.webhooks.constructEventAsync(raw, header, webhookSecret, STRIPE_WEBHOOK_TOLERANCE_SECONDS, crypto);
}

/**
 * Stripe refused or could not be reached: a 409 PAYMENTS_NOT_READY for the caller (never a 500), Stripe's own error
 * kept as `cause` (an outbox effect may look at `cause.type` to decide whether to retry).
 */
export class PaymentsUnavailable extends AppError {
  constructor(override readonly cause: unknown) {
    super(
      "PAYMENTS_NOT_READY",
      cause instanceof Stripe.errors.StripeConnectionError
        ? "Stripe could not be reached: try again shortly"
        : `Stripe refused the request: ${(cause as Error).message}`,
    );
  }
}

function guarded<T extends object>(provider: T): T {
  const out = {} as T;
  for (const [name, fn] of Object.entries(provider) as [keyof T, unknown][]) {
    out[name] = (
      typeof fn === "function" && name !== "verifyEvent"
        ? async (...args: unknown[]) => {
            try {
              return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
            } catch (err) {
              if (err instanceof Stripe.errors.StripeError) throw new PaymentsUnavailable(err);
              throw err;
            }
          }
        : fn
    ) as T[keyof T];
  }
  return out;
}

/** The real adapter. */
export function stripePayments(config: StripeConfig & { secretKey: string }): PaymentsProvider {
  const stripe = new Stripe(config.secretKey, clientOptions(config.apiBase));
  const verify = stripeWebhookVerifier(config.webhookSecret);
  return guarded<PaymentsProvider>({
    async createCheckoutSession(req) {
      const session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: req.currency.toLowerCase(),
                unit_amount: req.amount,
                product_data: { name: req.description },
              },
            },
          ],
          payment_intent_data: {
            ...(req.applicationFeeAmount > 0 && { application_fee_amount: req.applicationFeeAmount }),
            metadata: { bookingId: req.bookingId },
          },
          client_reference_id: req.bookingId,
          metadata: { bookingId: req.bookingId },
          success_url: req.successUrl,
          cancel_url: req.cancelUrl,
          expires_at: req.expiresAt,
          ...(req.customerEmail && { customer_email: req.customerEmail }),
        },
        { stripeAccount: req.account, idempotencyKey: `checkout:${req.bookingId}` },
      );
      if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
      return { id: session.id, url: session.url };
    },
    async expireCheckoutSession(req) {
      const opts = { stripeAccount: req.account };
      try {
        const session = await stripe.checkout.sessions.expire(
          req.sessionId,
          {},
          { ...opts, idempotencyKey: `expire:${req.bookingId}` },
        );
        return session.status ?? "expired";
      } catch (err) {
        // Stripe refuses to expire a session that is not open (completed, or expired already): read what it is.
        if (!(err instanceof Stripe.errors.StripeInvalidRequestError)) throw err;
        const session = await stripe.checkout.sessions.retrieve(req.sessionId, {}, opts);
        if (session.status === "open" || !session.status) throw err;
        return session.status;
      }
    },
    async chargeOfPaymentIntent(account, paymentIntent) {
      const pi = await stripe.paymentIntents.retrieve(paymentIntent, {}, { stripeAccount: account });
      const charge = pi.latest_charge;
      return typeof charge === "string" ? charge : (charge?.id ?? null);
    },
    async retrieveBalanceTransaction(account, charge) {
      const c = await stripe.charges.retrieve(charge, { expand: ["balance_transaction"] }, { stripeAccount: account });
      const txn = c.balance_transaction;
      if (!txn || typeof txn === "string") throw new Error(`charge ${charge} has no balance transaction`);
      return txn;
    },
    async retrieveBalanceTransactionById(account, id) {
      return stripe.balanceTransactions.retrieve(id, {}, { stripeAccount: account });
    },
    async listBalanceTransactions(account, filter) {
      const params: Stripe.BalanceTransactionListParams =
        "payout" in filter
          ? { payout: filter.payout, limit: 100 }
          : { created: { gte: filter.createdFrom, lt: filter.createdTo }, limit: 100 };
      const out: Stripe.BalanceTransaction[] = [];
      for (;;) {
        const last = out[out.length - 1];
        const page = await stripe.balanceTransactions.list(
          { ...params, ...(last && { starting_after: last.id }) },
          { stripeAccount: account },
        );
        out.push(...page.data);
        if (!page.has_more || page.data.length === 0) return out;
      }
    },
    retrieveRefund(account, id) {
      return stripe.refunds.retrieve(id, {}, { stripeAccount: account });
    },
    async retrieveBalance(account) {
      const balance = await stripe.balance.retrieve({}, { stripeAccount: account });
      const sums: Record<string, number> = {};
      for (const b of [...balance.available, ...balance.pending]) {
        const currency = b.currency.toUpperCase();
        sums[currency] = (sums[currency] ?? 0) + b.amount;
      }
      return sums;
    },
    createRefund(req) {
      return stripe.refunds.create(
        {
          ...(req.charge ? { charge: req.charge } : { payment_intent: req.paymentIntent }),
          amount: req.amount,
          refund_application_fee: req.refundApplicationFee,
          ...(req.metadata && { metadata: req.metadata }),
          // its fees: the application fee returned with it (the ledger's "refund accepted" needs it)
          expand: ["balance_transaction"],
        },
        { stripeAccount: req.account, idempotencyKey: req.idempotencyKey },
      );
    },
    async listRefunds(account, paymentIntent) {
      const found: Stripe.Refund[] = [];
      const pages = stripe.refunds.list(
        { payment_intent: paymentIntent, limit: 100, expand: ["data.balance_transaction"] },
        { stripeAccount: account },
      );
      for await (const refund of pages) found.push(refund);
      return found;
    },
    async createConnectedAccount(a) {
      const account = await stripe.accounts.create(
        { type: "express", ...(a.email && { email: a.email }), metadata: { tenantId: a.tenantId } },
        { idempotencyKey: `account:${a.tenantId}` },
      );
      return accountState(account);
    },
    async retrieveConnectedAccount(id) {
      return accountState(await stripe.accounts.retrieve(id));
    },
    async createOnboardingLink(a) {
      const link = await stripe.accountLinks.create({
        account: a.account,
        type: "account_onboarding",
        refresh_url: a.refreshUrl,
        return_url: a.returnUrl,
      });
      return link.url;
    },
    verifyEvent: verify,
  });
}

const cache = new WeakMap<StripeConfig, PaymentsProvider>();

/** The configured provider, or undefined when there is no Stripe key (then nothing can be paid or confirmed). */
export function paymentsProviderFor(config: StripeConfig | undefined): PaymentsProvider | undefined {
  if (!config?.secretKey) return undefined;
  let provider = cache.get(config);
  if (!provider) {
    provider = stripePayments({ ...config, secretKey: config.secretKey });
    cache.set(config, provider);
  }
  return provider;
}
