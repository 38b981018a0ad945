// Test harness for the emulator: its own database on the test cluster, a webhook receiver that checks every
// signature with the `stripe` package, and a `stripe` client pointed at the emulator.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import Stripe from "stripe";
import { inject } from "vitest";
import { ignoreTermination } from "../../test/helpers/pg-lifecycle.ts";
import { type RunningStripeEmulator, type StripeEmulatorOptions, startStripeEmulator } from "../src/index.ts";

export const API_KEY = "sk_test_emulator_tests";

export function newDatabaseUrl(): string {
  const name = `stripe_emu_${Math.random().toString(36).slice(2, 12)}`;
  return inject("testDb").adminUrl.replace(/\/[^/]*$/, `/${name}`);
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: inject("testDb").adminUrl });
  client.on("error", ignoreTermination);
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export interface Received {
  raw: string;
  header: string;
  event: Stripe.Event;
}

/** Listens for webhooks; each one is verified with constructEventAsync before it counts. */
export class Receiver {
  readonly received: Received[] = [];
  readonly refused: string[] = [];
  /** Answer the first `times` deliveries whose body contains `text` with a 500 (to exercise retries). */
  failing: { text: string; times: number } | null = null;
  private server: Server | undefined;
  private waiters: { check: () => boolean; done: () => void }[] = [];
  url = "";

  constructor(readonly secret: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const header = String(req.headers["stripe-signature"] ?? "");
        void this.accept(raw, header).then((status) => {
          res.writeHead(status).end();
          this.notify();
        });
      });
    });
    await new Promise<void>((ok) => this.server!.listen(0, "127.0.0.1", ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/stripe`;
    return this;
  }

  private async accept(raw: string, header: string): Promise<number> {
    if (this.failing && this.failing.times > 0 && raw.includes(this.failing.text)) {
      this.failing.times--;
      this.refused.push(raw);
      return 500;
    }
    try {
      const event = await verify(raw, header, this.secret);
      this.received.push({ raw, header, event });
      return 200;
    } catch {
      this.refused.push(raw);
      return 400;
    }
  }

  private notify(): void {
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.done();
      }
    }
  }

  events(pred: (e: Stripe.Event) => boolean = () => true): Stripe.Event[] {
    return this.received.map((r) => r.event).filter(pred);
  }

  /** Resolves once at least `count` received events match. */
  async waitFor(pred: (e: Stripe.Event) => boolean, count = 1): Promise<Stripe.Event[]> {
    const check = () => this.events(pred).length >= count;
    if (!check()) await new Promise<void>((done) => this.waiters.push({ check, done }));
    return this.events(pred);
  }

  async close(): Promise<void> {
    await new Promise<void>((ok) => {
      this.server?.close(() => ok());
      this.server?.closeAllConnections();
    });
  }
}

const verifier = new Stripe(API_KEY, { httpClient: Stripe.createFetchHttpClient() });

/** What the worker will do with a webhook: the SDK's own check on the raw body. */
export function verify(raw: string, header: string, secret: string): Promise<Stripe.Event> {
  return verifier.webhooks.constructEventAsync(raw, header, secret, 300, Stripe.createSubtleCryptoProvider());
}

export function stripeClient(emulator: RunningStripeEmulator): Stripe {
  const url = new URL(emulator.url);
  return new Stripe(API_KEY, {
    apiVersion: Stripe.API_VERSION,
    host: url.hostname,
    port: Number(url.port),
    protocol: "http",
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 0,
  });
}

export interface Harness {
  emulator: RunningStripeEmulator;
  stripe: Stripe;
  receiver: Receiver;
  databaseUrl: string;
  control<T = unknown>(path: string, body?: unknown): Promise<T>;
  close(opts?: { keepDatabase?: boolean }): Promise<void>;
}

export async function startHarness(opts: Partial<StripeEmulatorOptions> = {}): Promise<Harness> {
  const secret = `whsec_${Math.random().toString(36).slice(2)}`;
  const receiver = await new Receiver(secret).start();
  const databaseUrl = opts.databaseUrl ?? newDatabaseUrl();
  const emulator = await startStripeEmulator({
    databaseUrl,
    webhookUrl: receiver.url,
    webhookSecret: secret,
    retrySchedule: "fast",
    refundSettleMs: 0,
    apiKey: API_KEY,
    ...opts,
  });
  return {
    emulator,
    stripe: stripeClient(emulator),
    receiver,
    databaseUrl,
    control: async <T>(path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${emulator.url}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await res.json();
      if (!res.ok) throw Object.assign(new Error(`control ${path}: ${res.status}`), { status: res.status, body: json });
      return json as T;
    },
    close: async ({ keepDatabase = false } = {}) => {
      await emulator.close();
      await receiver.close();
      if (!keepDatabase) await dropDatabase(databaseUrl);
    },
  };
}

/** A connected account through the real flow: create, link, "Complete" on the onboarding page. */
export async function onboardedAccount(h: Harness): Promise<Stripe.Account> {
  const account = await h.stripe.accounts.create({ type: "express", country: "DE", email: "owner@example.com" });
  const link = await h.stripe.accountLinks.create({
    account: account.id,
    type: "account_onboarding",
    refresh_url: "http://app.test/refresh",
    return_url: "http://app.test/return",
  });
  const res = await fetch(link.url, {
    method: "POST",
    body: new URLSearchParams({ action: "complete" }),
    redirect: "manual",
  });
  if (res.status !== 303) throw new Error(`onboarding answered ${res.status}`);
  return h.stripe.accounts.retrieve(account.id);
}

/** A Checkout Session for `amount` with an application fee, on the connected account. */
export function depositSession(h: Harness, account: string, amount: number, applicationFee: number, key?: string) {
  return h.stripe.checkout.sessions.create(
    {
      mode: "payment",
      line_items: [
        {
          quantity: 1,
          price_data: { currency: "eur", unit_amount: amount, product_data: { name: "Deposit: Haircut" } },
        },
      ],
      payment_intent_data: { application_fee_amount: applicationFee, metadata: { bookingId: "bkg_1" } },
      metadata: { bookingId: "bkg_1", tenantId: "ten_1" },
      success_url: "http://app.test/paid?session={CHECKOUT_SESSION_ID}",
      cancel_url: "http://app.test/cancelled",
    },
    { stripeAccount: account, ...(key ? { idempotencyKey: key } : {}) },
  );
}

/** The hosted page's form POST ("Pay", "Decline card" or "Close"). */
export function pressButton(sessionUrl: string, action: "pay" | "decline" | "close"): Promise<Response> {
  return fetch(sessionUrl, { method: "POST", body: new URLSearchParams({ action }), redirect: "manual" });
}
