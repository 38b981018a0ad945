// The worker's bindings and configuration (wrangler.toml [vars], secrets, queues), read in one place.
import type { ProviderEnv } from "./providers/index.ts";

/** ProviderEnv: the providers' credentials and the local adapters' failure switches (LOCAL_PROVIDER_FAILURE_RATE …). */
export interface Env extends ProviderEnv {
  DATABASE_URL: string;
  /** Local stack only: the loopback WebSocket proxy in front of the embedded Postgres. */
  DB_WS_PROXY?: string;
  /** "local" selects the local provider adapters (dev mailbox); "production" the real ones. */
  BOOKRA_ENV?: string;
  /** Local only: `on` lets webhook endpoints on loopback addresses receive deliveries (test and bench receivers). */
  BOOKRA_LOOPBACK_WEBHOOKS?: string;
  /** Local only: `on` adds a Server-Timing header (database, rate-limiter waits) for `npm run profile`; ignored elsewhere. */
  BOOKRA_SERVER_TIMING?: string;
  PUBLIC_BASE_URL?: string;
  /** Secret that manage tokens are derived from (HMAC); at least 32 characters. */
  MANAGE_TOKEN_SECRET?: string;
  /** The secret before the last rotation: tokens it made keep working while it is set (empty or absent: none). */
  MANAGE_TOKEN_SECRET_PREVIOUS?: string;
  /**
   * AES-256-GCM keys for secrets at rest (webhook signing secrets, calendar refresh tokens):
   * `kid:base64(32 bytes)[,kid:base64…]`; the first encrypts, all decrypt. Absent: storing a secret is refused.
   */
  DATA_ENCRYPTION_KEYS?: string;
  /**
   * HMAC keys mixed into dashboard password hashes before PBKDF2: `id:secret[,id:secret…]` (secrets of 32+
   * characters); the first peppers new hashes, all verify, and a sign-in rehashes under the first. Absent: unpeppered.
   */
  PASSWORD_PEPPER?: string;
  OUTBOX_QUEUE?: Queue<unknown>;
  /** Workers static assets (wrangler.toml [assets] binding): the worker reads the dashboard's index.html from it. */
  ASSETS?: Fetcher;
  /** Workers Rate Limiting bindings (wrangler.toml [[ratelimits]]); BOOKRA_RATE_LIMIT=off disables them. */
  BOOKING_LIMITER?: RateLimit;
  SIGNUP_LIMITER?: RateLimit;
  /** Public cancel/reschedule: per booking, and per caller address and business. */
  MANAGE_BOOKING_LIMITER?: RateLimit;
  MANAGE_ADDRESS_LIMITER?: RateLimit;
  /** Dashboard sign-in, password-reset requests and e-mailed links: per caller address, and per e-mail address. */
  AUTH_ADDRESS_LIMITER?: RateLimit;
  AUTH_EMAIL_LIMITER?: RateLimit;
  BOOKRA_RATE_LIMIT?: string;
  /**
   * Stripe: the webhook signing secret and the API key; both are needed to take payments (a secret without a key
   * confirms nothing). STRIPE_API_BASE points the `stripe` package elsewhere (the local emulator,
   * `http://127.0.0.1:12111`); absent: Stripe itself. STRIPE_PLATFORM_FEE_BPS: the platform's default application fee
   * in basis points (default 0; a tenant's own `platform_fee_bps`, set by the operator, wins), and
   * STRIPE_PLATFORM_FEE_FIXED its fixed part in minor units per payment (default 0; `platform_fee_fixed` wins).
   */
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_API_BASE?: string;
  STRIPE_PLATFORM_FEE_BPS?: string;
  STRIPE_PLATFORM_FEE_FIXED?: string;
  /** Outbox retries: full-jitter exponential backoff from this base (seconds, default 2) up to the cap (default 300). */
  OUTBOX_RETRY_BASE_SECONDS?: string;
  OUTBOX_RETRY_CAP_SECONDS?: string;
  /** The cron sweep re-sends rows still waiting this long after they were (to be) enqueued (seconds, default 30). */
  OUTBOX_SWEEP_AFTER_SECONDS?: string;
  /** Tenant webhook delivery timeout per request (milliseconds, default 10000). */
  WEBHOOK_TIMEOUT_MS?: string;
}
