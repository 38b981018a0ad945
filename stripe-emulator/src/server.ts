// The emulator's HTTP server (node:http): `/v1` speaks Stripe's API (Bearer sk_test_… keys, form bodies,
// `Stripe-Account`, `Idempotency-Key`, Stripe's error shape), `/_emulator` is the control API, `/c/pay/…` and
// `/setup/…` are the hosted Checkout and onboarding pages.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type Stripe from "stripe";
import { isKnownPath, runApi } from "./api.ts";
import { type Env, makeCtx } from "./context.ts";
import { runControl } from "./control.ts";
import { StripeApiError } from "./errors.ts";
import {
  API_VERSION,
  type Chaos,
  DEFAULT_RETRY_SCHEDULE,
  type DeliveryConfig,
  deliveryHandler,
  FAST_RETRY_SCHEDULE,
  parseChaos,
  Scheduler,
} from "./events.ts";
import { parseForm } from "./form.ts";
import { stripeId } from "./ids.ts";
import type { Platform } from "./objects.ts";
import { checkoutPage, messagePage, onboardingPage } from "./pages.ts";
import { useLink } from "./resources/accounts.ts";
import { expireSession, loadSession, paySession } from "./resources/checkout.ts";
import { settleRefund } from "./resources/refunds.ts";
import { Store } from "./store.ts";

export interface StripeEmulatorOptions {
  /** Postgres URL of the emulator's own database (created if missing; the role must be allowed to). */
  databaseUrl: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Where events are POSTed; none: events are only recorded (see GET /_emulator/events). */
  webhookUrl?: string | null;
  /** The endpoint's signing secret (`whsec_…`). */
  webhookSecret?: string;
  /** `"duplicate,reorder,delay"` (as STRIPE_EMULATOR_CHAOS) or the switches themselves. */
  chaos?: string | Partial<Chaos>;
  /** Milliseconds before each retry of a failed delivery; `"fast"` for tests. Its length bounds the attempts. */
  retrySchedule?: number[] | "fast";
  /** When set, the only API key accepted; otherwise any `sk_test_…`. */
  apiKey?: string;
  /**
   * Business time in ms (default Date.now): objects' timestamps, `expires_at` bounds and session expiry follow it, so
   * a test on a fixed clock can create sessions "now" and expire them by moving it. Deliveries and their retries,
   * refund settlement and webhook signatures keep the wall clock.
   */
  clock?: () => number;
  /** How long an Idempotency-Key is remembered (Stripe: 24 hours). */
  idempotencyTtlMs?: number;
  /** How long a refund stays pending before it settles (default 1000 ms). */
  refundSettleMs?: number;
  reorderWindowMs?: number;
  delayMaxMs?: number;
  log?: (line: string) => void;
}

export interface RunningStripeEmulator {
  url: string;
  port: number;
  /** The platform account's id (objects created without `Stripe-Account` belong to it). */
  platformAccount: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;
export const DEFAULT_REFUND_SETTLE_MS = 1_000;
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(value, null, 2),
  headers: { "content-type": "application/json", ...headers },
});
const html = (status: number, body: string): Reply => ({
  status,
  body,
  headers: { "content-type": "text/html; charset=utf-8" },
});
const redirect = (location: string): Reply => ({ status: 303, body: "", headers: { location } });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new StripeApiError(413, "invalid_request_error", "Request body too large.");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

async function platformOf(store: Store): Promise<Platform> {
  return store.tx(async (tx) => {
    const known = await tx.setting<Platform>("platform");
    if (known) return known;
    const platform = { account: stripeId("acct", 16), application: stripeId("ca", 32) };
    await tx.setSetting("platform", platform);
    return platform;
  });
}

export async function startStripeEmulator(opts: StripeEmulatorOptions): Promise<RunningStripeEmulator> {
  const store = await Store.open(opts.databaseUrl);
  const platform = await platformOf(store);
  const chaos =
    typeof opts.chaos === "string" || opts.chaos === undefined
      ? parseChaos(opts.chaos)
      : { duplicate: false, reorder: false, delay: false, ...opts.chaos };
  const delivery: DeliveryConfig = {
    webhookUrl: opts.webhookUrl ?? null,
    webhookSecret: opts.webhookSecret ?? "whsec_emulator",
    chaos,
    retrySchedule: opts.retrySchedule === "fast" ? FAST_RETRY_SCHEDULE : (opts.retrySchedule ?? DEFAULT_RETRY_SCHEDULE),
    reorderWindowMs: opts.reorderWindowMs ?? 200,
    delayMaxMs: opts.delayMaxMs ?? 1_000,
    timeoutMs: 10_000,
  };
  const env: Env = {
    baseUrl: "",
    platform,
    delivery,
    refundSettleMs: opts.refundSettleMs ?? DEFAULT_REFUND_SETTLE_MS,
    clock: opts.clock ?? Date.now,
  };
  const log = opts.log ?? (() => {});
  const onError = (err: unknown) => log(`stripe-emulator: ${(err as Error).stack ?? String(err)}`);
  const inOwnerCtx = (id: string, fn: (ctx: ReturnType<typeof makeCtx>) => Promise<unknown>) =>
    store.tx(async (tx) => {
      const found = await tx.get<unknown>(id);
      if (found) await fn(makeCtx(tx, env, found.account));
    });
  const scheduler = new Scheduler(
    store,
    {
      deliver: deliveryHandler(store, delivery),
      settle_refund: async (job) => inOwnerCtx(job.ref, (ctx) => settleRefund(ctx, job.ref)),
      expire_session: async (job) => inOwnerCtx(job.ref, (ctx) => expireSession(ctx, job.ref, false)),
    },
    chaos.reorder,
    onError,
    env.clock,
  );

  async function api(req: IncomingMessage, url: URL, requestId: string): Promise<Reply> {
    const auth = req.headers.authorization;
    if (!auth)
      throw new StripeApiError(
        401,
        "invalid_request_error",
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      );
    const key = /^Bearer (\S+)$/.exec(auth)?.[1] ?? "";
    if (!key.startsWith("sk_test_") || (opts.apiKey !== undefined && key !== opts.apiKey))
      throw new StripeApiError(
        401,
        "invalid_request_error",
        `Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`,
        "api_key_invalid",
      );
    const method = req.method ?? "GET";
    if (!isKnownPath(url.pathname))
      throw new StripeApiError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${url.pathname}).`);
    const form = parseForm(method === "GET" ? url.search.slice(1) : await readBody(req));
    const stripeAccount = (req.headers["stripe-account"] as string | undefined) ?? null;
    const idempotencyKey = method === "POST" ? ((req.headers["idempotency-key"] as string | undefined) ?? null) : null;
    const reply = await store.tx(async (tx): Promise<Reply> => {
      if (stripeAccount) {
        const account = await tx.get<Stripe.Account>(stripeAccount);
        if (account?.type !== "account")
          throw new StripeApiError(
            403,
            "invalid_request_error",
            `The provided key '${key.slice(0, 8)}****${key.slice(-4)}' does not have access to account '${stripeAccount}' (or that account does not exist). Application access may have been revoked.`,
            "account_invalid",
          );
      }
      const account = stripeAccount ?? platform.account;
      const ctx = makeCtx(tx, env, account, { id: requestId, idempotencyKey });
      const hash = createHash("sha256")
        .update(sortedJson([method, url.pathname, form]))
        .digest("hex");
      if (idempotencyKey) {
        const ttl = opts.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
        const prior = await tx.idempotent(account, idempotencyKey, ctx.nowMs - ttl);
        if (prior && prior.hash !== hash)
          throw new StripeApiError(
            400,
            "idempotency_error",
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          );
        if (prior)
          return {
            status: prior.status,
            body: prior.body,
            headers: { "content-type": "application/json", "idempotent-replayed": "true" },
          };
      }
      const result = await runApi(ctx, method, url.pathname, form);
      if (result === null)
        throw new StripeApiError(
          404,
          "invalid_request_error",
          `Unrecognized request URL (${method}: ${url.pathname}).`,
        );
      const out = json(200, result);
      if (idempotencyKey) await tx.remember(account, idempotencyKey, hash, 200, out.body, ctx.nowMs);
      return out;
    });
    if (idempotencyKey) reply.headers = { ...reply.headers, "idempotency-key": idempotencyKey };
    return reply;
  }

  async function checkout(req: IncomingMessage, id: string): Promise<Reply> {
    const method = req.method ?? "GET";
    const action = method === "POST" ? new URLSearchParams(await readBody(req)).get("action") : null;
    return store.tx(async (tx) => {
      const found = await tx.get<Stripe.Checkout.Session>(id);
      if (found?.type !== "checkout.session") return html(404, messagePage("Not found", "No such Checkout Session."));
      const ctx = makeCtx(tx, env, found.account);
      const { session, extra } = await loadSession(ctx, id);
      if (method !== "POST") return html(200, checkoutPage(session, extra, null));
      if (action === "close")
        return session.cancel_url
          ? redirect(session.cancel_url)
          : html(200, messagePage("Closed", "You may close this page."));
      if (action !== "pay" && action !== "decline") return html(400, messagePage("Bad request", "Unknown action."));
      const { outcome, session: after } = await paySession(ctx, id, action === "decline");
      if (outcome === "declined") return html(402, checkoutPage(after, extra, "Your card was declined."));
      if (outcome === "expired") return html(410, messagePage("Expired", "This Checkout Session has expired."));
      return redirect((after.success_url ?? "/").replaceAll("{CHECKOUT_SESSION_ID}", after.id));
    });
  }

  async function onboarding(req: IncomingMessage, linkId: string): Promise<Reply> {
    const method = req.method ?? "GET";
    const action = method === "POST" ? new URLSearchParams(await readBody(req)).get("action") : null;
    return store.tx(async (tx) => {
      const found = await tx.get<{ account: string; used: boolean; expires_at: number; refresh_url: string }>(linkId);
      if (found?.type !== "emulator.account_link") return html(404, messagePage("Not found", "No such link."));
      if (method !== "POST") {
        if (found.data.used || found.data.expires_at < env.clock() / 1000) return redirect(found.data.refresh_url);
        return html(200, onboardingPage(found.data.account));
      }
      const link = await useLink(makeCtx(tx, env, found.data.account), linkId, action === "complete");
      return redirect(link ? link.return_url : found.data.refresh_url);
    });
  }

  async function route(req: IncomingMessage, url: URL, requestId: string): Promise<Reply> {
    const path = url.pathname;
    if (path === "/health") return json(200, { ok: true, api_version: API_VERSION });
    if (path.startsWith("/v1/")) return api(req, url, requestId);
    if (path.startsWith("/_emulator/")) {
      const method = req.method ?? "GET";
      const text = method === "POST" ? await readBody(req) : "";
      let body: Record<string, unknown> = {};
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        throw new StripeApiError(400, "invalid_request_error", "The control API takes a JSON body.");
      }
      const result = await store.tx((tx) => runControl(tx, env, method, path, body, url.searchParams));
      if (result === null)
        throw new StripeApiError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
      return json(200, result);
    }
    const pay = /^\/c\/pay\/([\w-]+)$/.exec(path);
    if (pay) return checkout(req, pay[1]!);
    const setup = /^\/setup\/(acctlink_\w+)$/.exec(path);
    if (setup) return onboarding(req, setup[1]!);
    throw new StripeApiError(404, "invalid_request_error", `Unrecognized request URL (${req.method}: ${path}).`);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const requestId = stripeId("req", 14);
    const url = new URL(req.url ?? "/", "http://emulator.local");
    route(req, url, requestId)
      .catch((err: unknown): Reply => {
        if (err instanceof StripeApiError) return json(err.status, err.body(requestId));
        onError(err);
        return json(500, { error: { type: "api_error", message: "The Stripe emulator failed on this request." } });
      })
      .then((reply) => {
        scheduler.kick();
        res.writeHead(reply.status, { "request-id": requestId, "stripe-version": API_VERSION, ...reply.headers });
        res.end(reply.body);
      });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  env.baseUrl = `http://${opts.host ?? "127.0.0.1"}:${port}`;
  scheduler.kick(); // deliveries and settlements left from before a restart
  return {
    url: env.baseUrl,
    port,
    platformAccount: platform.account,
    close: async () => {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      await scheduler.close();
      await store.close();
    },
  };
}
