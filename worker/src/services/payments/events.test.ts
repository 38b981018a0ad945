// Stripe events that move money, through the real emulator (issue 13 items 7 and 8): disputes, payouts, refunds made
// in Stripe's dashboard (parked while their charge is unknown), Bookra's own refunds with the application fee Stripe
// returned, a mismatched payment (recorded, refundable in its own currency by the owner and from Stripe's dashboard),
// a late payment for a time someone else took, and a payment for a booking already cancelled (refunded in full). After each flow the ledger's
// stripe_balance equals the emulator's balance for the account; replays and a second event for the same money post
// nothing twice.
import { beforeEach, describe, expect, it } from "vitest";
import { useTestApp } from "../../../../test/helpers/app.ts";
import { stripeBalanceIdentity } from "../../../../test/helpers/ledger-identity.ts";
import { balances, unbalancedEntries } from "../../../../test/helpers/paid-booking.ts";
import { createSalon, customer, type Salon } from "../../../../test/helpers/salon.ts";
import { type Delivered, EMULATOR_API_KEY, useStripeEmulator } from "../../../../test/helpers/stripe-emulator.ts";
import { signStripePayload } from "../../../../test/helpers/stripe-sign.ts";
import { customerEmailHandler } from "../../effects/handlers/customer-email.ts";
import { createRefundHandler } from "../../effects/handlers/refund.ts";
import { stripeRefundProvider } from "../../effects/stripe-refunds.ts";
import type { OutboxEvent } from "../../outbox/types.ts";
import { createProviders } from "../../providers/index.ts";
import { paymentsProviderFor } from "../../providers/stripe.ts";

const t = useTestApp();
const stripe = useStripeEmulator(t);
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
});

// A deposit of 1000 (20 % of 5000): Stripe's fee 1.5 % + 20 = 35, the platform's 5 % = 50, net 915.
const NET = 915;
const CONFIG = { manageTokenSecret: "test-manage-token-secret-0123456789abcdef", publicBaseUrl: "http://bookra.test" };

/** Stripe signs by the real clock (the SDK measures a signature's age by it), whatever the test's clock says. */
const sign = (raw: string) => signStripePayload(stripe.config.webhookSecret, raw, Math.floor(Date.now() / 1000));

interface Shop {
  s: Salon;
  account: string;
}

async function shop(): Promise<Shop> {
  const s = await createSalon(t, { service: { deposit: { percent: 20 } } });
  const link = await t.request("POST", "/v1/admin/payments/connect", { key: s.tenant.apiKey });
  expect(link.status).toBe(200);
  const account = link.body.state.accountId as string;
  await fetch(link.body.url, { method: "POST", body: new URLSearchParams({ action: "complete" }), redirect: "manual" });
  await stripe.waitFor((d) => d.account === account && d.type === "account.updated" && d.result === "applied");
  return { s, account };
}

/** A held booking and its Checkout Session's URL (the checkout link followed once). */
async function held(p: Shop, start: string) {
  const res = await t.request("POST", `/v1/public/${p.s.tenant.slug}/bookings`, {
    body: { serviceId: p.s.serviceId, start, customer: customer("pay") },
  });
  expect(res.status).toBe(201);
  const url = new URL(res.body.checkout.url as string);
  const to = await t.app.request(url.pathname + url.search, { redirect: "manual" });
  expect(to.status).toBe(303);
  return {
    id: res.body.booking.id as string,
    session: to.headers.get("location")!,
    manageToken: res.body.manageToken as string,
  };
}

const count = (pred: (d: Delivered) => boolean) => stripe.delivered.filter(pred).length;
/** First deliveries from the emulator (not the test's own replays and copies) of `type` for `account`. */
const from = (account: string, type: string) => (d: Delivered) =>
  d.account === account && d.type === type && d.result !== "duplicate" && !d.id.startsWith("evt_copy");

/** Runs `action`, then waits for one more first delivery of `type` for `account`. */
async function after(account: string, type: string, action: () => Promise<unknown>) {
  const seen = count(from(account, type));
  await action();
  await stripe.waitFor(from(account, type), seen + 1);
}

/** Pays a held booking on the emulator's page and waits for its checkout to be applied. */
async function pay(p: Shop, b: { id: string; session: string }) {
  const seen = count(from(p.account, "checkout.session.completed"));
  const paid = await fetch(b.session, {
    method: "POST",
    body: new URLSearchParams({ action: "pay" }),
    redirect: "manual",
  });
  expect(paid.status).toBe(303);
  await stripe.waitFor(from(p.account, "checkout.session.completed"), seen + 1);
  return paymentIntentOf(b.id);
}

/**
 * A Checkout Session in dollars for a booking (a new held one by default) that is not the one Bookra creates (made on
 * the emulator directly): paying it charges 3000 USD against a 1000 EUR deposit.
 */
async function inDollars(p: Shop, bookingId?: string, price = { currency: "usd", amount: 3000 }) {
  let id = bookingId;
  if (!id) {
    const res = await t.request("POST", `/v1/public/${p.s.tenant.slug}/bookings`, {
      body: { serviceId: p.s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("usd") },
    });
    expect(res.status).toBe(201);
    id = res.body.booking.id as string;
  }
  const made = await fetch(`${stripe.emulator.url}/v1/checkout/sessions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${EMULATOR_API_KEY}`,
      "stripe-account": p.account,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      mode: "payment",
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][currency]": price.currency,
      "line_items[0][price_data][unit_amount]": String(price.amount),
      "line_items[0][price_data][product_data][name]": "Not the deposit",
      client_reference_id: id,
      success_url: "http://bookra.test/ok",
      cancel_url: "http://bookra.test/cancel",
    }),
  });
  expect(made.status).toBe(200);
  return { id, session: ((await made.json()) as { url: string }).url };
}

/** A refund made in Stripe's dashboard: no Bookra metadata, the application fee kept by the platform. */
const dashboardRefund = (p: Shop, paymentIntent: string, amount: number) =>
  fetch(`${stripe.emulator.url}/v1/refunds`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${EMULATOR_API_KEY}`,
      "stripe-account": p.account,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ payment_intent: paymentIntent, amount: String(amount) }),
  });

/** The PaymentIntent of the checkout.session.completed the relay holds (the emulator's record of the event). */
async function heldPaymentIntent(p: Shop): Promise<string> {
  const events = await stripe.control<{ data: { event: { data: { object: { payment_intent: string } } } }[] }>(
    `/_emulator/events?account=${p.account}&type=checkout.session.completed`,
  );
  return events.data[0]!.event.data.object.payment_intent;
}

async function paymentIntentOf(bookingId: string): Promise<string> {
  const [row] = await t.database.admin("SELECT provider_ref FROM payments WHERE booking_id = $1", [bookingId]);
  return row!.provider_ref as string;
}

async function paidBooking(p: Shop, start = "2027-03-02T09:00:00Z") {
  const b = await held(p, start);
  return { ...b, pi: await pay(p, b) };
}

async function expectIdentity(p: Shop) {
  const id = await stripeBalanceIdentity(t, stripe, p.s.tenant.id, p.account);
  expect(id.ledger).toEqual(id.stripe);
  expect(await unbalancedEntries(t, p.s.tenant.id)).toEqual([]);
  return id;
}

const flagOf = async (id: string) =>
  (await t.database.admin("SELECT payment_flag FROM bookings WHERE id = $1", [id]))[0]!.payment_flag;
const entries = async (tenantId: string) =>
  Number(
    (await t.database.admin("SELECT count(*)::int AS n FROM journal_entries WHERE tenant_id = $1", [tenantId]))[0]!.n,
  );

/** Each delivery of `account` whose type matches, posted again, last first: every one is a duplicate. */
async function replayReversed(account: string, match: RegExp) {
  const again = stripe.delivered.filter((d) => d.account === account && match.test(d.type)).reverse();
  expect(again.length).toBeGreaterThan(0);
  for (const d of again) expect((await stripe.post(d.raw, d.signature)).result).toBe("duplicate");
}

/** The same event under a new id (as Stripe sends another event about the same money), signed as Stripe signs. */
async function underNewId(d: Delivered) {
  const raw = d.raw.replace(d.id, `evt_copy${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`);
  return stripe.post(raw, await sign(raw));
}

const outbox = (bookingId: string) =>
  t.database.admin<{ id: string; tenant_id: string; event_type: string; aggregate_id: string; payload: any }>(
    `SELECT id, tenant_id, event_type, aggregate_id, payload FROM outbox
      WHERE aggregate_id = $1 OR payload->>'bookingId' = $1 ORDER BY created_at, id`,
    [bookingId],
  );
const asEvent = (r: Awaited<ReturnType<typeof outbox>>[number]): OutboxEvent => ({
  id: r.id,
  tenantId: r.tenant_id,
  type: r.event_type,
  aggregateId: r.aggregate_id,
  payload: r.payload,
  createdAt: t.clock.now,
});

/** Runs the refund effects of the booking's outbox rows with the real Stripe provider (the emulator). */
async function runRefundEffects(bookingId: string) {
  const handler = createRefundHandler(stripeRefundProvider(paymentsProviderFor(stripe.config)));
  for (const r of (await outbox(bookingId)).filter((r) => r.event_type === "payments.refund"))
    await t.database.db.withTenantTx(r.tenant_id, (tx) =>
      handler.run({ tx, event: asEvent(r), providers: {}, config: CONFIG, now: t.clock.now }),
    );
}

describe("disputes", () => {
  it("opened, then won: funds and fee withdrawn and returned; lost: the loss; each posted once in any order", async () => {
    const p = await shop();
    const a = await paidBooking(p);
    const opened = await stripe.control<{ id: string }>("/_emulator/disputes", { payment_intent: a.pi });
    await stripe.waitFor(from(p.account, "charge.dispute.funds_withdrawn"));
    expect(await balances(t, p.s.tenant.id, a.id)).toMatchObject({
      disputed_funds: 1000,
      dispute_fees: 1500,
      stripe_balance: NET - 2500,
    });
    expect(await flagOf(a.id)).toBe("disputed");
    await expectIdentity(p);

    await stripe.control(`/_emulator/disputes/${opened.id}/close`, { outcome: "won" });
    await stripe.waitFor(from(p.account, "charge.dispute.closed"));
    const won = await balances(t, p.s.tenant.id, a.id);
    expect([won.disputed_funds, won.dispute_fees, won.stripe_balance]).toEqual([0, 0, NET]);
    expect(await flagOf(a.id)).toBe("dispute_won");
    await expectIdentity(p);

    // Every dispute event again, last first: duplicates. The opening event under a new id (its dispute still open):
    // applied, but its balance transaction has posted, and a closed dispute is not reopened.
    const before = await entries(p.s.tenant.id);
    await replayReversed(p.account, /^charge\.dispute\./);
    const created = stripe.delivered.find(from(p.account, "charge.dispute.created"))!;
    expect((await underNewId(created)).result).toBe("applied");
    expect(await entries(p.s.tenant.id)).toBe(before);
    expect(await flagOf(a.id)).toBe("dispute_won");
    await expectIdentity(p);

    const b = await paidBooking(p, "2027-03-02T11:00:00Z");
    let second = { id: "" };
    await after(p.account, "charge.dispute.funds_withdrawn", async () => {
      second = await stripe.control<{ id: string }>("/_emulator/disputes", { payment_intent: b.pi });
    });
    await after(p.account, "charge.dispute.closed", () =>
      stripe.control(`/_emulator/disputes/${second.id}/close`, { outcome: "lost" }),
    );
    const lost = await balances(t, p.s.tenant.id, b.id);
    expect([lost.disputed_funds, lost.dispute_losses, lost.dispute_fees]).toEqual([0, 1000, 1500]);
    expect(await flagOf(b.id)).toBe("dispute_lost");
    const closed = stripe.delivered.filter(from(p.account, "charge.dispute.closed")).at(-1)!;
    expect((await underNewId(closed)).result).toBe("applied");
    expect((await balances(t, p.s.tenant.id, b.id)).dispute_losses).toBe(1000);
    await expectIdentity(p);
  });
});

describe("disputes before their checkout", () => {
  it("a dispute whose events come before its checkout is parked, then posted with it", async () => {
    const p = await shop();
    const a = await held(p, "2027-03-02T09:00:00Z");
    stripe.hold((h) => h.account === p.account && h.type === "checkout.session.completed");
    await fetch(a.session, { method: "POST", body: new URLSearchParams({ action: "pay" }), redirect: "manual" });
    await stripe.waitHeld();
    const pi = await heldPaymentIntent(p);
    await after(p.account, "charge.dispute.funds_withdrawn", () =>
      stripe.control("/_emulator/disputes", { payment_intent: pi }),
    );
    const disputeEvents = () =>
      stripe.delivered.filter((d) => d.account === p.account && d.type.startsWith("charge.dispute."));
    expect(disputeEvents().map((d) => d.result)).toEqual(["parked", "parked"]);
    expect(await balances(t, p.s.tenant.id, a.id)).toEqual({});
    expect(await flagOf(a.id)).toBeNull();

    const [checkout] = await stripe.release();
    expect(checkout!.result).toBe("applied");
    expect(await t.database.admin("SELECT 1 FROM payment_events_parked WHERE tenant_id = $1", [p.s.tenant.id])).toEqual(
      [],
    );
    expect(await balances(t, p.s.tenant.id, a.id)).toMatchObject({
      customer_deposits: -1000,
      disputed_funds: 1000,
      dispute_fees: 1500,
      stripe_balance: NET - 2500,
    });
    expect(await flagOf(a.id)).toBe("disputed");
    await expectIdentity(p);
    const before = await entries(p.s.tenant.id);
    await replayReversed(p.account, /^(charge\.dispute\.|checkout\.session\.completed)/);
    expect(await entries(p.s.tenant.id)).toBe(before);
  });
});

describe("payouts", () => {
  it("paid moves the balance to the bank; failed brings it back; replays and copies post nothing twice", async () => {
    const p = await shop();
    await paidBooking(p);
    await stripe.control("/_emulator/payouts/run", { account: p.account, outcome: "paid" });
    await stripe.waitFor(from(p.account, "payout.paid"));
    let all = await balances(t, p.s.tenant.id);
    expect([all.bank, all.stripe_balance]).toEqual([NET, 0]);
    await expectIdentity(p);

    await paidBooking(p, "2027-03-02T11:00:00Z");
    await stripe.control("/_emulator/payouts/run", { account: p.account, outcome: "failed" });
    await stripe.waitFor(from(p.account, "payout.failed"));
    all = await balances(t, p.s.tenant.id);
    expect([all.bank, all.stripe_balance]).toEqual([NET, NET]);
    await expectIdentity(p);

    const before = await entries(p.s.tenant.id);
    await replayReversed(p.account, /^payout\./);
    expect((await underNewId(stripe.delivered.find(from(p.account, "payout.failed"))!)).result).toBe("applied");
    expect(await entries(p.s.tenant.id)).toBe(before);
    await expectIdentity(p);
  });
});

describe("refunds", () => {
  it("Bookra's refund posts the application fee Stripe returned, so stripe_balance equals Stripe's", async () => {
    const p = await shop();
    const a = await paidBooking(p);
    const res = await t.request("POST", `/v1/admin/bookings/${a.id}/refunds`, {
      key: p.s.tenant.apiKey,
      body: { reason: "Goodwill" },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    expect(res.status).toBe(201);
    await runRefundEffects(a.id);
    await stripe.waitFor(from(p.account, "refund.updated"));
    const b = await balances(t, p.s.tenant.id, a.id);
    // All 1000 back to the customer, 50 of it the platform's fee returned: the business is out Stripe's 35 only.
    expect([b.customer_deposits, b.refunds_payable, b.platform_fees, b.stripe_balance]).toEqual([0, 0, 0, -35]);
    await expectIdentity(p);
  });

  it("Bookra's refund whose webhooks come before the effect's answer: the fee from the refund's balance transaction", async () => {
    const p = await shop();
    const a = await paidBooking(p);
    const res = await t.request("POST", `/v1/admin/bookings/${a.id}/refunds`, {
      key: p.s.tenant.apiKey,
      body: { amount: 600, reason: "Goodwill" },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    // What the effect asks of Stripe, its answer lost (the effect dies before applying it): the webhooks apply it.
    await after(p.account, "refund.updated", () =>
      paymentsProviderFor(stripe.config)!.createRefund({
        account: p.account,
        paymentIntent: a.pi,
        amount: 600,
        refundApplicationFee: true,
        idempotencyKey: `refund:${id}`,
        metadata: { bookra_refund_id: id, bookra_booking_id: a.id },
      }),
    );
    const b = await balances(t, p.s.tenant.id, a.id);
    // 30 of the platform's 50 came back with the 600 refunded.
    expect([b.refunds_payable, b.platform_fees, b.stripe_balance]).toEqual([0, 20, NET - 570]);
    await expectIdentity(p);
    await runRefundEffects(a.id); // the effect again: Stripe holds the attempt, nothing more is asked or posted
    expect(await balances(t, p.s.tenant.id, a.id)).toEqual(b);
  });

  it("a refund made in Stripe's dashboard before its checkout arrives is parked, then recorded with it", async () => {
    const p = await shop();
    const a = await held(p, "2027-03-02T09:00:00Z");
    stripe.hold((h) => h.account === p.account && h.type === "checkout.session.completed");
    await fetch(a.session, { method: "POST", body: new URLSearchParams({ action: "pay" }), redirect: "manual" });
    const events = await stripe.control<{ data: { event: { data: { object: { payment_intent: string } } } }[] }>(
      `/_emulator/events?account=${p.account}&type=checkout.session.completed`,
    );
    const pi = events.data[0]!.event.data.object.payment_intent;
    // The dashboard's refund: no Bookra metadata, the application fee kept by the platform.
    const made = await fetch(`${stripe.emulator.url}/v1/refunds`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${EMULATOR_API_KEY}`,
        "stripe-account": p.account,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ payment_intent: pi, amount: "400" }),
    });
    expect(made.status).toBe(200);
    await stripe.waitFor(from(p.account, "refund.updated"));
    expect(
      stripe.delivered.filter((d) => d.account === p.account && d.type.startsWith("refund.")).map((d) => d.result),
    ).toEqual(["parked", "parked"]);
    expect(await t.database.admin("SELECT 1 FROM refunds WHERE booking_id = $1", [a.id])).toEqual([]);

    const [checkout] = await stripe.release();
    expect(checkout!.result).toBe("applied");
    expect(await t.database.admin("SELECT amount, origin, status FROM refunds WHERE booking_id = $1", [a.id])).toEqual([
      { amount: "400", origin: "stripe", status: "succeeded" },
    ]);
    expect(await t.database.admin("SELECT 1 FROM payment_events_parked WHERE tenant_id = $1", [p.s.tenant.id])).toEqual(
      [],
    );
    const b = await balances(t, p.s.tenant.id, a.id);
    expect([b.customer_deposits, b.refunds_payable, b.stripe_balance]).toEqual([-600, 0, NET - 400]);
    await expectIdentity(p);
    const before = await entries(p.s.tenant.id);
    await replayReversed(p.account, /^(refund\.|charge\.refunded|checkout\.session\.completed)/);
    expect(await entries(p.s.tenant.id)).toBe(before);
  });
});

describe("payments that cannot confirm their booking", () => {
  it("a paid amount other than the deposit flags the booking and still posts the money Stripe holds", async () => {
    const p = await shop();
    const a = await held(p, "2027-03-02T09:00:00Z");
    stripe.hold((h) => h.account === p.account && h.type === "checkout.session.completed");
    await fetch(a.session, { method: "POST", body: new URLSearchParams({ action: "pay" }), redirect: "manual" });
    await stripe.waitHeld();
    // The real event, as if Stripe had reported another amount in another currency (same id, correctly signed).
    const [real] = await stripe
      .control<{ data: { event: Record<string, any> }[] }>(
        `/_emulator/events?account=${p.account}&type=checkout.session.completed`,
      )
      .then((r) => r.data);
    const event = real!.event;
    event.data.object.amount_total = 1;
    event.data.object.currency = "usd";
    const raw = JSON.stringify(event);
    expect((await stripe.post(raw, await sign(raw))).result).toBe("flagged");
    expect(await flagOf(a.id)).toBe("amount_mismatch");
    expect((await t.database.admin("SELECT status FROM bookings WHERE id = $1", [a.id]))[0]!.status).toBe(
      "pending_payment",
    );
    // What Stripe holds is in the ledger, against the booking, for the owner to refund, and recorded as a `mismatch`
    // payment of what the charge's balance transaction brought in (not what the event claims).
    expect(await balances(t, p.s.tenant.id, a.id)).toMatchObject({ customer_deposits: -1000, stripe_balance: NET });
    expect(
      await t.database.admin("SELECT amount, currency, status FROM payments WHERE booking_id = $1", [a.id]),
    ).toEqual([{ amount: "1000", currency: "EUR", status: "mismatch" }]);
    await expectIdentity(p);
    // The event Stripe really sent, late: the same event, already applied.
    expect((await stripe.release()).map((d) => d.result)).toEqual(["duplicate"]);
  });

  it("a mismatched payment in another currency: refunded by the owner and in Stripe's dashboard, in its currency", async () => {
    const p = await shop();
    const { id, session } = await inDollars(p);
    await pay(p, { id, session });
    expect(stripe.delivered.filter(from(p.account, "checkout.session.completed")).map((d) => d.result)).toEqual([
      "flagged",
    ]);
    const payment = await t.database.admin(
      "SELECT amount, currency, status, provider_ref FROM payments WHERE booking_id = $1",
      [id],
    );
    expect(payment).toEqual([
      { amount: "3000", currency: "USD", status: "mismatch", provider_ref: expect.any(String) },
    ]);
    const pi = payment[0]!.provider_ref as string;
    await expectIdentity(p);

    // The owner: refundable is what that payment brought in, in dollars; euros are refused, nothing written.
    const refund = (body: Record<string, unknown>) =>
      t.request("POST", `/v1/admin/bookings/${id}/refunds`, {
        key: p.s.tenant.apiKey,
        body,
        headers: { "idempotency-key": crypto.randomUUID() },
      });
    const eur = await refund({ amount: 1000, currency: "EUR", reason: "Wrong money" });
    expect([eur.status, eur.body.error?.code]).toEqual([400, "VALIDATION_FAILED"]);
    const tooMuch = await refund({ amount: 3001, reason: "Wrong money" });
    expect([tooMuch.status, tooMuch.body.error?.code]).toEqual([422, "REFUND_EXCEEDS_REFUNDABLE"]);
    const owner = await refund({ amount: 1000, currency: "USD", reason: "Wrong money" });
    expect(owner.status).toBe(201);
    expect(owner.body.amount).toEqual({ amount: 1000, currency: "USD" });
    await runRefundEffects(id);
    await stripe.waitFor(from(p.account, "refund.updated"));

    // Stripe's dashboard refunds another 500: recorded from its events, not parked.
    await after(p.account, "refund.updated", () => dashboardRefund(p, pi, 500));
    expect(
      stripe.delivered.filter((d) => d.account === p.account && d.type.startsWith("refund.")).map((d) => d.result),
    ).not.toContain("parked");
    expect(
      await t.database.admin(
        "SELECT amount, currency, origin, status FROM refunds WHERE booking_id = $1 ORDER BY origin",
        [id],
      ),
    ).toEqual([
      { amount: "1000", currency: "USD", origin: "manual", status: "succeeded" },
      { amount: "500", currency: "USD", origin: "stripe", status: "succeeded" },
    ]);
    const list = await t.request("GET", `/v1/admin/bookings/${id}/refunds`, { key: p.s.tenant.apiKey });
    expect(list.body.refundable).toEqual({ amount: 1500, currency: "USD" });
    const b = await balances(t, p.s.tenant.id, id);
    expect([b.customer_deposits, b.refunds_payable]).toEqual([-1500, 0]);
    await expectIdentity(p);
    // Never confirmed by wrong money, whatever was refunded.
    expect((await t.database.admin("SELECT status, payment_flag FROM bookings WHERE id = $1", [id]))[0]).toEqual({
      status: "pending_payment",
      payment_flag: "amount_mismatch",
    });
  });

  it("a deposit paid, then a second payment in dollars: each refundable by the owner, in its own currency", async () => {
    const p = await shop();
    const a = await paidBooking(p);
    const { session } = await inDollars(p, a.id);
    await pay(p, { id: a.id, session });
    expect(
      await t.database.admin("SELECT amount, currency, status FROM payments WHERE booking_id = $1 ORDER BY status", [
        a.id,
      ]),
    ).toEqual([
      { amount: "3000", currency: "USD", status: "mismatch" },
      { amount: "1000", currency: "EUR", status: "succeeded" },
    ]);
    const refund = (body: Record<string, unknown>) =>
      t.request("POST", `/v1/admin/bookings/${a.id}/refunds`, {
        key: p.s.tenant.apiKey,
        body,
        headers: { "idempotency-key": crypto.randomUUID() },
      });
    const refundable = async () =>
      (await t.request("GET", `/v1/admin/bookings/${a.id}/refunds`, { key: p.s.tenant.apiKey })).body.refundable;
    // The booking's own currency first; once it is all refunded, the dollars.
    expect(await refundable()).toEqual({ amount: 1000, currency: "EUR" });
    expect((await refund({ reason: "The deposit" })).body.amount).toEqual({ amount: 1000, currency: "EUR" });
    expect(await refundable()).toEqual({ amount: 3000, currency: "USD" });
    expect((await refund({ currency: "USD", reason: "The dollars" })).body.amount).toEqual({
      amount: 3000,
      currency: "USD",
    });
    expect(await refundable()).toEqual({ amount: 0, currency: "USD" });
    await runRefundEffects(a.id);
    await stripe.waitFor(from(p.account, "refund.updated"), 2);
    expect(
      await t.database.admin("SELECT amount, currency, status FROM refunds WHERE booking_id = $1 ORDER BY currency", [
        a.id,
      ]),
    ).toEqual([
      { amount: "1000", currency: "EUR", status: "succeeded" },
      { amount: "3000", currency: "USD", status: "succeeded" },
    ]);
    const b = await t.database.admin(
      `SELECT currency, sum(amount)::int AS sum FROM journal_lines WHERE tenant_id = $1 AND booking_id = $2
        AND account IN ('customer_deposits', 'refunds_payable') GROUP BY currency ORDER BY currency`,
      [p.s.tenant.id, a.id],
    );
    expect(b).toEqual([
      { currency: "EUR", sum: 0 },
      { currency: "USD", sum: 0 },
    ]);
    await expectIdentity(p);
  });

  it("a dashboard refund of a mismatched payment that comes before its checkout is parked, then recorded with it", async () => {
    const p = await shop();
    const { id, session } = await inDollars(p);
    stripe.hold((h) => h.account === p.account && h.type === "checkout.session.completed");
    await fetch(session, { method: "POST", body: new URLSearchParams({ action: "pay" }), redirect: "manual" });
    await stripe.waitHeld();
    await after(p.account, "refund.updated", async () => {
      expect((await dashboardRefund(p, await heldPaymentIntent(p), 700)).status).toBe(200);
    });
    expect(
      stripe.delivered.filter((d) => d.account === p.account && d.type.startsWith("refund.")).map((d) => d.result),
    ).toEqual(["parked", "parked"]);
    expect((await stripe.release()).map((d) => d.result)).toEqual(["flagged"]);
    expect(
      await t.database.admin("SELECT amount, currency, origin, status FROM refunds WHERE booking_id = $1", [id]),
    ).toEqual([{ amount: "700", currency: "USD", origin: "stripe", status: "succeeded" }]);
    expect(await t.database.admin("SELECT 1 FROM payment_events_parked WHERE tenant_id = $1", [p.s.tenant.id])).toEqual(
      [],
    );
    const b = await balances(t, p.s.tenant.id, id);
    expect([b.customer_deposits, b.refunds_payable]).toEqual([-2300, 0]);
    await expectIdentity(p);
  });

  it("a payment after the hold lapsed, for a time someone else took: refunded in full, the customer told", async () => {
    const p = await shop();
    const a = await held(p, "2027-03-02T09:00:00Z");
    t.clock.now = new Date("2027-03-01T08:20:00Z"); // the 15 min hold lapsed; the session (30 min) is still open
    const taker = await t.request("POST", `/v1/public/${p.s.tenant.slug}/bookings`, {
      body: { serviceId: p.s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("taker") },
    });
    expect(taker.status).toBe(201);
    await pay(p, a);
    expect((await t.database.admin("SELECT status FROM bookings WHERE id = $1", [a.id]))[0]!.status).toBe("expired");
    expect(await t.database.admin("SELECT amount, origin, status FROM refunds WHERE booking_id = $1", [a.id])).toEqual([
      { amount: "1000", origin: "slot_taken", status: "pending" },
    ]);
    const rows = await outbox(a.id);
    expect(rows.map((r) => r.event_type)).toEqual(
      expect.arrayContaining(["payments.refund", "booking.late_payment_refunded"]),
    );

    await runRefundEffects(a.id);
    await stripe.waitFor(from(p.account, "refund.updated"));
    expect(await t.database.admin("SELECT status FROM refunds WHERE booking_id = $1", [a.id])).toEqual([
      { status: "succeeded" },
    ]);
    const b = await balances(t, p.s.tenant.id, a.id);
    expect([b.customer_deposits, b.refunds_payable]).toEqual([0, 0]);
    await expectIdentity(p);

    const providers = createProviders({ BOOKRA_ENV: "local" }, t.database.db);
    const notice = rows.find((r) => r.event_type === "booking.late_payment_refunded")!;
    await t.database.db.withTenantTx(notice.tenant_id, (tx) =>
      customerEmailHandler.run({ tx, event: asEvent(notice), providers, config: CONFIG, now: t.clock.now }),
    );
    const [mail] = await t.database.admin(
      "SELECT subject, body FROM dev_outbox_messages WHERE tenant_id = $1 AND kind = 'email' AND subject LIKE 'Payment refunded%'",
      [p.s.tenant.id],
    );
    expect(mail!.body).toContain("refunded in full");
    // Redelivered: nothing refunded twice.
    await replayReversed(p.account, /^checkout\.session\.completed$/);
    expect(await t.database.admin("SELECT 1 FROM refunds WHERE booking_id = $1", [a.id])).toHaveLength(1);
  });
});

describe("a payment for a booking already cancelled", () => {
  it("is refunded in full at once (origin booking_cancelled), the booking stays cancelled, the customer told", async () => {
    const p = await shop();
    const a = await held(p, "2027-03-02T09:00:00Z");
    const cancelled = await t.request("POST", `/v1/public/${p.s.tenant.slug}/bookings/${a.id}/cancel`, {
      headers: { authorization: `Bearer ${a.manageToken}` },
    });
    expect(cancelled.status).toBe(200);
    // The Checkout Session is still open: the customer pays it anyway.
    await pay(p, a);
    expect((await t.database.admin("SELECT status FROM bookings WHERE id = $1", [a.id]))[0]!.status).toBe("cancelled");
    expect(await t.database.admin("SELECT amount, origin, status FROM refunds WHERE booking_id = $1", [a.id])).toEqual([
      { amount: "1000", origin: "booking_cancelled", status: "pending" },
    ]);
    const rows = await outbox(a.id);
    const notice = rows.find((r) => r.event_type === "booking.late_payment_refunded")!;
    expect(notice.payload).toMatchObject({ amount: 1000, currency: "EUR", origin: "booking_cancelled" });

    await runRefundEffects(a.id);
    await stripe.waitFor(from(p.account, "refund.updated"));
    expect(await t.database.admin("SELECT status FROM refunds WHERE booking_id = $1", [a.id])).toEqual([
      { status: "succeeded" },
    ]);
    const b = await balances(t, p.s.tenant.id, a.id);
    expect([b.customer_deposits, b.refunds_payable]).toEqual([0, 0]);
    await expectIdentity(p);

    const providers = createProviders({ BOOKRA_ENV: "local" }, t.database.db);
    await t.database.db.withTenantTx(notice.tenant_id, (tx) =>
      customerEmailHandler.run({ tx, event: asEvent(notice), providers, config: CONFIG, now: t.clock.now }),
    );
    const [mail] = await t.database.admin(
      "SELECT subject, body FROM dev_outbox_messages WHERE tenant_id = $1 AND kind = 'email' AND subject LIKE 'Payment refunded%'",
      [p.s.tenant.id],
    );
    expect(mail!.body).toContain("after the booking had been cancelled");
    expect(mail!.body).toContain("refunded in full");
    await replayReversed(p.account, /^checkout\.session\.completed$/);
    expect(await t.database.admin("SELECT 1 FROM refunds WHERE booking_id = $1", [a.id])).toHaveLength(1);
  });
});

describe("a second payment for a booking cancelled late", () => {
  it("refunds what that payment brought in, and the fee the first one left stays kept", async () => {
    const p = await shop();
    const policy = await t.request("PATCH", "/v1/admin/tenant", {
      key: p.s.tenant.apiKey,
      body: { policies: { cancellation: { freeUntilHours: 24, lateKeepPercent: 100 } } },
    });
    expect(policy.status).toBe(200);
    const a = await paidBooking(p, "2027-03-01T12:00:00Z");
    const { session } = await inDollars(p, a.id, { currency: "eur", amount: 1000 });
    const cancelled = await t.request("POST", `/v1/public/${p.s.tenant.slug}/bookings/${a.id}/cancel`, {
      headers: { authorization: `Bearer ${a.manageToken}` },
    });
    expect(cancelled.status).toBe(200);
    expect((await balances(t, p.s.tenant.id, a.id)).cancellation_fees).toBe(-1000);
    await pay(p, { id: a.id, session });
    expect(await t.database.admin("SELECT amount, origin FROM refunds WHERE booking_id = $1", [a.id])).toEqual([
      { amount: "1000", origin: "booking_cancelled" },
    ]);
    await runRefundEffects(a.id);
    await stripe.waitFor(from(p.account, "refund.updated"));
    const b = await balances(t, p.s.tenant.id, a.id);
    expect([b.customer_deposits, b.refunds_payable, b.cancellation_fees]).toEqual([0, 0, -1000]);
    await expectIdentity(p);
  });
});

describe("redeliveries", () => {
  it("a redelivered paid checkout is answered as a duplicate without asking Stripe (an outage cannot make it 409)", async () => {
    const p = await shop();
    const a = await paidBooking(p);
    const [first] = stripe.delivered.filter(from(p.account, "checkout.session.completed"));
    const app = t.app;
    // Stripe unreachable: a first delivery would need the charge's balance transaction and answer 409.
    t.app = t.withConfig({ stripe: { ...stripe.config, apiBase: "http://127.0.0.1:9" } });
    try {
      const again = await stripe.post(first!.raw, first!.signature);
      expect([again.status, again.result]).toEqual([200, "duplicate"]);
      const copy = await underNewId(first!);
      expect(copy.status).toBe(409);
    } finally {
      t.app = app;
    }
    expect(await entries(p.s.tenant.id)).toBeGreaterThan(0);
    expect(await flagOf(a.id)).toBeNull();
  });
});
