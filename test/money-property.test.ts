// Issue 13's money property: random sequences of what customers, owners and Stripe do — bookings with and without a
// deposit, Pay and declined cards on the emulator's Checkout, desk completion with payments and tips, cancellation by
// the customer (manage token) and by the owner at random times, no-shows, partial owner refunds, refunds that fail —
// on the real Postgres and the Stripe emulator, with Stripe's webhooks collected (the emulator records them, nothing
// is relayed) and delivered 1–3 times each in an order fast-check chooses, signed as Stripe signs. After every run:
// each journal entry balances per currency, the whole ledger sums to zero, the ledger's `stripe_balance` of every
// tenant equals its account's balance on the emulator, no booking is refunded beyond what it paid, and every booking's
// payment state agrees with its ledger lines. Issue 14 adds commission rules changed midway (percent and fixed, default
// and per service, dated before or after the appointments), completions, owner refunds after completion, payouts at any
// moment and staff payments (part, all, or more than owed: 422); after every run each report figure (summary; revenue
// by day, staff and service) equals the journal lines it claims by plain SQL, and every staff statement's balance owed
// equals its payable lines and its figures its listed lines. MONEY_PROPERTY_RUNS / MONEY_PROPERTY_STEPS bound a run
// (defaults 25 × 16, plus up to 3 closing staff steps); FC_SEED replays or explores (test/helpers/fast-check-seed.ts).
import "./helpers/fast-check-seed.ts";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { type RunningStripeEmulator, startStripeEmulator } from "../stripe-emulator/src/index.ts";
import { createRefundHandler } from "../worker/src/effects/handlers/refund.ts";
import { stripeRefundProvider } from "../worker/src/effects/stripe-refunds.ts";
import type { OutboxEvent } from "../worker/src/outbox/types.ts";
import { paymentsProviderFor, type StripeConfig } from "../worker/src/providers/stripe.ts";
import { ledgerFindings } from "../worker/src/services/reconciliation/ledger-checks.ts";
import { reconcileDay } from "../worker/src/services/reconciliation/reconcile.ts";
import { REFUND_EVENT } from "../worker/src/services/refunds/decide.ts";
import { CONFIG } from "./effects/helpers.ts";
import { TEST_NOW, useTestApp } from "./helpers/app.ts";
import { ignoreTermination } from "./helpers/pg-lifecycle.ts";
import { createSalon, customer, type Salon } from "./helpers/salon.ts";
import { EMULATOR_API_KEY } from "./helpers/stripe-emulator.ts";
import { signStripePayload } from "./helpers/stripe-sign.ts";

const RUNS = Number(process.env.MONEY_PROPERTY_RUNS ?? 25);
const MAX_STEPS = Number(process.env.MONEY_PROPERTY_STEPS ?? 16);

const t = useTestApp();
const stripe = useCollectingStripeEmulator(t);

/**
 * The emulator on the test cluster with its business clock on the test's clock, as useStripeEmulator starts it, but
 * with no webhook URL: its events are only recorded (`GET /_emulator/events`), and this test delivers them itself.
 */
function useCollectingStripeEmulator(app: typeof t) {
  const ctx = {} as {
    emulator: RunningStripeEmulator;
    config: StripeConfig & { webhookSecret: string };
    control<T = any>(path: string, body?: unknown): Promise<T>;
  };
  const dbName = `stripe_emu_${Math.random().toString(36).slice(2, 12)}`;
  const adminUrl = () => inject("testDb").adminUrl;
  beforeAll(async () => {
    const webhookSecret = `whsec_${Math.random().toString(36).slice(2)}`;
    ctx.emulator = await startStripeEmulator({
      databaseUrl: adminUrl().replace(/\/[^/]*$/, `/${dbName}`),
      webhookSecret,
      refundSettleMs: 0,
      apiKey: EMULATOR_API_KEY,
      clock: () => app.clock.now.getTime(),
    });
    ctx.config = { webhookSecret, secretKey: EMULATOR_API_KEY, apiBase: ctx.emulator.url, platformFeeBps: 500 };
    app.app = app.withConfig({ stripe: ctx.config });
  });
  afterAll(async () => {
    await ctx.emulator?.close();
    const client = new pg.Client({ connectionString: adminUrl() });
    client.on("error", ignoreTermination);
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(dbName)} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  });
  ctx.control = async (path, body) => {
    const res = await fetch(`${ctx.emulator.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as never;
  };
  return ctx;
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

/** Which of the run's bookings (modulo how many exist), so a step stays meaningful when shrinking removes others. */
const pick = fc.nat({ max: 7 });
/** 1–3 deliveries of each collected event, in an order given by sort keys fast-check chooses (and shrinks). */
const delivery = fc.record({
  keys: fc.array(fc.nat({ max: 999 }), { minLength: 1, maxLength: 24 }),
  copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 24 }),
});

const MONEY_STEPS = [
  fc.record({
    kind: fc.constant("book" as const),
    tenant: fc.nat({ max: 1 }),
    deposit: fc.constantFrom(true, true, false),
    day: fc.integer({ min: 1, max: 3 }),
    slot: fc.nat({ max: 13 }), // 09:00 … 15:30, every 30 minutes
    // What the customer does on Checkout straight away (a later `pay` / `decline` step may still come).
    payNow: fc.oneof(
      {
        arbitrary: fc.record({ pay: fc.constant(true), deliver: fc.option(delivery, { freq: 5, nil: null }) }),
        weight: 4,
      },
      { arbitrary: fc.constant(null), weight: 1 },
    ),
  }),
  // Paying usually lets the webhooks through at once (1–3 times, shuffled): most steps need a confirmed booking.
  fc.record({
    kind: fc.constant("pay" as const),
    booking: pick,
    deliver: fc.option(delivery, { freq: 4, nil: null }),
  }),
  fc.record({ kind: fc.constant("decline" as const), booking: pick }),
  fc.record({
    kind: fc.constant("complete" as const),
    booking: pick,
    tip: fc.constantFrom(0, 0, 250, 500),
    method: fc.constantFrom("cash", "card", "other"),
  }),
  fc.record({ kind: fc.constant("cancelByCustomer" as const), booking: pick }),
  fc.record({ kind: fc.constant("cancelByOwner" as const), booking: pick }),
  fc.record({ kind: fc.constant("noShow" as const), booking: pick }),
  fc.record({
    kind: fc.constant("refund" as const),
    booking: pick,
    amount: fc.integer({ min: 1, max: 1200 }),
    effectNow: fc.boolean(),
    /** Stripe fails this refund when it settles (asked of Stripe now, so the setting applies to it alone). */
    fails: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("retryRefund" as const), booking: pick }),
  fc.record({ kind: fc.constant("refundsFail" as const), fail: fc.boolean() }),
  fc.record({ kind: fc.constant("advance" as const), minutes: fc.constantFrom(10, 45, 6 * 60, 25 * 60, 49 * 60) }),
  fc.record({ kind: fc.constant("runEffects" as const) }),
  // The consumer dies after Stripe answered, before its transaction commits: Stripe holds the refund, Bookra does not
  // know its id, the outbox runs the effect again later (same idempotency key) and the webhooks may come first.
  fc.record({ kind: fc.constant("crashEffects" as const) }),
  fc.record({ kind: fc.constant("deliver" as const), order: delivery }),
];

/** Money Stripe moves on its own (disputes, payouts): the ledger posts it from their events. */
const MONEY_STRIPE_MOVES = [
  fc.record({
    kind: fc.constant("dispute" as const),
    booking: pick,
    close: fc.constantFrom("open", "won", "lost"),
  }),
  fc.record({
    kind: fc.constant("payout" as const),
    tenant: fc.nat({ max: 1 }),
    outcome: fc.constantFrom("paid", "failed"),
  }),
];

/** A commission rule as the owner writes it: percent or fixed, default or per service, dated around the run's days. */
const commissionRule = fc.record({
  kind: fc.constantFrom("percent", "fixed"),
  rateBps: fc.constantFrom(0, 1000, 2500, 3333, 5000, 10_000),
  amount: fc.constantFrom(0, 150, 700, 2500),
  /** null: the staff member's default; else the deposit service (0) or the plain one (1). */
  service: fc.constantFrom(null, 0, 1),
  /** Days after 2027-02-28: before (1 = the run's first day, appointments start on day 2) or after appointments. */
  day: fc.integer({ min: 0, max: 5 }),
});

/** Issue 14: commission rules changed midway, refunds after completion, staff paid part, all or more than owed. */
const STAFF_STEPS = [
  fc.record({
    kind: fc.constant("commissionRules" as const),
    tenant: fc.nat({ max: 1 }),
    staff: fc.nat({ max: 1 }),
    rules: fc.array(commissionRule, { maxLength: 4 }),
    /** A rule out of range (percent above 100 %, negative fixed amount): 422 and nothing stored. */
    invalid: fc.constantFrom(null, null, null, null, null, "rate" as const, "amount" as const),
  }),
  // Completing one of the confirmed bookings (the plain `complete` step also tries others, which the desk refuses).
  fc.record({
    kind: fc.constant("completeConfirmed" as const),
    booking: pick,
    tip: fc.constantFrom(0, 250, 500),
    method: fc.constantFrom("cash", "card"),
  }),
  fc.record({
    kind: fc.constant("refundCompleted" as const),
    booking: pick,
    // Mostly within the 1000 a deposit paid online (what can be refunded), sometimes beyond it (422).
    amount: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 1000 }), weight: 4 },
      { arbitrary: fc.integer({ min: 1001, max: 1500 }), weight: 1 },
    ),
    effectNow: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("payStaff" as const),
    tenant: fc.nat({ max: 1 }),
    staff: fc.nat({ max: 1 }),
    /** Of what is owed: part, all, or more (422 STAFF_OVERPAID). */
    share: fc.constantFrom("part", "all", "more"),
    method: fc.constantFrom("bank", "cash"),
  }),
];

/**
 * Steps that end a run once everything before has happened (staff paid, a completed booking refunded, rules
 * changed): most sequences reach completions late, and paying staff needs them.
 */
const closing = fc.array(
  fc.oneof(STAFF_STEPS[0]!, STAFF_STEPS[2]!, STAFF_STEPS[3]!, STAFF_STEPS[3]!) as fc.Arbitrary<StaffStep>,
  { maxLength: 3 },
);

/** Bookings and payments weigh more: most other steps need a paid booking to act on. */
const WEIGHTS: Record<string, number> = {
  book: 6,
  pay: 5,
  deliver: 2,
  refund: 2,
  completeConfirmed: 4,
  refundCompleted: 3,
  payStaff: 3,
};
const weighted = (arbs: fc.Arbitrary<{ kind: string }>[], kinds: string[]) =>
  arbs.map((arbitrary, i) => ({ arbitrary, weight: WEIGHTS[kinds[i]!] ?? 1 }));
const step = fc.oneof(
  ...weighted(MONEY_STEPS, [
    "book",
    "pay",
    "decline",
    "complete",
    "cancelByCustomer",
    "cancelByOwner",
    "noShow",
    "refund",
    "retryRefund",
    "refundsFail",
    "advance",
    "runEffects",
    "crashEffects",
    "deliver",
  ]),
  ...weighted(MONEY_STRIPE_MOVES, ["dispute", "payout"]),
  ...weighted(STAFF_STEPS, ["commissionRules", "completeConfirmed", "refundCompleted", "payStaff"]),
) as fc.Arbitrary<any>;
type Step = (typeof MONEY_STEPS)[number] extends fc.Arbitrary<infer S> ? S : never;
type StripeMoveStep = (typeof MONEY_STRIPE_MOVES)[number] extends fc.Arbitrary<infer S> ? S : never;
type StaffStep = (typeof STAFF_STEPS)[number] extends fc.Arbitrary<infer S> ? S : never;

// ---------------------------------------------------------------------------------------------------------------
// One run's world

interface Tenant {
  salon: Salon;
  plainServiceId: string;
  account: string;
}

interface Booking {
  id: string;
  tenant: Tenant;
  token: string;
  session: string | null;
  paymentIntent: string | null;
  start: Date;
}

interface StripeEventRecord {
  id: string;
  type: string;
  account?: string;
  created: number;
  data: { object: Record<string, any> };
}

/** Stripe signs by the real clock (the SDK measures a signature's age by it), whatever the test's clock says. */
const wallSeconds = () => Math.floor(Date.now() / 1000);

let stepsRun = 0;
let runsRun = 0;
let deliveries = 0;
const kinds: Record<string, number> = {};
/** Requests of the steps the app accepted (2xx): how much of a run did something. */
let accepted = 0;
/** Issue 14's steps that did something: rule lists stored / refused, refunds of completed bookings, staff paid / refused. */
const staffOutcomes: Record<string, number> = {};
const outcome = (name: string) => {
  staffOutcomes[name] = (staffOutcomes[name] ?? 0) + 1;
};
afterAll(async () => {
  // What the runs posted, by kind: shows which money paths the sequences reached.
  const posted = await t.database.admin<{ kind: string; n: string }>(
    "SELECT kind, count(*)::text AS n FROM journal_entries GROUP BY kind ORDER BY kind",
  );
  const accounts = await t.database.admin<{ account: string; n: string }>(
    "SELECT split_part(account, ':', 1) AS account, count(*)::text AS n FROM journal_lines GROUP BY 1 ORDER BY 1",
  );
  console.log(
    `money property: ${runsRun} runs, ${stepsRun} steps, ${accepted} accepted requests, ${deliveries} webhook deliveries (MONEY_PROPERTY_RUNS=${RUNS}, MONEY_PROPERTY_STEPS=${MAX_STEPS}); steps ${JSON.stringify(kinds)}; staff ${JSON.stringify(staffOutcomes)}; entries ${JSON.stringify(Object.fromEntries(posted.map((r) => [r.kind, Number(r.n)])))}; lines ${JSON.stringify(Object.fromEntries(accounts.map((r) => [r.account, Number(r.n)])))}`,
  );
});

class ConsumerCrashed extends Error {}

class World {
  tenants: Tenant[] = [];
  bookings: Booking[] = [];
  /** Stripe events already handed to the app (each at least once, answered 2xx). */
  delivered = new Set<string>();
  /** Outbox rows of the refund effect already run. */
  effectsRun = new Set<string>();
  /** Any answer ≥ 500: a bug wherever it comes from. */
  serverErrors: string[] = [];
  /** An answer other than the one the contract promises (a refused rule list stored, an overpayment accepted…). */
  wrong: string[] = [];
  /** Refund effects whose consumer died after Stripe answered: the outbox runs them again within minutes. */
  crashed = new Set<string>();
  /** The emulator's refunds setting the run chose last (`refundsFail` steps). */
  refundsFail = false;
  refundHandler = createRefundHandler(stripeRefundProvider(paymentsProviderFor(stripe.config)));

  async request(method: string, path: string, opts: Parameters<typeof t.request>[2] = {}) {
    const res = await t.request(method, path, opts);
    if (res.status < 300) accepted++;
    if (process.env.MONEY_PROPERTY_DEBUG) console.log(method, path, res.status, JSON.stringify(res.body).slice(0, 200));
    if (res.status >= 500) this.serverErrors.push(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  }

  async tenant(): Promise<Tenant> {
    const salon = await createSalon(t, { staff: 2, service: { deposit: { percent: 20 } } });
    const key = salon.tenant.apiKey;
    const plain = await this.request("POST", "/v1/admin/services", {
      key,
      body: {
        name: "Trim",
        durationMinutes: 30,
        price: { amount: 2000, currency: "EUR" },
        slotStepMinutes: 15,
        staffIds: salon.staffIds,
      },
    });
    expect(plain.status).toBe(201);
    const policy = await this.request("PATCH", "/v1/admin/tenant", {
      key,
      body: { policies: { cancellation: { freeUntilHours: 24, lateKeepPercent: 50, noShowKeepPercent: 100 } } },
    });
    expect(policy.status).toBe(200);
    const link = await this.request("POST", "/v1/admin/payments/connect", { key });
    expect(link.status).toBe(200);
    const account = link.body.state.accountId as string;
    await stripe.control(`/_emulator/accounts/${account}/complete`, {});
    const tenant = { salon, plainServiceId: plain.body.id as string, account };
    this.tenants.push(tenant);
    await this.deliver(tenant, { keys: [0], copies: [1] });
    const state = await this.request("GET", "/v1/admin/payments", { key });
    expect(state.body.chargesEnabled).toBe(true);
    return tenant;
  }

  /** The i-th booking (modulo); `paid`: among those paid on Checkout, when there are any (money steps need money). */
  booking(i: number, paid = false): Booking | undefined {
    const some = paid && this.bookings.some((b) => b.paymentIntent);
    const from = some ? this.bookings.filter((b) => b.paymentIntent) : this.bookings;
    return from.length === 0 ? undefined : from[i % from.length];
  }

  /** Events the emulator recorded for the tenant's account and the app has not acknowledged yet, oldest first. */
  async undelivered(tenant: Tenant): Promise<StripeEventRecord[]> {
    const list = await stripe.control<{ data: { event: StripeEventRecord }[] }>(
      `/_emulator/events?account=${tenant.account}`,
    );
    const seen = new Set<string>();
    return list.data
      .map((d) => d.event)
      .filter((e) => !this.delivered.has(e.id) && !seen.has(e.id) && seen.add(e.id))
      .sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  }

  /** Delivers each pending event 1–3 times, the copies shuffled together by the chosen sort keys. */
  async deliver(only: Tenant | null, order: { keys: number[]; copies: number[] }) {
    const events: StripeEventRecord[] = [];
    for (const tenant of only ? [only] : this.tenants) events.push(...(await this.undelivered(tenant)));
    const copies = events.flatMap((e, i) =>
      Array.from({ length: order.copies[i % order.copies.length]! }, (_, c) => ({
        e,
        key: order.keys[(i * 3 + c) % order.keys.length]!,
        n: i * 3 + c,
      })),
    );
    copies.sort((a, b) => a.key - b.key || a.n - b.n);
    for (const { e } of copies) {
      const payload = JSON.stringify(e, null, 2);
      const res = await t.app.request("/v1/webhooks/stripe", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "stripe-signature": await signStripePayload(stripe.config.webhookSecret, payload, wallSeconds()),
        },
        body: payload,
      });
      deliveries++;
      if (res.status >= 500) this.serverErrors.push(`webhook ${e.type} ${e.id}: ${res.status} ${await res.text()}`);
      // Anything but a 2xx is delivered again by Stripe: it stays pending.
      else if (res.ok) this.delivered.add(e.id);
    }
  }

  /**
   * Runs the refund effect for every refund outbox row not run yet, as the consumer does (one tenant transaction).
   * `crash`: each transaction is rolled back after the handler returns, and the row stays to be run again.
   */
  async runEffects(crash = false, only?: Set<string>): Promise<number> {
    const rows = await t.database.admin(
      "SELECT id, tenant_id, event_type, aggregate_id, payload, created_at FROM outbox WHERE event_type = $1 ORDER BY created_at, id",
      [REFUND_EVENT],
    );
    let ran = 0;
    for (const r of rows) {
      if (this.effectsRun.has(r.id) || (only && !only.has(r.id))) continue;
      if (crash) this.crashed.add(r.id);
      else {
        this.effectsRun.add(r.id);
        this.crashed.delete(r.id);
      }
      ran++;
      const event: OutboxEvent = {
        id: r.id,
        tenantId: r.tenant_id,
        type: r.event_type,
        aggregateId: r.aggregate_id,
        payload: r.payload,
        createdAt: r.created_at,
      };
      try {
        await t.database.db.withTenantTx(event.tenantId, async (tx) => {
          await this.refundHandler.run({ tx, event, providers: undefined, config: CONFIG, now: t.clock.now });
          if (crash) throw new ConsumerCrashed();
        });
      } catch (err) {
        if (err instanceof ConsumerCrashed) continue;
        // Stripe refusing (a disputed charge, a refund above what is left) leaves the refund pending, retried by the
        // outbox and then dead: visible, not a money error. Anything else is a bug.
        const status = (err as { statusCode?: number }).statusCode ?? (err as any)?.cause?.statusCode;
        if (status !== 400) this.serverErrors.push(`refund effect ${r.id}: ${String(err)}`);
      }
    }
    return ran;
  }

  /** Waits (on the emulator's events, no sleeping) until every refund Stripe holds has settled, failed or not. */
  async refundsSettled() {
    await vi.waitFor(
      async () => {
        for (const tenant of this.tenants) {
          const list = await stripe.control<{ data: { event: StripeEventRecord }[] }>(
            `/_emulator/events?account=${tenant.account}`,
          );
          const refunds = new Map<string, boolean>();
          for (const { event } of list.data) {
            if (!event.type.startsWith("refund.")) continue;
            const o = event.data.object;
            refunds.set(o.id, (refunds.get(o.id) ?? false) || o.status === "succeeded" || o.status === "failed");
          }
          for (const [id, settled] of refunds) if (!settled) throw new Error(`refund ${id} still pending`);
        }
      },
      { timeout: 15_000, interval: 20 },
    );
  }

  /** Until nothing moves: effects run, refunds settle, every event delivered (1–3 times, in the run's last order). */
  async quiesce(order: { keys: number[]; copies: number[] }) {
    for (let round = 0; round < 6; round++) {
      const ran = await this.runEffects();
      await this.refundsSettled();
      const before = this.delivered.size;
      await this.deliver(null, order);
      if (ran === 0 && this.delivered.size === before) return;
    }
    throw new Error("the run did not settle in 6 rounds");
  }

  /**
   * Moves the test's (and so the emulator's) clock. A crashed effect may run again only after it, even past the 24 h
   * Stripe remembers an Idempotency-Key: the effect then finds the refund it made by its metadata instead of making a
   * second one.
   */
  async moveClock(to: Date) {
    t.clock.now = to;
  }

  /** A local date (YYYY-MM-DD) of the tenant's zone. */
  localDay(tenant: Tenant, at: Date): string {
    return at.toLocaleDateString("en-CA", { timeZone: tenant.salon.tenant.timezone });
  }

  async run(s: Step | StripeMoveStep | StaffStep) {
    stepsRun++;
    kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
    switch (s.kind) {
      case "book": {
        const tenant = this.tenants[s.tenant % this.tenants.length]!;
        const start = new Date(Date.UTC(2027, 2, 1 + s.day, 9, s.slot * 30));
        const res = await this.request("POST", `/v1/public/${tenant.salon.tenant.slug}/bookings`, {
          body: {
            serviceId: s.deposit ? tenant.salon.serviceId : tenant.plainServiceId,
            start: start.toISOString(),
            customer: customer(Math.random().toString(36).slice(2, 8)),
          },
        });
        if (res.status !== 201) return;
        const b: Booking = {
          id: res.body.booking.id,
          tenant,
          token: res.body.manageToken,
          session: null,
          paymentIntent: null,
          start,
        };
        if (res.body.checkout) {
          const url = new URL(res.body.checkout.url as string);
          const to = await t.app.request(url.pathname + url.search, { redirect: "manual" });
          if (to.status >= 500) this.serverErrors.push(`checkout ${b.id}: ${to.status}`);
          const location = to.headers.get("location");
          if (to.status === 303 && location?.startsWith(stripe.emulator.url))
            b.session = new URL(location).pathname.split("/").at(-1)!;
        }
        this.bookings.push(b);
        if (b.session && s.payNow)
          await this.run({ kind: "pay", booking: this.bookings.length - 1, deliver: s.payNow.deliver });
        return;
      }
      case "pay":
      case "decline": {
        const deliverNow = s.kind === "pay" ? s.deliver : null;
        const b = this.booking(s.booking);
        if (!b?.session) return;
        const paid = await stripe
          .control<{ outcome: string; session: { payment_intent: string | null } }>(
            `/_emulator/checkout/sessions/${b.session}/${s.kind}`,
            {},
          )
          .catch(() => null);
        if (process.env.MONEY_PROPERTY_DEBUG) console.log(s.kind, b.session, JSON.stringify(paid).slice(0, 300));
        if (paid?.outcome === "paid" && paid.session.payment_intent) b.paymentIntent = paid.session.payment_intent;
        if (deliverNow) await this.deliver(b.tenant, deliverNow);
        return;
      }
      case "complete": {
        const b = this.booking(s.booking);
        if (!b) return;
        const key = b.tenant.salon.tenant.apiKey;
        const open = await this.request("GET", `/v1/admin/bookings/${b.id}/completion`, { key });
        if (open.status !== 200 || open.body.status !== "open") return;
        const due = Math.max(0, Number(open.body.due?.amount ?? open.body.due ?? 0));
        const total = due + s.tip;
        await this.request("POST", `/v1/admin/bookings/${b.id}/complete`, {
          key,
          body: {
            ...(total > 0 && { payments: [{ method: s.method, amount: total }] }),
            ...(s.tip > 0 && { tip: { amount: s.tip } }),
          },
        });
        return;
      }
      case "cancelByCustomer": {
        const b = this.booking(s.booking, true);
        if (!b) return;
        await this.request("POST", `/v1/public/${b.tenant.salon.tenant.slug}/bookings/${b.id}/cancel`, {
          headers: { authorization: `Bearer ${b.token}` },
        });
        return;
      }
      case "cancelByOwner":
      case "noShow": {
        const b = this.booking(s.booking, true);
        if (!b) return;
        const verb = s.kind === "noShow" ? "no-show" : "cancel";
        // A no-show is marked once the appointment's time has come: the clock moves there if it is not yet.
        if (s.kind === "noShow" && t.clock.now < b.start)
          await this.moveClock(new Date(b.start.getTime() + 15 * 60_000));
        await this.request("POST", `/v1/admin/bookings/${b.id}/${verb}`, { key: b.tenant.salon.tenant.apiKey });
        return;
      }
      case "refund": {
        const b = this.booking(s.booking, true);
        if (!b) return;
        await this.request("POST", `/v1/admin/bookings/${b.id}/refunds`, {
          key: b.tenant.salon.tenant.apiKey,
          body: { amount: s.amount, reason: "goodwill" },
        });
        if (s.fails) await stripe.control("/_emulator/settings", { refunds: "fail" });
        if (s.effectNow || s.fails) await this.runEffects();
        if (s.fails) await stripe.control("/_emulator/settings", { refunds: this.refundsFail ? "fail" : "succeed" });
        return;
      }
      case "retryRefund": {
        const b = this.booking(s.booking, true);
        if (!b) return;
        const key = b.tenant.salon.tenant.apiKey;
        const list = await this.request("GET", `/v1/admin/bookings/${b.id}/refunds`, { key });
        const failed = (list.body?.refunds ?? []).find((r: { status: string }) => r.status === "failed");
        if (failed) await this.request("POST", `/v1/admin/bookings/${b.id}/refunds/${failed.id}/retry`, { key });
        return;
      }
      case "refundsFail":
        this.refundsFail = s.fail;
        await stripe.control("/_emulator/settings", { refunds: s.fail ? "fail" : "succeed" });
        return;
      case "advance":
        await this.moveClock(new Date(t.clock.now.getTime() + s.minutes * 60_000));
        return;
      case "crashEffects":
        await this.runEffects(true);
        return;
      case "runEffects":
        await this.runEffects();
        await this.refundsSettled();
        return;
      case "deliver":
        await this.deliver(null, s.order);
        return;
      case "dispute": {
        const b = this.booking(s.booking, true);
        if (!b?.paymentIntent) return;
        const dispute = await stripe
          .control<{ id: string }>("/_emulator/disputes", { payment_intent: b.paymentIntent })
          .catch(() => null);
        if (dispute && s.close !== "open")
          await stripe.control(`/_emulator/disputes/${dispute.id}/close`, { outcome: s.close });
        return;
      }
      case "payout": {
        const tenant = this.tenants[s.tenant % this.tenants.length]!;
        await stripe.control("/_emulator/payouts/run", { account: tenant.account, outcome: s.outcome });
        return;
      }
      case "commissionRules": {
        const tenant = this.tenants[s.tenant % this.tenants.length]!;
        const staffId = tenant.salon.staffIds[s.staff % tenant.salon.staffIds.length]!;
        const services = [tenant.salon.serviceId, tenant.plainServiceId];
        // One rule per service and date (two would be a 400): the later one of the list wins.
        const byKey = new Map<string, Record<string, unknown>>();
        for (const r of s.rules) {
          const serviceId = r.service === null ? undefined : services[r.service];
          const effectiveFrom = new Date(Date.UTC(2027, 1, 28 + r.day)).toISOString().slice(0, 10);
          byKey.set(`${serviceId}|${effectiveFrom}`, {
            kind: r.kind,
            ...(r.kind === "percent" ? { rateBps: r.rateBps } : { amount: r.amount }),
            ...(serviceId && { serviceId }),
            effectiveFrom,
          });
        }
        const rules = [...byKey.values()];
        if (s.invalid === "rate") rules.push({ kind: "percent", rateBps: 10_001, effectiveFrom: "2027-03-01" });
        if (s.invalid === "amount") rules.push({ kind: "fixed", amount: -1, effectiveFrom: "2027-02-27" });
        const key = tenant.salon.tenant.apiKey;
        const before = await this.request("GET", `/v1/admin/staff/${staffId}/commission-rules`, { key });
        const res = await this.request("PUT", `/v1/admin/staff/${staffId}/commission-rules`, { key, body: { rules } });
        const after = await this.request("GET", `/v1/admin/staff/${staffId}/commission-rules`, { key });
        outcome(`rules ${res.status}`);
        if (s.invalid) {
          if (res.status !== 422 || res.body?.error?.code !== "COMMISSION_RULE_INVALID")
            this.wrong.push(`rules with ${s.invalid} out of range: ${res.status} ${JSON.stringify(res.body)}`);
          if (JSON.stringify(after.body) !== JSON.stringify(before.body))
            this.wrong.push(`refused rules changed the list: ${JSON.stringify(after.body)}`);
        } else if (res.status !== 200 || after.body.rules.length !== rules.length)
          this.wrong.push(`commission rules ${JSON.stringify(rules)}: ${res.status} ${JSON.stringify(res.body)}`);
        return;
      }
      case "completeConfirmed": {
        // Those with a deposit paid first, so that refunds after completion have money to take back.
        const confirmed = async () =>
          t.database.admin<{ id: string }>(
            `SELECT id FROM bookings b WHERE id = ANY($1) AND status = 'confirmed'
             ORDER BY EXISTS (SELECT 1 FROM payments p WHERE p.booking_id = b.id) DESC, created_at, id`,
            [this.bookings.map((b) => b.id)],
          );
        let ids = await confirmed();
        // None yet: one is booked to be completed (mostly with its deposit paid online and Stripe's webhooks
        // delivered, else without a deposit), so commission and refunds after completion have something to act on.
        if (ids.length === 0) {
          const online = s.booking % 4 !== 3;
          await this.run({
            kind: "book",
            tenant: s.booking,
            deposit: online,
            day: 1 + (s.booking % 3),
            slot: (s.booking * 2 + s.tip / 250) % 14,
            payNow: online ? { pay: true, deliver: { keys: [0], copies: [1] } } : null,
          });
          ids = await confirmed();
        }
        if (ids.length === 0) return;
        const id = ids[s.booking % Math.min(ids.length, 2)]!.id;
        const booking = this.bookings.findIndex((b) => b.id === id);
        await this.run({ kind: "complete", booking, tip: s.tip, method: s.method });
        return;
      }
      case "refundCompleted": {
        // An owner's refund of a completed appointment: revenue and the commission it earned are taken back.
        // Those paid online first (only online payments can be refunded), if there are any.
        const completed = await t.database.admin<{ id: string }>(
          `SELECT id FROM bookings b WHERE id = ANY($1) AND status = 'completed'
             AND (EXISTS (SELECT 1 FROM payments p WHERE p.booking_id = b.id AND p.amount > 0)
                  OR NOT EXISTS (SELECT 1 FROM bookings b2 JOIN payments p2 ON p2.booking_id = b2.id
                                 WHERE b2.id = ANY($1) AND b2.status = 'completed' AND p2.amount > 0))
           ORDER BY created_at, id`,
          [this.bookings.map((b) => b.id)],
        );
        if (completed.length === 0) return;
        const b = this.bookings.find((x) => x.id === completed[s.booking % completed.length]!.id)!;
        const res = await this.request("POST", `/v1/admin/bookings/${b.id}/refunds`, {
          key: b.tenant.salon.tenant.apiKey,
          body: { amount: s.amount, reason: "goodwill" },
        });
        outcome(`refund after completion ${res.status}`);
        if (s.effectNow) await this.runEffects();
        return;
      }
      case "payStaff": {
        // A staff member owed something, when one is (else the one chosen: only overpaying can happen).
        const owing = await t.database.admin<{ tenant_id: string; staff: string }>(
          `SELECT tenant_id, substr(account, strpos(account, ':') + 1) AS staff FROM journal_lines
            WHERE tenant_id = ANY($1) AND (account LIKE 'commissions\\_payable:%' OR account LIKE 'tips\\_payable:%')
            GROUP BY 1, 2 HAVING sum(amount) < 0 ORDER BY 1, 2`,
          [this.tenants.map((x) => x.salon.tenant.id)],
        );
        const chosen = owing.length > 0 ? owing[(s.tenant * 2 + s.staff) % owing.length] : undefined;
        const tenant = chosen
          ? this.tenants.find((x) => x.salon.tenant.id === chosen.tenant_id)!
          : this.tenants[s.tenant % this.tenants.length]!;
        const staffId = chosen?.staff ?? tenant.salon.staffIds[s.staff % tenant.salon.staffIds.length]!;
        const owedNow = async () =>
          -sumOf(
            await t.database.admin(
              "SELECT sum(amount)::text AS sum FROM journal_lines WHERE tenant_id = $1 AND account = ANY($2)",
              [tenant.salon.tenant.id, [`commissions_payable:${staffId}`, `tips_payable:${staffId}`]],
            ),
          );
        const payments = async () =>
          sumOf(
            await t.database.admin("SELECT count(*)::text AS sum FROM staff_payments WHERE staff_id = $1", [staffId]),
          );
        const owed = await owedNow();
        const paymentsBefore = await payments();
        if (owed <= 0 && s.share !== "more") return;
        const amount =
          s.share === "more" ? Math.max(owed, 0) + 1 : s.share === "all" ? owed : Math.max(1, Math.floor(owed / 3));
        const res = await this.request("POST", `/v1/admin/staff/${staffId}/payments`, {
          key: tenant.salon.tenant.apiKey,
          headers: { "idempotency-key": `pay-${Math.random().toString(36).slice(2)}` },
          body: {
            amount,
            method: s.method,
            period: { from: this.localDay(tenant, TEST_NOW), to: this.localDay(tenant, t.clock.now) },
          },
        });
        const expected = amount > owed ? 422 : 201;
        outcome(`staff payment ${s.share} ${res.status}`);
        if (res.status === 422 && ((await owedNow()) !== owed || (await payments()) !== paymentsBefore))
          this.wrong.push(`a refused staff payment of ${amount} changed what is owed or stored a payment`);
        if (res.status !== expected || (expected === 422 && res.body?.error?.code !== "STAFF_OVERPAID"))
          this.wrong.push(`paying ${amount} of ${owed} owed: ${res.status} ${JSON.stringify(res.body)}`);
        else if (expected === 201 && res.body.balanceOwed !== owed - amount)
          this.wrong.push(`paid ${amount} of ${owed}: balanceOwed ${res.body.balanceOwed}`);
        return;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What must hold after any run

const sumOf = (rows: { sum: string | null }[]) => Number(rows[0]?.sum ?? 0);

/** The account's balance on the emulator, asked as the stripe package would (pending + available). */
async function emulatorBalance(account: string): Promise<number> {
  const res = await fetch(`${stripe.emulator.url}/v1/balance`, {
    headers: { authorization: `Bearer ${EMULATOR_API_KEY}`, "stripe-account": account },
  });
  const body = (await res.json()) as {
    available: { amount: number; currency: string }[];
    pending: { amount: number; currency: string }[];
  };
  return [...body.available, ...body.pending].filter((b) => b.currency === "eur").reduce((s, b) => s + b.amount, 0);
}

/** How many balance transactions the account has on the emulator (each must have exactly one ledger entry). */
async function emulatorBalanceTransactions(account: string): Promise<number> {
  let count = 0;
  let after: string | undefined;
  for (;;) {
    const res = await fetch(
      `${stripe.emulator.url}/v1/balance_transactions?limit=100${after ? `&starting_after=${after}` : ""}`,
      { headers: { authorization: `Bearer ${EMULATOR_API_KEY}`, "stripe-account": account } },
    );
    const page = (await res.json()) as { data: { id: string }[]; has_more: boolean };
    count += page.data.length;
    if (!page.has_more || page.data.length === 0) return count;
    after = page.data.at(-1)!.id;
  }
}

/** MONEY_PROPERTY_DEBUG: what a failing run posted on stripe_balance and what the emulator's events said. */
async function dump(w: World) {
  for (const tenant of w.tenants) {
    const entries = await t.database.admin(
      `SELECT e.kind, e.source_type, e.source_id, l.amount FROM journal_entries e
         JOIN journal_lines l ON l.entry_id = e.id AND l.account = 'stripe_balance' WHERE e.tenant_id = $1`,
      [tenant.salon.tenant.id],
    );
    const events = await stripe.control<{ data: { event: StripeEventRecord }[] }>(
      `/_emulator/events?account=${tenant.account}`,
    );
    console.log(
      "DUMP",
      JSON.stringify(entries),
      JSON.stringify(events.data.map((d) => [d.event.type, d.event.data.object.id, d.event.data.object.status])),
    );
  }
}

/**
 * Issue 14: every report figure is the sum of the ledger lines it claims, to the minor unit. The expectations are plain
 * SQL over `journal_lines` by the mapping of domain/reports.ts `FIGURES` (docs/API.md "Reports"), not the report code.
 */
const PERIOD_FIGURES_SQL = `
  -sum(l.amount) FILTER (WHERE l.account = 'service_revenue') AS "serviceRevenue",
  -sum(l.amount) FILTER (WHERE l.account = 'cancellation_fees') AS "cancellationFees",
  sum(l.amount) FILTER (WHERE l.account = 'refunds_given') AS refunds,
  sum(l.amount) FILTER (WHERE l.account = 'discounts') AS discounts,
  -sum(l.amount) FILTER (WHERE l.account LIKE 'tips\\_payable:%' AND l.amount < 0) AS tips,
  -sum(l.amount) FILTER (WHERE l.account IN ('service_revenue', 'cancellation_fees', 'refunds_given', 'discounts'))
    AS "netRevenue"`;
const SUMMARY_FIGURES_SQL = `${PERIOD_FIGURES_SQL},
  -sum(l.amount) FILTER (WHERE l.account IN ('service_revenue', 'cancellation_fees')) AS "grossTakings",
  sum(l.amount) FILTER (WHERE l.account = 'stripe_fees') AS "stripeFees",
  sum(l.amount) FILTER (WHERE l.account = 'platform_fees') AS "platformFees",
  sum(l.amount) FILTER (WHERE l.account IN ('dispute_fees', 'dispute_losses')) AS "disputeCosts",
  sum(l.amount) FILTER (WHERE l.account = 'commission_expense') AS commissions,
  -sum(l.amount) FILTER (WHERE l.account IN ('service_revenue', 'cancellation_fees', 'refunds_given', 'discounts',
    'stripe_fees', 'platform_fees', 'dispute_fees', 'dispute_losses', 'commission_expense')) AS net`;
/** The lines of the tenant's entries that occurred on local days from…to (both included). */
const PERIOD_LINES_SQL = `journal_lines l JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
  JOIN tenants tn ON tn.id = l.tenant_id
  WHERE l.tenant_id = $1 AND (e.occurred_at AT TIME ZONE tn.timezone)::date BETWEEN $2::date AND $3::date`;
const REVENUE_FIGURES = ["serviceRevenue", "cancellationFees", "refunds", "discounts", "tips", "netRevenue"] as const;

/** Figures of SQL rows (null sums are 0) as numbers, keyed by currency + group. */
function figureMap(rows: Record<string, string | null>[], names: readonly string[]) {
  return new Map(
    rows.map((r) => [`${r.currency}|${r.key ?? ""}`, Object.fromEntries(names.map((n) => [n, Number(r[n] ?? 0)]))]),
  );
}

/** Differences between what a report says and what the ledger's lines sum to (missing keys count as zeros). */
function compareFigures(
  what: string,
  reported: Map<string, Record<string, number>>,
  expected: Map<string, Record<string, number>>,
  names: readonly string[],
): string[] {
  const out: string[] = [];
  for (const key of new Set([...reported.keys(), ...expected.keys()]))
    for (const n of names) {
      const r = reported.get(key)?.[n] ?? 0;
      const e = expected.get(key)?.[n] ?? 0;
      if (r !== e) out.push(`${what} ${key} ${n}: report ${r}, ledger lines ${e}`);
    }
  return out;
}

async function reportProblems(w: World, tenant: Tenant): Promise<string[]> {
  const found: string[] = [];
  const tenantId = tenant.salon.tenant.id;
  const key = tenant.salon.tenant.apiKey;
  const from = w.localDay(tenant, TEST_NOW);
  const to = w.localDay(tenant, t.clock.now);
  const period = [tenantId, from, to];

  // The summary: period figures over the run's days, depositsHeld and stripeOwes over all time.
  const summary = await t.request("GET", `/v1/admin/reports/summary?from=${from}&to=${to}`, { key });
  if (summary.status !== 200) return [`${tenantId}: summary ${summary.status} ${JSON.stringify(summary.body)}`];
  const summaryNames = [
    "serviceRevenue",
    "cancellationFees",
    "grossTakings",
    "refunds",
    "discounts",
    "tips",
    "stripeFees",
    "platformFees",
    "disputeCosts",
    "commissions",
    "net",
    "depositsHeld",
    "stripeOwes",
  ];
  const sqlSummary = await t.database.admin(
    `SELECT p.*, n."depositsHeld", n."stripeOwes" FROM
       (SELECT trim(l.currency) AS currency, ${SUMMARY_FIGURES_SQL} FROM ${PERIOD_LINES_SQL} GROUP BY 1) p
       FULL JOIN (SELECT trim(currency) AS currency,
                         -sum(amount) FILTER (WHERE account = 'customer_deposits') AS "depositsHeld",
                         sum(amount) FILTER (WHERE account = 'stripe_balance') AS "stripeOwes"
                  FROM journal_lines WHERE tenant_id = $1 GROUP BY 1) n USING (currency)`,
    period,
  );
  found.push(
    ...compareFigures(
      `${tenantId} summary`,
      figureMap(summary.body.currencies, summaryNames),
      figureMap(sqlSummary, summaryNames),
      summaryNames,
    ),
  );

  // Revenue grouped by day, staff and service.
  const groupKey = {
    day: "(e.occurred_at AT TIME ZONE tn.timezone)::date::text",
    staff: "coalesce(l.staff_id, '')",
    service: "coalesce(l.service_id, '')",
  };
  for (const groupBy of ["day", "staff", "service"] as const) {
    const report = await t.request("GET", `/v1/admin/reports/revenue?from=${from}&to=${to}&groupBy=${groupBy}`, {
      key,
    });
    if (report.status !== 200) {
      found.push(`${tenantId}: revenue by ${groupBy} ${report.status} ${JSON.stringify(report.body)}`);
      continue;
    }
    const rows = report.body.rows as Record<string, string | null>[];
    if (new Set(rows.map((r) => `${r.currency}|${r.key}`)).size !== rows.length)
      found.push(`${tenantId}: revenue by ${groupBy} repeats a key: ${JSON.stringify(rows)}`);
    const expected = await t.database.admin(
      `SELECT trim(l.currency) AS currency, ${groupKey[groupBy]} AS key, ${PERIOD_FIGURES_SQL} FROM ${PERIOD_LINES_SQL}
         AND (l.account IN ('service_revenue', 'cancellation_fees', 'refunds_given', 'discounts')
              OR l.account LIKE 'tips\\_payable:%')
       GROUP BY 1, 2`,
      period,
    );
    found.push(
      ...compareFigures(
        `${tenantId} revenue by ${groupBy}`,
        figureMap(rows, REVENUE_FIGURES),
        figureMap(expected, REVENUE_FIGURES),
        REVENUE_FIGURES,
      ),
    );
    if (groupBy !== "day") {
      const missing = expected.filter((e) => !rows.some((r) => r.key === e.key && r.currency === e.currency));
      if (missing.length) found.push(`${tenantId}: revenue by ${groupBy} leaves out ${JSON.stringify(missing)}`);
    }
  }

  // Every staff statement: balanceOwed is what the two payable accounts hold, its figures are its listed lines.
  for (const staffId of tenant.salon.staffIds) {
    const st = await t.request("GET", `/v1/admin/staff/${staffId}/statement?from=${from}&to=${to}`, { key });
    if (st.status !== 200) {
      found.push(`${tenantId}: statement of ${staffId} ${st.status} ${JSON.stringify(st.body)}`);
      continue;
    }
    const cp = `commissions_payable:${staffId}`;
    const tp = `tips_payable:${staffId}`;
    const [ledger] = await t.database.admin<Record<string, string>>(
      `SELECT coalesce(-sum(amount), 0)::text AS owed, count(*)::text AS n FROM journal_lines
        WHERE tenant_id = $1 AND account = ANY($2)`,
      [tenantId, [cp, tp]],
    );
    const [listedInSql] = await t.database.admin<Record<string, string>>(
      `SELECT count(*)::text AS n FROM ${PERIOD_LINES_SQL}
         AND (l.account = ANY($4) OR (l.staff_id = $5 AND l.account = ANY($6)))`,
      [...period, [cp, tp], staffId, ["service_revenue", "discounts", "cancellation_fees", "refunds_given"]],
    );
    const at = `${tenantId}: statement of ${staffId}`;
    if (st.body.balanceOwed !== Number(ledger!.owed))
      found.push(`${at}: balanceOwed ${st.body.balanceOwed}, its payable lines ${ledger!.owed}`);
    if (st.body.openingBalance !== 0) found.push(`${at}: openingBalance ${st.body.openingBalance} before any entry`);
    type Line = { account: string; amount: number; staffId: string | null };
    const lines: (Line & { source: string })[] = (st.body.entries as any[]).flatMap((e) =>
      (e.lines as Line[]).map((l) => ({ ...l, source: e.source.type as string })),
    );
    if (st.body.entriesTruncated) found.push(`${at}: truncated with ${st.body.entries.length} entries`);
    else if (lines.length !== Number(listedInSql!.n))
      found.push(`${at}: lists ${lines.length} lines, the period has ${listedInSql!.n}`);
    const sum = (f: (l: Line & { source: string }) => boolean) => lines.filter(f).reduce((n, l) => n + l.amount, 0);
    const mine = (l: Line) => l.staffId === staffId;
    const fromLines: Record<string, number> = {
      revenue: -sum((l) => mine(l) && (l.account === "service_revenue" || l.account === "discounts")),
      cancellationFees: -sum((l) => mine(l) && l.account === "cancellation_fees"),
      refunds: sum((l) => mine(l) && l.account === "refunds_given"),
      commission: -sum((l) => l.account === cp && l.amount < 0),
      tips: -sum((l) => l.account === tp && l.amount < 0),
      commissionReversed: sum((l) => l.account === cp && l.amount > 0 && l.source !== "commission_payment"),
      paid: sum((l) => (l.account === cp || l.account === tp) && l.amount > 0 && l.source === "commission_payment"),
    };
    for (const [name, value] of Object.entries(fromLines))
      if (st.body[name] + 0 !== value + 0) found.push(`${at}: ${name} ${st.body[name]}, its listed lines ${value}`);
    const identity =
      st.body.openingBalance + st.body.commission + st.body.tips - st.body.commissionReversed - st.body.paid;
    if (identity !== st.body.balanceOwed)
      found.push(`${at}: balanceOwed ${st.body.balanceOwed} ≠ its figures ${identity}`);
  }
  return found;
}

async function problems(w: World): Promise<string[]> {
  const found = [...w.serverErrors, ...w.wrong];
  for (const tenant of w.tenants) {
    const tenantId = tenant.salon.tenant.id;
    const unbalanced = await t.database.admin(
      `SELECT entry_id, currency, sum(amount)::text AS sum FROM journal_lines WHERE tenant_id = $1
       GROUP BY entry_id, currency HAVING sum(amount) <> 0`,
      [tenantId],
    );
    if (unbalanced.length) found.push(`unbalanced entries: ${JSON.stringify(unbalanced)}`);
    const total = sumOf(
      await t.database.admin("SELECT sum(amount)::text AS sum FROM journal_lines WHERE tenant_id = $1", [tenantId]),
    );
    if (total !== 0) found.push(`the ledger of ${tenantId} sums to ${total}`);
    const ledgerStripe = sumOf(
      await t.database.admin(
        "SELECT sum(amount)::text AS sum FROM journal_lines WHERE tenant_id = $1 AND account = 'stripe_balance'",
        [tenantId],
      ),
    );
    const emulator = await emulatorBalance(tenant.account);
    if (ledgerStripe !== emulator)
      found.push(`stripe_balance of ${tenantId}: ledger ${ledgerStripe}, emulator ${emulator} (${tenant.account})`);
    // One entry per balance transaction: a replayed or reordered webhook never posts a fact twice, nor drops one.
    const entries = sumOf(
      await t.database.admin(
        `SELECT count(DISTINCT entry_id)::text AS sum FROM journal_lines WHERE tenant_id = $1 AND account = 'stripe_balance'`,
        [tenantId],
      ),
    );
    const txns = await emulatorBalanceTransactions(tenant.account);
    if (entries !== txns)
      found.push(`${tenantId}: ${entries} entries move stripe_balance, the emulator has ${txns} balance transactions`);
    // Stripe facts are dated by the emulator's business clock, which follows the test's clock (not the wall clock).
    const outside = await t.database.admin(
      "SELECT kind, occurred_at FROM journal_entries WHERE tenant_id = $1 AND (occurred_at < $2 OR occurred_at > $3)",
      [tenantId, TEST_NOW, t.clock.now],
    );
    if (outside.length) found.push(`${tenantId}: entries dated outside the run's clock: ${JSON.stringify(outside)}`);
    // Reports (issue 14): the daily rollup they read is the journal grouped by local day, whatever the order.
    const rollupDiff = await t.database.admin(
      `WITH j AS (SELECT (e.occurred_at AT TIME ZONE tn.timezone)::date AS day, l.account, l.currency,
                         coalesce(l.staff_id, '') AS s, coalesce(l.service_id, '') AS v,
                         sum(greatest(l.amount, 0)) AS d, sum(least(l.amount, 0)) AS c, count(*) AS n
                  FROM journal_lines l JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
                  JOIN tenants tn ON tn.id = l.tenant_id WHERE l.tenant_id = $1 GROUP BY 1, 2, 3, 4, 5),
            r AS (SELECT day, account, currency, staff_id, service_id, debits, credits, lines FROM ledger_daily
                  WHERE tenant_id = $1)
       (SELECT 'journal' AS side, * FROM j EXCEPT SELECT 'journal', * FROM r)
       UNION ALL (SELECT 'rollup', * FROM r EXCEPT SELECT 'rollup', * FROM j)`,
      [tenantId],
    );
    if (rollupDiff.length) found.push(`${tenantId}: the reports' daily rollup differs: ${JSON.stringify(rollupDiff)}`);
    // …and the summary's balances now are the ledger's.
    const day = (at: Date) => at.toLocaleDateString("en-CA", { timeZone: tenant.salon.tenant.timezone });
    const summary = await t.request("GET", `/v1/admin/reports/summary?from=${day(TEST_NOW)}&to=${day(t.clock.now)}`, {
      key: tenant.salon.tenant.apiKey,
    });
    const owes = ((summary.body?.currencies ?? []) as { stripeOwes: number }[]).reduce((n, c) => n + c.stripeOwes, 0);
    if (summary.status !== 200 || owes !== ledgerStripe)
      found.push(`${tenantId}: summary ${summary.status} says Stripe owes ${owes}, the ledger ${ledgerStripe}`);
    found.push(...(await reportProblems(w, tenant)));
    // The production ledger checks (MONEY.md identities 1-4) never fire on what real flows wrote.
    const alarms = await ledgerFindings(t.database.db, tenantId);
    if (alarms.length) found.push(`${tenantId}: ledger checks fired: ${JSON.stringify(alarms)}`);
    // Reconciliation with Stripe (issue 14): every UTC day of the run finds 0 differences.
    const provider = paymentsProviderFor(stripe.config)!;
    for (let day = Date.parse(TEST_NOW.toISOString().slice(0, 10)); day <= t.clock.now.getTime(); day += 86_400_000) {
      const run = await reconcileDay({
        db: t.database.db,
        tenantId,
        provider,
        account: tenant.account,
        day: new Date(day).toISOString().slice(0, 10),
        trigger: "manual",
        now: t.clock.now,
      });
      if (run && run.differences > 0)
        found.push(`${tenantId}: reconciliation of ${run.day}: ${JSON.stringify(run.differenceList)}`);
    }
  }
  for (const b of w.bookings) {
    const [row] = await t.database.admin<Record<string, string | null>>(
      `SELECT b.status,
              (SELECT coalesce(sum(amount), 0) FROM payments p WHERE p.booking_id = b.id)::text AS paid,
              (SELECT string_agg(DISTINCT status, ',') FROM payments p WHERE p.booking_id = b.id) AS payment_status,
              (SELECT coalesce(sum(amount), 0) FROM refunds r WHERE r.booking_id = b.id)::text AS refunded,
              (SELECT coalesce(sum(amount), 0) FROM refunds r WHERE r.booking_id = b.id
                 AND (r.status = 'failed' OR (r.status = 'pending' AND r.stripe_refund_id IS NULL)))::text AS owed,
              (SELECT count(*) FROM refunds r WHERE r.booking_id = b.id)::text AS refund_rows,
              (SELECT revenue FROM booking_completions c WHERE c.booking_id = b.id)::text AS revenue
         FROM bookings b WHERE b.id = $1`,
      [b.id],
    );
    const lines = await t.database.admin<{ account: string; sum: string }>(
      `SELECT l.account, sum(l.amount)::text AS sum FROM journal_lines l WHERE l.booking_id = $1 GROUP BY l.account`,
      [b.id],
    );
    const bal = (account: string) => Number(lines.find((l) => l.account === account)?.sum ?? 0);
    const depositsIn = -sumOf(
      await t.database.admin(
        `SELECT sum(l.amount)::text AS sum FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
          WHERE l.booking_id = $1 AND e.kind = 'deposit.paid' AND l.account = 'customer_deposits'`,
        [b.id],
      ),
    );
    const paid = Number(row!.paid);
    const refunded = Number(row!.refunded);
    const at = `${b.id} (${row!.status}, paid ${paid}, refunds ${refunded})`;
    if (refunded > paid) found.push(`${at}: refunded more than paid`);
    if (depositsIn !== paid) found.push(`${at}: deposit.paid lines ${depositsIn} ≠ payments ${paid}`);
    if (paid === 0 && lines.some((l) => ["customer_deposits", "refunds_payable", "stripe_balance"].includes(l.account)))
      found.push(`${at}: unpaid, yet deposit lines ${JSON.stringify(lines)}`);
    if (Number(row!.refund_rows) > 0 && !lines.some((l) => l.account === "refunds_payable"))
      found.push(`${at}: refunds without refunds_payable lines`);
    if (bal("refunds_payable") !== -Number(row!.owed))
      found.push(`${at}: refunds_payable ${bal("refunds_payable")}, refunds still owed ${row!.owed}`);
    if (row!.status === "confirmed" && bal("customer_deposits") !== -(paid - refunded))
      found.push(`${at}: customer_deposits ${bal("customer_deposits")}, expected ${-(paid - refunded)}`);
    if (["completed", "cancelled", "no_show"].includes(row!.status!) && bal("customer_deposits") !== 0)
      found.push(`${at}: customer_deposits ${bal("customer_deposits")} left after ${row!.status}`);
    if (row!.status === "completed" && row!.revenue !== null && bal("service_revenue") !== -Number(row!.revenue))
      found.push(`${at}: service_revenue ${bal("service_revenue")}, completion revenue ${row!.revenue}`);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------

describe("money property: the ledger against the Stripe emulator", () => {
  it("after any sequence of bookings, payments, refunds and webhooks (1–3 times, any order) the identities hold", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: Math.min(4, MAX_STEPS), maxLength: MAX_STEPS, size: "max" }),
        delivery,
        fc.boolean(),
        closing,
        async (steps, finalOrder, twoTenants, last) => {
          runsRun++;
          t.clock.now = TEST_NOW;
          await stripe.control("/_emulator/settings", { refunds: "succeed" });
          const w = new World();
          await w.tenant();
          if (twoTenants) await w.tenant();
          for (const s of [...steps, ...last]) await w.run(s);
          await stripe.control("/_emulator/settings", { refunds: "succeed" });
          await w.quiesce(finalOrder);
          const found = await problems(w);
          if (found.length && process.env.MONEY_PROPERTY_DEBUG) await dump(w);
          if (found.length) throw new Error(found.join("\n"));
        },
      ),
      { numRuns: RUNS, ...(process.env.MONEY_PROPERTY_PATH && { path: process.env.MONEY_PROPERTY_PATH }) },
    );
  }, 600_000);
});
