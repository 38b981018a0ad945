// The Worker entry: HTTP API (fetch), outbox consumer (queue) and sweeper (scheduled).
import { createApp } from "./app.ts";
import { Database } from "./db/client.ts";
import { authEmailHandler } from "./effects/handlers/auth-email.ts";
import { EFFECT_HANDLERS, paymentEffectHandlers } from "./effects/handlers/index.ts";
import { createTenantWebhooksHandler } from "./effects/handlers/tenant-webhooks.ts";
import { sweepReminders } from "./effects/reminders.ts";
import type { Env } from "./env.ts";
import { parsePasswordPeppers } from "./lib/crypto.ts";
import { parseDataKeys } from "./lib/encryption.ts";
import { outboundUrlPolicyOf } from "./lib/public-url.ts";
import { consumeOutboxBatch } from "./outbox/consumer.ts";
import { type QueueSender, relayCommitted, sweepOutbox } from "./outbox/relay.ts";
import { outboxSettingsOf } from "./outbox/settings.ts";
import type { EffectHandler } from "./outbox/types.ts";
import { createProviders, type Providers } from "./providers/index.ts";
import { paymentsProviderFor } from "./providers/stripe.ts";
import type { RateLimitBucket, RateLimiter } from "./routes/types.ts";
import { sweepLapsedHolds } from "./services/bookings/expire.ts";
import { type CacheStorageLike, workersReadCache } from "./services/catalog/read-cache.ts";
import type { ServiceConfig } from "./services/context.ts";
import { MONEY_CHECKS_MINUTE, runMoneyChecks } from "./services/reconciliation/scheduled.ts";
import { sweepRetention } from "./services/retention/retention.ts";

let cached: { env: Env; app: ReturnType<typeof createApp> } | undefined;

/** Which part of the worker a connection serves: Postgres shows it as application_name (pg_stat_activity, logs). */
type Part = "bookra-api" | "bookra-queue" | "bookra-cron";

/** Workers must not share sockets across requests (the Neon driver's guidance): a Pool per request or batch. */
function openDatabase(env: Env, part: Part, maxConnections = 4): Database {
  return new Database({
    databaseUrl: withApplicationName(env.DATABASE_URL, part),
    wsProxy: env.DB_WS_PROXY,
    maxConnections,
  });
}

/** The URL with application_name set, unless the operator set one already. */
function withApplicationName(databaseUrl: string, part: Part): string {
  try {
    const url = new URL(databaseUrl);
    if (!url.searchParams.has("application_name")) url.searchParams.set("application_name", part);
    return url.toString();
  } catch {
    return databaseUrl; // not a URL: the driver reports it on first use
  }
}

function appFor(env: Env) {
  if (cached?.env !== env) {
    cached = {
      env,
      app: createApp({
        database: () => {
          const db = openDatabase(env, "bookra-api");
          return { db, release: () => db.close() };
        },
        now: () => new Date(),
        config: configOf(env),
        rateLimiter: rateLimiterOf(env),
        ...(env.OUTBOX_QUEUE && { outboxQueue: env.OUTBOX_QUEUE }),
        assets: env.ASSETS,
        publicReadCache: workersReadCache(defaultCache()),
        serverTiming: env.BOOKRA_ENV === "local" && env.BOOKRA_SERVER_TIMING === "on",
      }),
    };
  }
  return cached.app;
}

/** caches.default, the Workers Cache API (the type is cast: where tests see the DOM's CacheStorage, it has no `default`). */
function defaultCache(): CacheStorageLike {
  return (caches as unknown as { default: CacheStorageLike }).default;
}

function rateLimiterOf(env: Env): RateLimiter | undefined {
  if (env.BOOKRA_RATE_LIMIT === "off") return undefined;
  const bindings = {
    booking: env.BOOKING_LIMITER,
    signup: env.SIGNUP_LIMITER,
    "manage-booking": env.MANAGE_BOOKING_LIMITER,
    "manage-address": env.MANAGE_ADDRESS_LIMITER,
    "auth-address": env.AUTH_ADDRESS_LIMITER,
    "auth-email": env.AUTH_EMAIL_LIMITER,
  } satisfies Record<RateLimitBucket, RateLimit | undefined>;
  return {
    allow: async (bucket, key) => {
      const binding = bindings[bucket];
      return binding ? (await binding.limit({ key })).success : true;
    },
  };
}

function configOf(env: Env): ServiceConfig {
  if (!env.MANAGE_TOKEN_SECRET || env.MANAGE_TOKEN_SECRET.length < 32)
    throw new Error("MANAGE_TOKEN_SECRET must be set (a Worker secret of at least 32 characters)");
  const stripe = stripeConfigOf(env);
  if (env.MANAGE_TOKEN_SECRET_PREVIOUS && env.MANAGE_TOKEN_SECRET_PREVIOUS.length < 32)
    throw new Error("MANAGE_TOKEN_SECRET_PREVIOUS, when set, must be the former secret (at least 32 characters)");
  return {
    manageTokenSecret: env.MANAGE_TOKEN_SECRET,
    previousManageTokenSecret: env.MANAGE_TOKEN_SECRET_PREVIOUS || undefined,
    dataKeys: parseDataKeys(env.DATA_ENCRYPTION_KEYS),
    publicBaseUrl: env.PUBLIC_BASE_URL ?? "",
    stripe,
    outboundUrlPolicy: outboundUrlPolicyOf(env),
    devMailbox: env.BOOKRA_ENV === "local",
    passwordPeppers: parsePasswordPeppers(env.PASSWORD_PEPPER),
  };
}

/** Stripe's configuration, once per Env object (the payments provider is cached by it). */
const stripeConfigs = new WeakMap<Env, ServiceConfig["stripe"]>();
function stripeConfigOf(env: Env): ServiceConfig["stripe"] {
  if (!stripeConfigs.has(env))
    stripeConfigs.set(
      env,
      env.STRIPE_WEBHOOK_SECRET
        ? {
            webhookSecret: env.STRIPE_WEBHOOK_SECRET,
            secretKey: env.STRIPE_SECRET_KEY || undefined,
            apiBase: env.STRIPE_API_BASE || undefined,
            platformFeeBps: platformFeeBpsOf(env.STRIPE_PLATFORM_FEE_BPS),
            platformFeeFixed: platformFeeFixedOf(env.STRIPE_PLATFORM_FEE_FIXED),
          }
        : undefined,
    );
  return stripeConfigs.get(env);
}

/** STRIPE_PLATFORM_FEE_BPS: the platform's default application fee, 0–5000 basis points (absent: 0). */
function platformFeeBpsOf(value: string | undefined): number {
  if (!value) return 0;
  const bps = Number(value);
  if (!Number.isInteger(bps) || bps < 0 || bps > 5000)
    throw new Error("STRIPE_PLATFORM_FEE_BPS must be an integer from 0 to 5000 (basis points)");
  return bps;
}

/** STRIPE_PLATFORM_FEE_FIXED: the fixed part of the platform's default fee, 0–100000 minor units (absent: 0). */
function platformFeeFixedOf(value: string | undefined): number {
  if (!value) return 0;
  const fixed = Number(value);
  if (!Number.isInteger(fixed) || fixed < 0 || fixed > 100_000)
    throw new Error("STRIPE_PLATFORM_FEE_FIXED must be an integer from 0 to 100000 (minor units)");
  return fixed;
}

function queueOf(env: Env): QueueSender {
  if (!env.OUTBOX_QUEUE) throw new Error("OUTBOX_QUEUE binding is missing");
  return env.OUTBOX_QUEUE;
}

/**
 * Every side-effect handler: the provider-backed ones (e-mail, WhatsApp, calendar, invoices), the dashboard's sign-in
 * e-mails, tenant webhooks and the Stripe ones (refunds, expiring a cancelled held booking's Checkout Session).
 * The local adapters write the dev mailbox through their own small pool: a handler holding its transaction's
 * connection never waits for one held by another handler (so the handlers' pool needs only one per handler, plus one).
 */
function effectsFor(env: Env, recorderDb: Database): { handlers: EffectHandler<Providers>[]; providers: Providers } {
  const { webhookTimeoutMs } = outboxSettingsOf(env);
  return {
    handlers: [
      ...EFFECT_HANDLERS,
      authEmailHandler, // dashboard sign-in: reset links and invitations (no booking involved)
      createTenantWebhooksHandler({ timeoutMs: webhookTimeoutMs, urlPolicy: outboundUrlPolicyOf(env) }),
      // Without a Stripe key refunds wait (failing, retried, then dead and retryable by the owner); nothing expires.
      ...paymentEffectHandlers(paymentsProviderFor(stripeConfigOf(env))),
    ],
    providers: createProviders(env, recorderDb),
  };
}

export default {
  fetch(request, env, ctx) {
    return appFor(env).fetch(request, env, ctx);
  },
  async queue(batch, env) {
    const settings = outboxSettingsOf(env);
    // Handler transactions hold one connection each; loading and marking rows (grouped per tenant) one more each.
    // (Pools are lazy: the recorder's opens nothing unless a local adapter writes.)
    const db = openDatabase(env, "bookra-queue", settings.effectConcurrency + 2);
    const recorderDb = openDatabase(env, "bookra-queue", settings.recorderConnections);
    try {
      const { handlers, providers } = effectsFor(env, recorderDb);
      const now = () => new Date();
      await consumeOutboxBatch(db, batch, {
        handlers,
        providers,
        config: configOf(env),
        now,
        retry: settings.retry,
        concurrency: settings.messageConcurrency,
        effectConcurrency: settings.effectConcurrency,
        ...(settings.trace && {
          trace: (line: Record<string, unknown>) => console.warn(JSON.stringify({ ...line, pool: db.pool.totalCount })),
        }),
      });
      await relayCommitted(db, queueOf(env)); // events written by handlers, if any
    } finally {
      await Promise.all([db.close(), recorderDb.close()]);
    }
  },
  async scheduled(controller, env) {
    const db = openDatabase(env, "bookra-cron");
    try {
      const queue = queueOf(env);
      const expired = await sweepLapsedHolds(db, new Date());
      const reminders = await sweepReminders(db, new Date());
      await relayCommitted(db, queue); // booking.expired and reminder events go out now, not on the next sweep
      const resent = await sweepOutbox(db, queue, outboxSettingsOf(env).sweepAfterSeconds);
      const deleted = await sweepRetention(db);
      const swept =
        deleted.outbox + deleted.webhookDeliveries + deleted.idempotencyKeys + deleted.sessions + deleted.authTokens;
      if (resent + expired + reminders + swept > 0)
        console.log(JSON.stringify({ level: "info", msg: "sweep", expired, reminders, resent, deleted }));
      // Once an hour: the ledger's identities per tenant, and yesterday reconciled with Stripe (once per day).
      const at = new Date(controller.scheduledTime);
      if (at.getUTCMinutes() === MONEY_CHECKS_MINUTE) {
        const checks = await runMoneyChecks(db, paymentsProviderFor(stripeConfigOf(env)), at);
        console.log(JSON.stringify({ level: "info", msg: "money checks", ...checks }));
      }
    } finally {
      await db.close();
    }
  },
} satisfies ExportedHandler<Env>;
