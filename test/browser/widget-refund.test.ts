// Issue 13's money acceptance in Chromium against the real stack (Postgres, the Stripe emulator, wrangler dev): a
// customer books the deposit service in the widget, pays on the emulator's hosted page, the booking is confirmed, the
// confirmation e-mail reaches the dev mailbox and the deposit's ledger entry is there; the manage link from that
// e-mail shows what cancelling would refund (inside the free window: everything), the customer cancels, the refund
// goes pending → succeeded by Stripe's webhook, and what remains of the booking in the ledger is Stripe's processing
// fee, which Stripe keeps (docs/ARCHITECTURE.md "The ledger"; the platform's application fee is refunded with it).
// Amounts come from the emulator's fee model and the business's platform fee, never from totals written here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_STRIPE_KEY } from "../../scripts/lib/stack.ts";
import { processingFee } from "../../stripe-emulator/src/fees.ts";
import { applicationFee } from "../../worker/src/domain/pricing.ts";
import { mailbox } from "./dashboard-world.ts";
import { hostPage, inW, startWidgetWorld, type WidgetWorld, watch } from "./harness.ts";
import { balances, moneyClient } from "./money-world.ts";

/** The platform's fee for the demo business, set as the operator sets it (`npm run platform-fee`). */
const PLATFORM_FEE_BPS = 500;
/** A refund stays `pending` on the emulator this long before it settles (wall clock): long enough to see it pending. */
const REFUND_SETTLE_MS = 4000;

let w: WidgetWorld;
const { sql, admin, ledgerOf } = moneyClient(() => w);
let colour: string;
const pages: Record<string, string> = {};

beforeAll(async () => {
  w = await startWidgetWorld(pages, {}, { retrySchedule: "fast", refundSettleMs: REFUND_SETTLE_MS });
  colour = w.catalog.services.find((s) => s.name === "Colour & cut")!.id;
  pages["/book"] = hostPage(`<h1>Host</h1><div id="c" data-bookra-inline data-service="${colour}"></div>`);
  await sql("UPDATE tenants SET platform_fee_bps = $1 WHERE slug = 'demo-salon'", [PLATFORM_FEE_BPS]);
  // "Colour & cut" needs a day's notice and the default free window is 24 h: with a 2-hour window every time the
  // widget offers (a day ahead or more, at any hour the suite runs) is inside it, whichever slot is chosen.
  const res = await admin("PATCH", "/v1/admin/tenant", { policies: { cancellation: { freeUntilHours: 2 } } });
  expect(res.status).toBe(200);
}, 180_000);

afterAll(async () => {
  await w?.stop();
});

describe("a deposit paid in the widget and refunded by a cancellation in the free window", () => {
  it("confirms, e-mails, posts the deposit, refunds it in full by Stripe's webhook and leaves only Stripe's fee", async () => {
    const email = `refund-${Math.random().toString(36).slice(2, 10)}@example.com`;
    const page = await w.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watch(page);
    await page.goto(`${w.host.url}/book`);

    // book the deposit service: any offered time (a day ahead or more), the customer's details
    const slot = inW(page, "[data-slot]").first();
    await slot.waitFor();
    const start = (await slot.getAttribute("data-slot"))!;
    await slot.click();
    await inW(page, "#bk-name").fill("Rhea Fund");
    await inW(page, "#bk-email").fill(email);
    const nextPage = page.context().waitForEvent("page");
    await inW(page, "button[type=submit]").click();

    // pay on Stripe's (the emulator's) hosted page; Stripe's success_url is the booking's manage page
    const checkout = await nextPage;
    await checkout.waitForURL(/\/c\/pay\/cs_\w+/);
    const link = inW(page, "a.btn.pri");
    await link.waitFor();
    const bookingId = (await link.getAttribute("href"))!.match(/bkg_\w+/)![0];
    const booked = await admin("GET", `/v1/admin/bookings/${bookingId}`);
    expect(booked.body).toMatchObject({ status: "pending_payment", start });
    const deposit = Math.round((12_000 * 30) / 100); // the seed's "Colour & cut": £120.00, a 30 % deposit
    expect(await checkout.textContent("body")).toContain((deposit / 100).toFixed(2));
    await checkout.getByRole("button", { name: /^Pay$/ }).click();
    await checkout.waitForURL(new RegExp(`/manage/demo-salon/${bookingId}`));
    await checkout.close();

    // confirmed by Stripe's signed webhook (on its own schedule: waited for, not slept on)
    await expect
      .poll(async () => (await admin("GET", `/v1/admin/bookings/${bookingId}`)).body.status, { timeout: 30_000 })
      .toBe("confirmed");

    // the confirmation e-mail in the dev mailbox, with the manage link
    let confirmation: { body: string } | undefined;
    await expect
      .poll(
        async () => {
          confirmation = (await mailbox(w.stack.baseUrl)).find(
            (m) => m.recipient === email && m.subject.startsWith("Booking confirmed"),
          );
          return confirmation !== undefined;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const manageUrl = confirmation!.body.match(
      /https?:\/\/[^\s<>"]+\/manage\/demo-salon\/bkg_\w+\?token=[^\s<>"]+/,
    )?.[0];
    expect(manageUrl).toContain(`/manage/demo-salon/${bookingId}?token=`);

    // the deposit's ledger entry: amounts and fees as Stripe's balance transaction states them (the fee model)
    const stripeFee = processingFee(deposit);
    const platformFee = applicationFee(deposit, PLATFORM_FEE_BPS);
    expect(platformFee).toBeGreaterThan(0);
    const paid = await ledgerOf(bookingId);
    expect(paid.map((e) => e.kind)).toEqual(["deposit.paid"]);
    expect(paid[0]!.source.type).toBe("stripe_balance_transaction");
    expect(Object.fromEntries(paid[0]!.lines.map((l) => [l.account, l.amount]))).toEqual({
      stripe_balance: deposit - stripeFee - platformFee,
      stripe_fees: stripeFee,
      platform_fees: platformFee,
      customer_deposits: -deposit,
    });
    expect(paid[0]!.lines.every((l) => l.currency === "GBP" && l.bookingId === bookingId)).toBe(true);

    // the manage link from the e-mail: what cancelling would refund, shown before the customer confirms
    const manage = await w.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seenManage = watch(manage);
    await manage.goto(manageUrl!);
    const root = "[data-bookra-manage]";
    await manage.locator(`${root} [data-status=confirmed]`).waitFor();
    await manage.locator(`${root} [data-cancel]`).click();
    const note = manage.locator(`${root} [data-refund]`);
    await note.waitFor();
    expect(await note.getAttribute("data-refund")).toBe(String(deposit));
    expect(await note.textContent()).toBe(
      `Cancelling now refunds everything you paid (£${(deposit / 100).toFixed(2)}).`,
    );

    // cancel: the refund is decided at once (pending) and Stripe's webhook settles it (succeeded)
    const cancelled = manage.waitForResponse(
      (r) => r.url().includes(`/bookings/${bookingId}`) && r.request().method() === "POST",
    );
    await manage.locator(`${root} [data-yes-cancel]`).click();
    expect((await cancelled).status()).toBe(200);
    const pending = (await admin("GET", `/v1/admin/bookings/${bookingId}/refunds`)).body.refunds;
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({
      origin: "cancellation",
      status: "pending",
      amount: { amount: deposit, currency: "GBP" },
    });
    await manage.locator(`${root} [data-status=cancelled]`).waitFor();
    await expect
      .poll(async () => (await admin("GET", `/v1/admin/bookings/${bookingId}/refunds`)).body.refunds[0].status, {
        timeout: 30_000,
      })
      .toBe("succeeded");
    const [refund] = (await admin("GET", `/v1/admin/bookings/${bookingId}/refunds`)).body.refunds;
    expect(refund.stripeRefundId).toMatch(/^re_/);
    // Stripe's side: the refund was pending first, then succeeded (its events, as the emulator delivered them)
    const { accountId } = (await admin("GET", "/v1/admin/payments")).body as { accountId: string };
    const events = (await (await fetch(`${w.stack.stripeUrl}/_emulator/events?account=${accountId}`)).json()) as {
      data: { event: { type: string; data: { object: { id: string; status?: string } } } }[];
    };
    const refundEvents = events.data
      .map((d) => d.event)
      .filter((e) => e.type.startsWith("refund.") && e.data.object.id === refund.stripeRefundId)
      .map((e) => `${e.type}:${e.data.object.status}`);
    expect(refundEvents.sort()).toEqual(["refund.created:pending", "refund.updated:succeeded"]);

    // the ledger: deposit paid, refund decided, refund accepted; nothing left in customer_deposits or
    // refunds_payable; the application fee came back with the refund; Stripe's processing fee stays
    const after = await ledgerOf(bookingId);
    expect(after.map((e) => e.kind).sort()).toEqual(["deposit.paid", "refund.accepted", "refund.decided"]);
    expect(balances(after, bookingId)).toEqual({ stripe_balance: -stripeFee, stripe_fees: stripeFee });
    // and the ledger's Stripe balance for this account is the emulator's (this is the account's only payment)
    const balance = (await (
      await fetch(`${w.stack.stripeUrl}/v1/balance`, {
        headers: { authorization: `Bearer ${LOCAL_STRIPE_KEY}`, "stripe-account": accountId },
      })
    ).json()) as { available: { amount: number; currency: string }[] };
    expect(balance.available).toEqual([expect.objectContaining({ amount: -stripeFee, currency: "gbp" })]);

    expect(seen.errors).toEqual([]);
    expect(seenManage.errors).toEqual([]);
    await manage.close();
    await page.close();
  });
});
