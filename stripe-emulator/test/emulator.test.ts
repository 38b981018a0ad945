// The emulator driven the way the worker will drive it: the real `stripe` package as the client, webhooks checked
// with constructEventAsync, the hosted pages through their form POSTs, state in a real Postgres database.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISPUTE_FEE, processingFee } from "../src/index.ts";
import {
  depositSession,
  type Harness,
  newDatabaseUrl,
  onboardedAccount,
  pressButton,
  startHarness,
  verify,
} from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

/** A paid deposit: the session, its PaymentIntent with the charge and balance transaction expanded. */
async function paidDeposit(account: string, amount: number, fee: number) {
  const session = await depositSession(h, account, amount, fee);
  const res = await pressButton(session.url!, "pay");
  expect(res.status).toBe(303);
  const pi = await h.stripe.paymentIntents.retrieve(
    (await h.stripe.checkout.sessions.retrieve(session.id, {}, { stripeAccount: account })).payment_intent as string,
    { expand: ["latest_charge.balance_transaction"] },
    { stripeAccount: account },
  );
  const charge = pi.latest_charge as Stripe.Charge;
  return { session, pi, charge, txn: charge.balance_transaction as Stripe.BalanceTransaction };
}

describe("connected accounts", () => {
  it("onboards through the account link's page and sends account.updated for that account", async () => {
    const account = await h.stripe.accounts.create({ type: "express", country: "DE", email: "a@example.com" });
    expect(account).toMatchObject({ charges_enabled: false, payouts_enabled: false, details_submitted: false });
    const link = await h.stripe.accountLinks.create({
      account: account.id,
      type: "account_onboarding",
      refresh_url: "http://app.test/refresh",
      return_url: "http://app.test/return",
    });
    const page = await fetch(link.url);
    expect(await page.text()).toContain("Leave incomplete");
    const done = await fetch(link.url, {
      method: "POST",
      body: new URLSearchParams({ action: "complete" }),
      redirect: "manual",
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("http://app.test/return");
    const after = await h.stripe.accounts.retrieve(account.id);
    expect(after).toMatchObject({ charges_enabled: true, payouts_enabled: true, details_submitted: true });
    expect(after.requirements?.currently_due).toEqual([]);
    const [updated] = await h.receiver.waitFor((e) => e.type === "account.updated" && e.account === account.id);
    expect((updated!.data.object as Stripe.Account).charges_enabled).toBe(true);
    expect(updated!.data.previous_attributes).toMatchObject({ charges_enabled: false });
    // A used link sends the user to refresh_url, as Stripe's single-use links do.
    const again = await fetch(link.url, { redirect: "manual" });
    expect(again.headers.get("location")).toBe("http://app.test/refresh");
  });

  it("leaves the account disabled on 'Leave incomplete', and refuses a checkout on it", async () => {
    const account = await h.stripe.accounts.create({ type: "express", country: "DE" });
    const link = await h.stripe.accountLinks.create({
      account: account.id,
      type: "account_onboarding",
      refresh_url: "http://app.test/refresh",
      return_url: "http://app.test/return",
    });
    await fetch(link.url, { method: "POST", body: new URLSearchParams({ action: "incomplete" }), redirect: "manual" });
    expect((await h.stripe.accounts.retrieve(account.id)).charges_enabled).toBe(false);
    const refused = await depositSession(h, account.id, 5000, 100).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((refused as Stripe.errors.StripeError).code).toBe("account_invalid");
  });
});

describe("checkout", () => {
  it("pays a session on the connected account through the hosted page, with fees per the fee model", async () => {
    const account = await onboardedAccount(h);
    const session = await depositSession(h, account.id, 5000, 250);
    expect(session).toMatchObject({ status: "open", payment_status: "unpaid", amount_total: 5000, currency: "eur" });
    expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/c\/pay\/cs_test_/);
    expect(await (await fetch(session.url!)).text()).toContain("Decline card");
    const res = await pressButton(session.url!, "pay");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`http://app.test/paid?session=${session.id}`);

    const [completed] = await h.receiver.waitFor(
      (e) => e.type === "checkout.session.completed" && e.data.object.id === session.id,
    );
    expect(completed!.account).toBe(account.id);
    const paid = completed!.data.object as Stripe.Checkout.Session;
    expect(paid).toMatchObject({ status: "complete", payment_status: "paid", metadata: { bookingId: "bkg_1" } });

    const pi = await h.stripe.paymentIntents.retrieve(
      paid.payment_intent as string,
      { expand: ["latest_charge.balance_transaction"] },
      { stripeAccount: account.id },
    );
    expect(pi).toMatchObject({ status: "succeeded", amount_received: 5000, application_fee_amount: 250 });
    const txn = (pi.latest_charge as Stripe.Charge).balance_transaction as Stripe.BalanceTransaction;
    const stripeFee = Math.round(5000 * 0.015) + 20; // 95
    expect(processingFee(5000)).toBe(stripeFee);
    expect(txn).toMatchObject({ type: "charge", amount: 5000, fee: stripeFee + 250, net: 5000 - stripeFee - 250 });
    expect(txn.fee_details.map((f) => [f.type, f.amount])).toEqual([
      ["stripe_fee", stripeFee],
      ["application_fee", 250],
    ]);
    // The platform cannot see the connected account's objects without Stripe-Account.
    await expect(h.stripe.paymentIntents.retrieve(pi.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it("signs webhooks so that constructEventAsync accepts them and refuses them when one byte changes", async () => {
    const [any] = await h.receiver.waitFor(() => true);
    const { raw, header } = h.receiver.received.find((r) => r.event.id === any!.id)!;
    await expect(verify(raw, header, h.receiver.secret)).resolves.toMatchObject({ id: any!.id });
    const i = raw.indexOf('"livemode": false');
    const tampered = `${raw.slice(0, i)}"livemode": falsE${raw.slice(i + '"livemode": false'.length)}`;
    expect(tampered.length).toBe(raw.length);
    await expect(verify(tampered, header, h.receiver.secret)).rejects.toBeInstanceOf(
      Stripe.errors.StripeSignatureVerificationError,
    );
    await expect(verify(raw, header, `${h.receiver.secret}x`)).rejects.toBeInstanceOf(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it("declines without paying: payment_intent.payment_failed, the session stays open and can still be paid", async () => {
    const account = await onboardedAccount(h);
    const session = await depositSession(h, account.id, 3000, 0);
    const declined = await pressButton(session.url!, "decline");
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("Your card was declined.");
    const [failed] = await h.receiver.waitFor(
      (e) => e.type === "payment_intent.payment_failed" && e.account === account.id,
    );
    expect((failed!.data.object as Stripe.PaymentIntent).last_payment_error?.code).toBe("card_declined");
    const open = await h.stripe.checkout.sessions.retrieve(session.id, {}, { stripeAccount: account.id });
    expect(open).toMatchObject({ status: "open", payment_status: "unpaid" });
    expect(
      h.receiver.events((e) => e.type === "checkout.session.completed" && e.data.object.id === session.id),
    ).toEqual([]);
    const close = await pressButton(session.url!, "close");
    expect(close.headers.get("location")).toBe("http://app.test/cancelled");
    expect((await pressButton(session.url!, "pay")).status).toBe(303);
    expect((await h.stripe.checkout.sessions.retrieve(session.id, {}, { stripeAccount: account.id })).status).toBe(
      "complete",
    );
  });

  it("expires an open session (checkout.session.expired) and its page no longer takes a payment", async () => {
    const account = await onboardedAccount(h);
    const session = await depositSession(h, account.id, 2000, 0);
    const expired = await h.stripe.checkout.sessions.expire(session.id, {}, { stripeAccount: account.id });
    expect(expired.status).toBe("expired");
    await h.receiver.waitFor((e) => e.type === "checkout.session.expired" && e.data.object.id === session.id);
    expect((await pressButton(session.url!, "pay")).status).toBe(410);
    await expect(
      h.stripe.checkout.sessions.expire(session.id, {}, { stripeAccount: account.id }),
    ).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it("follows its clock: a session expires by itself once expires_at passes (checkout.session.expired)", async () => {
    let now = Date.UTC(2030, 0, 15, 9, 0);
    const timed = await startHarness({ clock: () => now });
    try {
      const account = await onboardedAccount(timed);
      const session = await depositSession(timed, account.id, 2000, 0);
      expect(session.created).toBe(now / 1000);
      expect(session.expires_at).toBe(now / 1000 + 24 * 3600);
      now += 24 * 3600 * 1000 + 1000;
      // Any request wakes the scheduler, which finds the expiry due by the moved clock.
      await timed.stripe.accounts.retrieve(account.id);
      const [expired] = await timed.receiver.waitFor(
        (e) => e.type === "checkout.session.expired" && e.data.object.id === session.id,
      );
      expect(expired!.data.object).toMatchObject({ status: "expired", url: null });
      expect((await pressButton(session.url!, "pay")).status).toBe(410);
    } finally {
      await timed.close();
    }
  });

  it("replays a request with the same Idempotency-Key and refuses the key with other parameters", async () => {
    const account = await onboardedAccount(h);
    const key = `checkout:bkg_${Math.random().toString(36).slice(2)}`;
    const first = await depositSession(h, account.id, 4000, 100, key);
    const replay = await depositSession(h, account.id, 4000, 100, key);
    expect(replay.id).toBe(first.id);
    const mismatch = await depositSession(h, account.id, 4500, 100, key).catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(mismatch).toMatchObject({ type: "StripeIdempotencyError", statusCode: 400 });
    // Nothing was created by the refused request.
    const events = await h.control<{ data: unknown[] }>(
      `/_emulator/events?account=${account.id}&type=checkout.session.completed`,
    );
    expect(events.data).toEqual([]);
  });

  it("forgets an Idempotency-Key once its time is up (Stripe keeps them 24 hours)", async () => {
    const forgetful = await startHarness({ idempotencyTtlMs: -1 });
    try {
      const account = await onboardedAccount(forgetful);
      const first = await depositSession(forgetful, account.id, 4000, 100, "checkout:bkg_same");
      const later = await depositSession(forgetful, account.id, 4500, 100, "checkout:bkg_same");
      expect(later.id).not.toBe(first.id);
      expect(later.amount_total).toBe(4500);
    } finally {
      await forgetful.close();
    }
  });

  it("answers bad input with Stripe's error shape and changes nothing", async () => {
    const account = await onboardedAccount(h);
    const base = {
      mode: "payment" as const,
      line_items: [{ quantity: 1, price_data: { currency: "eur", unit_amount: 1000, product_data: { name: "X" } } }],
      success_url: "http://app.test/ok",
    };
    const opts = { stripeAccount: account.id };
    await expect(
      h.stripe.checkout.sessions.create({ ...base, payment_intent_data: { application_fee_amount: 1001 } }, opts),
    ).rejects.toMatchObject({ statusCode: 400, param: "payment_intent_data[application_fee_amount]" });
    await expect(h.stripe.checkout.sessions.create({ ...base, bogus: "x" } as never, opts)).rejects.toMatchObject({
      statusCode: 400,
      code: "parameter_unknown",
    });
    await expect(h.stripe.checkout.sessions.create({ ...base, expires_at: 1 }, opts)).rejects.toMatchObject({
      statusCode: 400,
      param: "expires_at",
    });
    await expect(h.stripe.checkout.sessions.create(base, { stripeAccount: "acct_missing" })).rejects.toMatchObject({
      statusCode: 403,
      code: "account_invalid",
    });
    const wrongKey = new Stripe("sk_test_wrong", {
      host: "127.0.0.1",
      port: h.emulator.port,
      protocol: "http",
      httpClient: Stripe.createFetchHttpClient(),
      maxNetworkRetries: 0,
    });
    await expect(wrongKey.accounts.retrieve(account.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
    const balance = await h.stripe.balance.retrieve({}, opts);
    expect(balance.available.every((b) => b.amount === 0)).toBe(true);
  });
});

describe("refunds", () => {
  it("refunds part of a charge with refund_application_fee: charge.refunded, then refund.updated succeeded", async () => {
    const account = await onboardedAccount(h);
    const { pi, charge } = await paidDeposit(account.id, 10_000, 500);
    const refund = await h.stripe.refunds.create(
      { payment_intent: pi.id, amount: 4000, refund_application_fee: true },
      { stripeAccount: account.id, idempotencyKey: `refund:${pi.id}` },
    );
    expect(refund).toMatchObject({ status: "pending", amount: 4000, charge: charge.id });
    const [refunded] = await h.receiver.waitFor((e) => e.type === "charge.refunded" && e.data.object.id === charge.id);
    expect(refunded!.data.object).toMatchObject({ amount_refunded: 4000, refunded: false });
    const [updated] = await h.receiver.waitFor((e) => e.type === "refund.updated" && e.data.object.id === refund.id);
    expect(updated!.data.object).toMatchObject({ status: "succeeded" });
    const txn = await h.stripe.balanceTransactions.retrieve(
      refund.balance_transaction as string,
      {},
      { stripeAccount: account.id },
    );
    // 40 % of the 500 application fee comes back with the refund.
    expect(txn).toMatchObject({ type: "refund", amount: -4000, fee: -200, net: -3800 });
    expect(txn.fee_details).toMatchObject([{ type: "application_fee", amount: -200 }]);
    await expect(
      h.stripe.refunds.create({ charge: charge.id, amount: 6001 }, { stripeAccount: account.id }),
    ).rejects.toMatchObject({ statusCode: 400, code: "amount_too_large" });
    const rest = await h.stripe.refunds.create(
      { charge: charge.id, refund_application_fee: true },
      { stripeAccount: account.id },
    );
    const restTxn = await h.stripe.balanceTransactions.retrieve(
      rest.balance_transaction as string,
      {},
      { stripeAccount: account.id },
    );
    expect(restTxn).toMatchObject({ amount: -6000, fee: -300 }); // the fee returned in all is exactly 500
  });

  it("fails a refund when the switch says so: refund.failed, and a refund_failure gives the money back", async () => {
    const account = await onboardedAccount(h);
    const { pi } = await paidDeposit(account.id, 8000, 400);
    const before = await h.stripe.balance.retrieve({}, { stripeAccount: account.id });
    await h.control("/_emulator/settings", { refunds: "fail" });
    try {
      const refund = await h.stripe.refunds.create(
        { payment_intent: pi.id, amount: 2000 },
        { stripeAccount: account.id },
      );
      const [failed] = await h.receiver.waitFor((e) => e.type === "refund.failed" && e.data.object.id === refund.id);
      const obj = failed!.data.object as Stripe.Refund;
      expect(obj).toMatchObject({ status: "failed", failure_reason: "expired_or_canceled_card" });
      const back = await h.stripe.balanceTransactions.retrieve(
        obj.failure_balance_transaction as string,
        {},
        { stripeAccount: account.id },
      );
      expect(back).toMatchObject({ type: "refund_failure", amount: 2000, net: 2000 });
    } finally {
      await h.control("/_emulator/settings", { refunds: "succeed" });
    }
    const after = await h.stripe.balance.retrieve({}, { stripeAccount: account.id });
    expect(after.available).toEqual(before.available);
  });

  it("lists refunds by payment_intent or charge, newest first, paged, the acting account's own only", async () => {
    const account = await onboardedAccount(h);
    const other = await onboardedAccount(h);
    const opts = { stripeAccount: account.id };
    const { pi, charge } = await paidDeposit(account.id, 9000, 300);
    const elsewhere = await paidDeposit(account.id, 5000, 0);
    const made: Stripe.Refund[] = [];
    for (const [i, amount] of [1000, 2000, 3000].entries())
      made.push(
        await h.stripe.refunds.create(
          { payment_intent: pi.id, amount, refund_application_fee: true, metadata: { n: String(i) } },
          opts,
        ),
      );
    await h.stripe.refunds.create({ payment_intent: elsewhere.pi.id, amount: 500 }, opts);
    const newestFirst = made.map((r) => r.id).reverse();

    const byIntent = await h.stripe.refunds.list({ payment_intent: pi.id, expand: ["data.balance_transaction"] }, opts);
    expect(byIntent).toMatchObject({ object: "list", url: "/v1/refunds", has_more: false });
    expect(byIntent.data.map((r) => r.id)).toEqual(newestFirst);
    expect(byIntent.data.map((r) => r.metadata?.n)).toEqual(["2", "1", "0"]);
    expect(byIntent.data[0]!.balance_transaction).toMatchObject({ object: "balance_transaction", amount: -3000 });
    const byCharge = await h.stripe.refunds.list({ charge: charge.id }, opts);
    expect(byCharge.data.map((r) => r.id)).toEqual(newestFirst);
    expect((await h.stripe.refunds.list({}, opts)).data).toHaveLength(4);

    const first = await h.stripe.refunds.list({ payment_intent: pi.id, limit: 2 }, opts);
    expect([first.data.map((r) => r.id), first.has_more]).toEqual([newestFirst.slice(0, 2), true]);
    const next = await h.stripe.refunds.list(
      { payment_intent: pi.id, limit: 2, starting_after: first.data[1]!.id },
      opts,
    );
    expect([next.data.map((r) => r.id), next.has_more]).toEqual([newestFirst.slice(2), false]);
    const back = await h.stripe.refunds.list({ payment_intent: pi.id, limit: 1, ending_before: newestFirst[2]! }, opts);
    expect([back.data.map((r) => r.id), back.has_more]).toEqual([[newestFirst[1]], true]);
    const paged: string[] = [];
    for await (const r of h.stripe.refunds.list({ payment_intent: pi.id, limit: 1 }, opts)) paged.push(r.id);
    expect(paged).toEqual(newestFirst);

    // Another account sees none of them, even asked by this PaymentIntent.
    expect((await h.stripe.refunds.list({ payment_intent: pi.id }, { stripeAccount: other.id })).data).toEqual([]);
    await expect(
      h.stripe.refunds.list({ payment_intent: pi.id, starting_after: "re_unknown" }, opts),
    ).rejects.toMatchObject({ statusCode: 404, code: "resource_missing", param: "starting_after" });
    await expect(h.stripe.refunds.list({ payment_intent: pi.id, limit: 101 }, opts)).rejects.toMatchObject({
      statusCode: 400,
      param: "limit",
    });
    await expect(h.stripe.refunds.list({ bogus: "x" } as never, opts)).rejects.toMatchObject({
      statusCode: 400,
      code: "parameter_unknown",
    });
  });
});

describe("disputes and payouts", () => {
  it("opens and loses a dispute: charge.dispute.created, then closed lost; the amount and fee leave the balance", async () => {
    const account = await onboardedAccount(h);
    const { charge, txn } = await paidDeposit(account.id, 6000, 300);
    const dispute = await h.control<Stripe.Dispute>("/_emulator/disputes", { charge: charge.id });
    expect(dispute).toMatchObject({ status: "needs_response", amount: 6000, charge: charge.id });
    const [created] = await h.receiver.waitFor(
      (e) => e.type === "charge.dispute.created" && e.data.object.id === dispute.id,
    );
    expect(created!.account).toBe(account.id);
    const withdrawal = (created!.data.object as Stripe.Dispute).balance_transactions[0]!;
    expect(withdrawal).toMatchObject({ amount: -6000, fee: DISPUTE_FEE, net: -6000 - DISPUTE_FEE });
    await h.control(`/_emulator/disputes/${dispute.id}/close`, { outcome: "lost" });
    const [closed] = await h.receiver.waitFor(
      (e) => e.type === "charge.dispute.closed" && e.data.object.id === dispute.id,
    );
    expect(closed!.data.object).toMatchObject({ status: "lost" });
    const balance = await h.stripe.balance.retrieve({}, { stripeAccount: account.id });
    expect(balance.available).toEqual([
      { amount: txn.net - 6000 - DISPUTE_FEE, currency: "eur", source_types: { card: txn.net - 6000 - DISPUTE_FEE } },
    ]);
    await expect(h.stripe.refunds.create({ charge: charge.id }, { stripeAccount: account.id })).rejects.toMatchObject({
      code: "charge_disputed",
    });
  });

  it("runs a payout: payout.paid, and balanceTransactions.list({ payout }) holds what it paid out", async () => {
    const account = await onboardedAccount(h);
    const one = await paidDeposit(account.id, 5000, 200);
    const two = await paidDeposit(account.id, 7000, 300);
    const run = await h.control<{ data: Stripe.Payout[] }>("/_emulator/payouts/run", { account: account.id });
    const [payout] = run.data;
    expect(payout).toMatchObject({ status: "paid", amount: one.txn.net + two.txn.net, currency: "eur" });
    const [paid] = await h.receiver.waitFor((e) => e.type === "payout.paid" && e.account === account.id);
    expect((paid!.data.object as Stripe.Payout).id).toBe(payout!.id);
    const listed = await h.stripe.balanceTransactions.list(
      { payout: payout!.id, limit: 100 },
      { stripeAccount: account.id },
    );
    expect(listed.data.map((t) => t.id).sort()).toEqual([one.txn.id, two.txn.id, payout!.balance_transaction].sort());
    expect(listed.data.reduce((sum, t) => sum + t.net, 0)).toBe(0);
    const balance = await h.stripe.balance.retrieve({}, { stripeAccount: account.id });
    expect(balance.available[0]!.amount).toBe(0);
    // A failed payout is paid, then fails, and the money returns to the balance.
    await paidDeposit(account.id, 1000, 0);
    const failedRun = await h.control<{ data: Stripe.Payout[] }>("/_emulator/payouts/run", {
      account: account.id,
      outcome: "failed",
    });
    expect(failedRun.data[0]).toMatchObject({ status: "failed", failure_code: "account_closed" });
    await h.receiver.waitFor((e) => e.type === "payout.failed" && e.data.object.id === failedRun.data[0]!.id);
    expect((await h.stripe.balance.retrieve({}, { stripeAccount: account.id })).available[0]!.amount).toBe(
      1000 - processingFee(1000),
    );
  });
});

describe("delivery", () => {
  it("retries a delivery answered with a non-2xx until it is accepted", async () => {
    const account = await onboardedAccount(h);
    const session = await depositSession(h, account.id, 1500, 0);
    h.receiver.failing = { text: session.id, times: 2 };
    await h.stripe.checkout.sessions.expire(session.id, {}, { stripeAccount: account.id });
    const [event] = await h.receiver.waitFor(
      (e) => e.type === "checkout.session.expired" && e.data.object.id === session.id,
    );
    const log = await h.control<{
      data: { event: Stripe.Event; deliveries: { attempt: number; outcome: string }[] }[];
    }>(`/_emulator/events?account=${account.id}&type=checkout.session.expired`);
    const mine = log.data.find((d) => d.event.id === event!.id)!;
    expect(mine.deliveries).toEqual([
      { attempt: 1, outcome: "500" },
      { attempt: 2, outcome: "500" },
      { attempt: 3, outcome: "200" },
    ]);
  });

  it("with STRIPE_EMULATOR_CHAOS=duplicate,reorder delivers every event twice and out of order", async () => {
    const chaotic = await startHarness({ chaos: "duplicate,reorder", reorderWindowMs: 50 });
    try {
      const account = await onboardedAccount(chaotic);
      const session = await depositSession(chaotic, account.id, 2500, 100);
      await pressButton(session.url!, "pay");
      const forPayment = (e: Stripe.Event) =>
        ["charge.succeeded", "payment_intent.succeeded", "checkout.session.completed"].includes(e.type);
      const got = await chaotic.receiver.waitFor(forPayment, 6);
      expect(got.map((e) => e.type)).toEqual([
        "checkout.session.completed",
        "payment_intent.succeeded",
        "charge.succeeded",
        "checkout.session.completed",
        "payment_intent.succeeded",
        "charge.succeeded",
      ]);
      expect(got[0]!.id).toBe(got[3]!.id);
    } finally {
      await chaotic.close();
    }
  });
});

describe("persistence", () => {
  it("keeps accounts, sessions and balances across a restart on the same database", async () => {
    const databaseUrl = newDatabaseUrl();
    const first = await startHarness({ databaseUrl });
    const account = await onboardedAccount(first);
    const session = await depositSession(first, account.id, 9000, 450);
    const platform = first.emulator.platformAccount;
    await first.close({ keepDatabase: true });

    const second = await startHarness({ databaseUrl });
    try {
      expect(second.emulator.platformAccount).toBe(platform);
      expect((await second.stripe.accounts.retrieve(account.id)).charges_enabled).toBe(true);
      const reopened = await second.stripe.checkout.sessions.retrieve(session.id, {}, { stripeAccount: account.id });
      expect(reopened.status).toBe("open");
      const pay = await pressButton(reopened.url!.replace(new URL(reopened.url!).origin, second.emulator.url), "pay");
      expect(pay.status).toBe(303);
      await second.receiver.waitFor((e) => e.type === "checkout.session.completed" && e.data.object.id === session.id);
      const balance = await second.stripe.balance.retrieve({}, { stripeAccount: account.id });
      expect(balance.available[0]!.amount).toBe(9000 - processingFee(9000) - 450);
    } finally {
      await second.close();
    }
  });
});

describe("drift, for reconciliation (control API)", () => {
  it("makes charges Bookra never hears of: balance transactions and balance, no event", async () => {
    const account = await onboardedAccount(h);
    const made = await h.control<{ data: Stripe.BalanceTransaction[] }>("/_emulator/charges", {
      account: account.id,
      amount: 2000,
      applicationFee: 100,
      count: 3,
    });
    expect(made.data).toHaveLength(3);
    expect(made.data[0]).toMatchObject({ amount: 2000, fee: processingFee(2000) + 100, type: "charge" });
    const events = await h.control<{ data: unknown[] }>(
      `/_emulator/events?account=${account.id}&type=charge.succeeded`,
    );
    expect(events.data).toEqual([]);
    const created = made.data[0]!.created;
    const inRange = await h.stripe.balanceTransactions.list(
      { created: { gte: created, lt: created + 1 }, limit: 2 },
      { stripeAccount: account.id },
    );
    expect(inRange).toMatchObject({ has_more: true });
    const before = await h.stripe.balanceTransactions.list(
      { created: { lt: created }, limit: 100 },
      { stripeAccount: account.id },
    );
    expect(before.data).toEqual([]);
    const balance = await h.stripe.balance.retrieve({}, { stripeAccount: account.id });
    expect(balance.available[0]!.amount).toBe(3 * (2000 - processingFee(2000) - 100));
    const tooMany = await fetch(`${h.emulator.url}/_emulator/charges`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ account: account.id, amount: 100, count: 5001 }),
    });
    expect(tooMany.status).toBe(400);
  });

  it("changes a balance transaction's fee after the fact: fee, net and the balance follow", async () => {
    const account = await onboardedAccount(h);
    const { txn } = await paidDeposit(account.id, 5000, 200);
    const changed = await h.control<Stripe.BalanceTransaction>(`/_emulator/balance_transactions/${txn.id}/fee`, {
      stripeFee: 300,
    });
    expect(changed).toMatchObject({ id: txn.id, fee: 500, net: 4500 });
    expect(await h.stripe.balanceTransactions.retrieve(txn.id, {}, { stripeAccount: account.id })).toMatchObject({
      fee: 500,
      net: 4500,
    });
    expect((await h.stripe.balance.retrieve({}, { stripeAccount: account.id })).available[0]!.amount).toBe(4500);
  });

  it("drops events of chosen types (recorded, never delivered) and reports a payout of a different amount", async () => {
    const account = await onboardedAccount(h);
    const { charge, txn } = await paidDeposit(account.id, 5000, 0);
    const drop = ["refund.created", "refund.updated", "charge.refunded", "charge.refund.updated"];
    expect(await h.control("/_emulator/settings", { dropEvents: drop })).toMatchObject({ dropEvents: drop });
    try {
      await h.stripe.refunds.create({ charge: charge.id, amount: 1000 }, { stripeAccount: account.id });
      const log = await h.control<{ data: { deliveries: unknown[] }[] }>(
        `/_emulator/events?account=${account.id}&type=refund.created`,
      );
      expect(log.data).toHaveLength(1);
      expect(log.data[0]!.deliveries).toEqual([]);
    } finally {
      await h.control("/_emulator/settings", { dropEvents: [] });
    }
    const run = await h.control<{ data: Stripe.Payout[] }>("/_emulator/payouts/run", {
      account: account.id,
      misreport: 100,
    });
    const swept = txn.net - 1000;
    expect(run.data[0]).toMatchObject({ amount: swept + 100 });
    const own = await h.stripe.balanceTransactions.retrieve(
      run.data[0]!.balance_transaction as string,
      {},
      {
        stripeAccount: account.id,
      },
    );
    expect(own.net).toBe(-swept);
  });
});
