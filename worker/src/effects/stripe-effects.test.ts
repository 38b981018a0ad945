// The outbox effects that call Stripe, through the real emulator (issue 13 follow-ups): a refund effect retried after
// Stripe forgot its Idempotency-Key (24 h) finds the refund it made instead of making a second one, and cancelling a
// held booking expires its Checkout Session (a paid one is left to the refund path; a lapsed hold keeps its session).
import Stripe from "stripe";
import { beforeEach, describe, expect, it } from "vitest";
import { useTestApp } from "../../../test/helpers/app.ts";
import { stripeBalanceIdentity } from "../../../test/helpers/ledger-identity.ts";
import { balances, unbalancedEntries } from "../../../test/helpers/paid-booking.ts";
import { createSalon, customer } from "../../../test/helpers/salon.ts";
import { EMULATOR_API_KEY, useStripeEmulator } from "../../../test/helpers/stripe-emulator.ts";
import type { OutboxEvent } from "../outbox/types.ts";
import { paymentsProviderFor } from "../providers/stripe.ts";
import { createCheckoutExpiryHandler } from "./handlers/checkout-expiry.ts";
import { paymentEffectHandlers } from "./handlers/index.ts";
import { createRefundHandler } from "./handlers/refund.ts";
import { stripeRefundProvider } from "./stripe-refunds.ts";

const t = useTestApp();
const stripe = useStripeEmulator(t);
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
});

const CONFIG = { manageTokenSecret: "test-manage-token-secret-0123456789abcdef", publicBaseUrl: "http://bookra.test" };

/** The emulator through the official client, as the worker's provider talks to it. */
const client = () => {
  const url = new URL(stripe.emulator.url);
  return new Stripe(EMULATOR_API_KEY, {
    host: url.hostname,
    port: Number(url.port),
    protocol: "http",
    httpClient: Stripe.createFetchHttpClient(),
  });
};

interface Shop {
  tenantId: string;
  slug: string;
  serviceId: string;
  apiKey: string;
  account: string;
}

async function shop(): Promise<Shop> {
  const s = await createSalon(t, { service: { deposit: { percent: 20 } } });
  const link = await t.request("POST", "/v1/admin/payments/connect", { key: s.tenant.apiKey });
  expect(link.status).toBe(200);
  const account = link.body.state.accountId as string;
  await fetch(link.body.url, { method: "POST", body: new URLSearchParams({ action: "complete" }), redirect: "manual" });
  await stripe.waitFor((d) => d.account === account && d.type === "account.updated" && d.result === "applied");
  return { tenantId: s.tenant.id, slug: s.tenant.slug, serviceId: s.serviceId, apiKey: s.tenant.apiKey, account };
}

/** A held booking, its Checkout Session's id and hosted page. */
async function held(p: Shop, start = "2027-03-02T09:00:00Z") {
  const res = await t.request("POST", `/v1/public/${p.slug}/bookings`, {
    body: { serviceId: p.serviceId, start, customer: customer("pay") },
  });
  expect(res.status).toBe(201);
  const id = res.body.booking.id as string;
  const url = new URL(res.body.checkout.url as string);
  const to = await t.app.request(url.pathname + url.search, { redirect: "manual" });
  expect(to.status).toBe(303);
  const [row] = await t.database.admin("SELECT checkout_session_id FROM bookings WHERE id = $1", [id]);
  return {
    id,
    manageToken: res.body.manageToken as string,
    page: to.headers.get("location")!,
    session: row!.checkout_session_id as string,
  };
}

const press = (page: string, action: "pay" | "decline") =>
  fetch(page, { method: "POST", body: new URLSearchParams({ action }), redirect: "manual" });

const firstOf = (account: string, type: string) => (d: { account: string | undefined; type: string }) =>
  d.account === account && d.type === type;

async function paid(p: Shop) {
  const b = await held(p);
  const seen = stripe.delivered.filter(firstOf(p.account, "checkout.session.completed")).length;
  expect((await press(b.page, "pay")).status).toBe(303);
  await stripe.waitFor(firstOf(p.account, "checkout.session.completed"), seen + 1);
  const [row] = await t.database.admin("SELECT provider_ref FROM payments WHERE booking_id = $1", [b.id]);
  return { ...b, pi: row!.provider_ref as string };
}

const outboxRows = (bookingId: string, type: string) =>
  t.database.admin<{ id: string; tenant_id: string; event_type: string; aggregate_id: string; payload: any }>(
    `SELECT id, tenant_id, event_type, aggregate_id, payload FROM outbox
      WHERE event_type = $2 AND (aggregate_id = $1 OR payload->>'bookingId' = $1) ORDER BY created_at, id`,
    [bookingId, type],
  );

class Crash extends Error {}

/** Runs `handler` on each outbox row of `type` about the booking, as the consumer does; `crash` rolls each back. */
async function runEffect(
  handler: ReturnType<typeof createRefundHandler>,
  bookingId: string,
  type: string,
  crash = false,
) {
  for (const r of await outboxRows(bookingId, type)) {
    const event: OutboxEvent = {
      id: r.id,
      tenantId: r.tenant_id,
      type: r.event_type,
      aggregateId: r.aggregate_id,
      payload: r.payload,
      createdAt: t.clock.now,
    };
    await t.database.db
      .withTenantTx(r.tenant_id, async (tx) => {
        await handler.run({ tx, event, providers: {}, config: CONFIG, now: t.clock.now });
        if (crash) throw new Crash();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Crash)) throw err;
      });
  }
}

async function expectIdentity(p: Shop) {
  const id = await stripeBalanceIdentity(t, stripe, p.tenantId, p.account);
  expect(id.ledger).toEqual(id.stripe);
  expect(await unbalancedEntries(t, p.tenantId)).toEqual([]);
}

const isRefundEvent = (type: string) => type.startsWith("refund.") || type.startsWith("charge.refund");

describe("a refund effect retried after Stripe forgot its Idempotency-Key", () => {
  it("takes the refund it made (named in its metadata) instead of making a second one", async () => {
    const p = await shop();
    const a = await paid(p);
    const refundHandler = createRefundHandler(stripeRefundProvider(paymentsProviderFor(stripe.config)));
    // Stripe's webhooks about the refund are late (the endpoint was down): only the effect can learn of it.
    stripe.hold((h) => h.account === p.account && isRefundEvent(h.type));
    const res = await t.request("POST", `/v1/admin/bookings/${a.id}/refunds`, {
      key: p.apiKey,
      body: { amount: 400, reason: "Goodwill" },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    expect(res.status).toBe(201);
    const refundId = res.body.id as string;

    // The effect dies after Stripe answered: its transaction rolls back, the refund stays pending without Stripe's id.
    await runEffect(refundHandler, a.id, "payments.refund", true);
    const opts = { stripeAccount: p.account };
    const first = await client().refunds.list({ payment_intent: a.pi }, opts);
    expect(first.data.map((r) => [r.amount, r.metadata?.bookra_refund_id])).toEqual([[400, refundId]]);
    await stripe.waitHeld(4); // refund.created, charge.refunded, refund.updated, charge.refund.updated
    expect(await t.database.admin("SELECT status, stripe_refund_id FROM refunds WHERE id = $1", [refundId])).toEqual([
      { status: "pending", stripe_refund_id: null },
    ]);

    // The outbox retries it a day and an hour later: the key `refund:<id>` is forgotten by then.
    t.clock.now = new Date(t.clock.now.getTime() + 25 * 3600_000);
    await runEffect(refundHandler, a.id, "payments.refund");
    const after = await client().refunds.list({ payment_intent: a.pi }, opts);
    expect(after.data.map((r) => r.id)).toEqual([first.data[0]!.id]);
    expect(await t.database.admin("SELECT status, stripe_refund_id FROM refunds WHERE id = $1", [refundId])).toEqual([
      { status: "succeeded", stripe_refund_id: first.data[0]!.id },
    ]);

    // The late webhooks change nothing more; the ledger's Stripe balance is the emulator's.
    const before = await balances(t, p.tenantId, a.id);
    for (const d of await stripe.release()) expect(d.status).toBe(200);
    expect(await balances(t, p.tenantId, a.id)).toEqual(before);
    expect(before.refunds_payable ?? 0).toBe(0);
    await expectIdentity(p);
    await runEffect(refundHandler, a.id, "payments.refund");
    expect((await client().refunds.list({ payment_intent: a.pi }, opts)).data).toHaveLength(1);
  });

  it("a retried attempt ignores the late news of the failed one, and finds its own Stripe refund, not that one", async () => {
    const p = await shop();
    const a = await paid(p);
    const refundHandler = createRefundHandler(stripeRefundProvider(paymentsProviderFor(stripe.config)));
    const opts = { stripeAccount: p.account };
    const res = await t.request("POST", `/v1/admin/bookings/${a.id}/refunds`, {
      key: p.apiKey,
      body: { amount: 300, reason: "Goodwill" },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    expect(res.status).toBe(201);
    const refundId = res.body.id as string;
    // The first attempt fails; two of Stripe's three events saying so are late.
    stripe.hold((h) => h.account === p.account && ["refund.updated", "charge.refund.updated"].includes(h.type));
    await stripe.control("/_emulator/settings", { refunds: "fail" });
    try {
      await runEffect(refundHandler, a.id, "payments.refund");
      await stripe.waitFor((d) => firstOf(p.account, "refund.failed")(d) && d.result === "applied");
      await stripe.waitHeld(2);
    } finally {
      await stripe.control("/_emulator/settings", { refunds: "succeed" });
    }
    const retried = await t.request("POST", `/v1/admin/bookings/${a.id}/refunds/${refundId}/retry`, { key: p.apiKey });
    expect(retried.status).toBe(200);
    const state = () =>
      t.database.admin("SELECT status, attempt, stripe_refund_id FROM refunds WHERE id = $1", [refundId]);
    // The late events of attempt 1 arrive after the retry: stale, attempt 2 stays pending for its effect.
    for (const d of await stripe.release()) expect(d.status).toBe(200);
    expect(await state()).toEqual([{ status: "pending", attempt: 2, stripe_refund_id: null }]);

    // Attempt 2's effect dies after Stripe answered, and is retried after Stripe forgot its key.
    stripe.hold((h) => h.account === p.account && isRefundEvent(h.type));
    await runEffect(refundHandler, a.id, "payments.refund", true);
    await stripe.waitHeld(4);
    t.clock.now = new Date(t.clock.now.getTime() + 25 * 3600_000);
    await runEffect(refundHandler, a.id, "payments.refund");
    const made = (await client().refunds.list({ payment_intent: a.pi }, opts)).data;
    expect(made.map((r) => [r.status, r.metadata?.bookra_refund_attempt ?? "1"])).toEqual([
      ["succeeded", "2"],
      ["failed", "1"],
    ]);
    expect(await state()).toEqual([{ status: "succeeded", attempt: 2, stripe_refund_id: made[0]!.id }]);
    for (const d of await stripe.release()) expect(d.status).toBe(200);
    expect(await state()).toEqual([{ status: "succeeded", attempt: 2, stripe_refund_id: made[0]!.id }]);
    expect((await balances(t, p.tenantId, a.id)).refunds_payable ?? 0).toBe(0);
    await expectIdentity(p);
  });
});

describe("cancelling a held booking expires its Checkout Session", () => {
  const expiry = () => createCheckoutExpiryHandler(paymentsProviderFor(stripe.config));

  it("session open → cancelled → the effect expires it; its checkout.session.expired is ignored; no payment", async () => {
    const p = await shop();
    const b = await held(p);
    const cancelled = await t.request("POST", `/v1/public/${p.slug}/bookings/${b.id}/cancel`, {
      headers: { authorization: `Bearer ${b.manageToken}` },
    });
    expect(cancelled.body.status).toBe("cancelled");
    const opts = { stripeAccount: p.account };
    expect((await client().checkout.sessions.retrieve(b.session, {}, opts)).status).toBe("open");

    await runEffect(expiry(), b.id, "booking.cancelled");
    expect((await client().checkout.sessions.retrieve(b.session, {}, opts)).status).toBe("expired");
    const [event] = await stripe.waitFor(firstOf(p.account, "checkout.session.expired"));
    expect([event!.status, event!.result]).toEqual([200, "ignored"]);
    expect((await press(b.page, "pay")).status).toBe(410);
    expect(await t.database.admin("SELECT 1 FROM payments WHERE booking_id = $1", [b.id])).toEqual([]);
    expect(await balances(t, p.tenantId, b.id)).toEqual({});

    // Redelivered, or run after Stripe expired it some other way: done, not an error.
    await runEffect(expiry(), b.id, "booking.cancelled");
    const other = await held(p, "2027-03-02T11:00:00Z");
    await t.request("POST", `/v1/admin/bookings/${other.id}/cancel`, { key: p.apiKey });
    await client().checkout.sessions.expire(other.session, {}, opts);
    await runEffect(expiry(), other.id, "booking.cancelled");
    expect((await client().checkout.sessions.retrieve(other.session, {}, opts)).status).toBe("expired");
  });

  it("a session paid before the effect runs is left to the refund path: the payment is refunded in full", async () => {
    const p = await shop();
    const b = await held(p);
    stripe.hold((h) => h.account === p.account && h.type === "checkout.session.completed");
    expect((await press(b.page, "pay")).status).toBe(303);
    await stripe.waitHeld();
    await t.request("POST", `/v1/admin/bookings/${b.id}/cancel`, { key: p.apiKey });
    await runEffect(expiry(), b.id, "booking.cancelled"); // Stripe: complete, cannot expire → done
    const opts = { stripeAccount: p.account };
    expect((await client().checkout.sessions.retrieve(b.session, {}, opts)).status).toBe("complete");
    const released = await stripe.release();
    expect(released.map((d) => [d.type, d.result])).toEqual([["checkout.session.completed", "applied"]]);
    expect(await t.database.admin("SELECT amount, origin FROM refunds WHERE booking_id = $1", [b.id])).toEqual([
      { amount: "1000", origin: "booking_cancelled" },
    ]);
  });

  it("only a cancelled held booking: a lapsed hold (booking.expired) and a paid booking's cancellation keep theirs", async () => {
    const handlers = paymentEffectHandlers(paymentsProviderFor(stripe.config));
    expect(handlers.map((h) => [h.name, h.events])).toEqual([
      ["refund", ["payments.refund"]],
      ["checkout-expiry", ["booking.cancelled"]],
    ]);
    const handler = expiry();
    const event = (previousStatus: string) =>
      ({ id: "o", tenantId: "t", type: "booking.cancelled", aggregateId: "b", payload: { previousStatus } }) as never;
    expect(handler.idle!(event("pending_payment"), {} as never)).toBe(false);
    expect(handler.idle!(event("confirmed"), {} as never)).toBe(true);
    expect(createCheckoutExpiryHandler(undefined).idle!(event("pending_payment"), {} as never)).toBe(true);

    const p = await shop();
    const a = await paid(p);
    await t.request("POST", `/v1/admin/bookings/${a.id}/cancel`, { key: p.apiKey });
    await runEffect(handler, a.id, "booking.cancelled");
    expect((await client().checkout.sessions.retrieve(a.session, {}, { stripeAccount: p.account })).status).toBe(
      "complete",
    );
  });
});
