// Issue 13's late-payment acceptance in Chromium against the real stack (Postgres, the Stripe emulator, wrangler dev):
// a customer books the deposit service in the widget and reaches Stripe's (the emulator's) hosted checkout page but
// does not pay yet; the hold lapses; a second customer books the same time in the widget (it is free again) and pays,
// so it is confirmed; then the first customer clicks Pay on the page still open. Stripe takes the money (a Checkout
// Session must stay open at least 30 minutes, longer than a hold), `checkout.session.completed` arrives, and the first
// booking stays expired: its payment is refunded in full at once (origin `slot_taken`, pending → succeeded by the
// refund effect and Stripe's webhook), the customer is told by e-mail, and what remains of that booking in the ledger
// is Stripe's processing fee (the platform's application fee comes back with the refund). The ledger's Stripe
// balance for the business equals the emulator's. Amounts come from the emulator's fee model and the business's
// platform fee, never from totals written here.
//
// How the hold lapses without waiting for it: the booking's `hold_expires_at` is moved into the past with SQL as the
// superuser (the only step the product itself would not take), then the expiry runs exactly as in production: the
// Worker's scheduled() handler (wrangler.toml's cron) called through wrangler dev's `/__scheduled`, which sweeps
// lapsed holds (`services/bookings/expire.ts`) and sends the "Booking not completed" e-mail.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wranglerCrons } from "../../scripts/lib/cron-driver.ts";
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
/** Polls against the real stack: the webhooks and the outbox run on their own schedule. */
const WAIT = { timeout: 30_000, intervals: [100] };

let w: WidgetWorld;
const { sql, admin, ledgerOf } = moneyClient(() => w);
let colour: string;
let ana: string;
const pages: Record<string, string> = {};

beforeAll(async () => {
  w = await startWidgetWorld(pages, {}, { retrySchedule: "fast", refundSettleMs: REFUND_SETTLE_MS });
  colour = w.catalog.services.find((s) => s.name === "Colour & cut")!.id;
  ana = w.catalog.staff.find((s) => s.name === "Ana")!.id;
  // Both customers book Ana, so the second one takes exactly the time the first one held (with "anyone" the second
  // booking could go to Chloé and leave the first one's time free).
  pages["/book"] = hostPage(
    `<h1>Host</h1><div id="c" data-bookra-inline data-service="${colour}" data-staff="${ana}"></div>`,
  );
  await sql("UPDATE tenants SET platform_fee_bps = $1 WHERE slug = 'demo-salon'", [PLATFORM_FEE_BPS]);
}, 180_000);

afterAll(async () => {
  await w?.stop();
});

const statusOf = async (bookingId: string): Promise<string> =>
  (await admin("GET", `/v1/admin/bookings/${bookingId}`)).body.status;

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A time of Ana's for "Colour & cut" with an hour to spare over its day's notice, as the widget lists it (same
 * query, UTC): it stays on offer for the whole test whatever the hour the suite runs.
 */
async function robustStart(): Promise<string> {
  const earliest = Date.now() + 25 * 3_600_000;
  const q = new URLSearchParams({
    serviceId: colour,
    staffId: ana,
    timezone: "UTC",
    from: utcDate(earliest),
    to: utcDate(earliest + 14 * 86_400_000),
  });
  const res = await fetch(`${w.stack.baseUrl}/v1/public/demo-salon/availability?${q}`);
  expect(res.status).toBe(200);
  const { slots } = (await res.json()) as { slots: { start: string }[] };
  const slot = slots.find((s) => Date.parse(s.start) >= earliest);
  expect(slot).toBeDefined();
  return slot!.start;
}

/** Opens the booking widget (a browser on UTC, so its calendar's days are the start's UTC date) and picks `start`. */
async function openAt(start: string): Promise<{ page: Page; seen: ReturnType<typeof watch> }> {
  const page = await w.browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });
  const seen = watch(page);
  await page.goto(`${w.host.url}/book`);
  await inW(page, "[data-slot]").first().waitFor(); // the first month with free times is shown
  const day = start.slice(0, 10);
  const shown = (await inW(page, "[data-date]").first().getAttribute("data-date"))!.slice(0, 7);
  if (day.slice(0, 7) > shown) await inW(page, '.cal-h button[aria-label="Next month"]').click();
  const date = inW(page, `[data-date="${day}"][aria-disabled="false"]`);
  await date.click();
  await inW(page, `[data-slot="${start}"]`).click();
  return { page, seen };
}

/** Fills the customer's details and submits: the widget opens Stripe's hosted checkout page in a new tab. */
async function bookAndReachCheckout(page: Page, name: string, email: string): Promise<{ checkout: Page; id: string }> {
  await inW(page, "#bk-name").fill(name);
  await inW(page, "#bk-email").fill(email);
  const nextPage = page.context().waitForEvent("page");
  await inW(page, "button[type=submit]").click();
  const checkout = await nextPage;
  await checkout.waitForURL(/\/c\/pay\/cs_\w+/);
  const link = inW(page, "a.btn.pri");
  await link.waitFor();
  return { checkout, id: (await link.getAttribute("href"))!.match(/bkg_\w+/)![0] };
}

const mailTo = async (email: string) => (await mailbox(w.stack.baseUrl)).filter((m) => m.recipient === email);

describe("a deposit paid after its hold lapsed, for a time someone else took meanwhile", () => {
  it("keeps the booking expired, refunds the payment in full (slot_taken), e-mails the customer, leaves Stripe's fee", async () => {
    const tag = Math.random().toString(36).slice(2, 10);
    const late = `late-${tag}@example.com`;
    const other = `other-${tag}@example.com`;
    const start = await robustStart();
    const deposit = Math.round((12_000 * 30) / 100); // the seed's "Colour & cut": £120.00, a 30 % deposit

    // the first customer books and reaches Stripe's page, but does not pay yet
    const first = await openAt(start);
    const { checkout: lateCheckout, id: lateId } = await bookAndReachCheckout(first.page, "Lena Late", late);
    const seenLanding = watch(lateCheckout); // Stripe's page, then the manage page Stripe sends the customer back to
    expect((await admin("GET", `/v1/admin/bookings/${lateId}`)).body).toMatchObject({
      status: "pending_payment",
      start,
      staffId: ana,
    });
    expect(await lateCheckout.textContent("body")).toContain((deposit / 100).toFixed(2));

    // the hold lapses (its end moved into the past), and the cron's sweep expires it as in production
    const moved = await sql(
      "UPDATE bookings SET hold_expires_at = now() - interval '1 second' WHERE id = $1 RETURNING 1",
      [lateId],
    );
    expect(moved).toHaveLength(1);
    for (const cron of wranglerCrons()) {
      const res = await fetch(`${w.stack.baseUrl}/__scheduled?cron=${encodeURIComponent(cron)}`);
      expect(res.status).toBe(200);
      await res.body?.cancel();
    }
    await expect.poll(() => statusOf(lateId), WAIT).toBe("expired");
    await expect
      .poll(async () => (await mailTo(late)).map((m) => m.subject.split(":")[0]), WAIT)
      .toEqual(["Booking not completed"]);

    // the time is free again: a second customer books it in the widget and pays, and is confirmed
    const second = await openAt(start);
    const { checkout: otherCheckout, id: otherId } = await bookAndReachCheckout(second.page, "Otto Other", other);
    expect(otherId).not.toBe(lateId);
    expect((await admin("GET", `/v1/admin/bookings/${otherId}`)).body).toMatchObject({ start, staffId: ana });
    await otherCheckout.getByRole("button", { name: /^Pay$/ }).click();
    await otherCheckout.waitForURL(new RegExp(`/manage/demo-salon/${otherId}`));
    await otherCheckout.close();
    await expect.poll(() => statusOf(otherId), WAIT).toBe("confirmed");

    // now the first customer pays on the page still open: Stripe takes the money and redirects to the manage page
    await lateCheckout.getByRole("button", { name: /^Pay$/ }).click();
    await lateCheckout.waitForURL(new RegExp(`/manage/demo-salon/${lateId}`));
    // the manage page it lands on shows the booking as it is: expired, nothing to cancel
    await lateCheckout.locator("[data-bookra-manage] [data-status=expired]").waitFor();
    expect(await lateCheckout.locator("[data-bookra-manage] [data-cancel]").count()).toBe(0);
    // and tells the customer what becomes of a payment that lands after the hold lapsed
    expect(await lateCheckout.locator("[data-bookra-manage] [data-note=expired]").textContent()).toContain(
      "your payment is refunded in full automatically",
    );

    // Stripe's checkout.session.completed decides a full refund at once (pending) …
    const refundsOf = async () => (await admin("GET", `/v1/admin/bookings/${lateId}/refunds`)).body.refunds;
    await expect
      .poll(async () => (await refundsOf()).map((r: { status: string }) => r.status), WAIT)
      .toEqual(["pending"]);
    expect((await refundsOf())[0]).toMatchObject({
      origin: "slot_taken",
      amount: { amount: deposit, currency: "GBP" },
    });
    // … which the refund effect asks of Stripe and Stripe's webhook settles
    await expect.poll(async () => (await refundsOf())[0].status, WAIT).toBe("succeeded");
    const [refund] = await refundsOf();
    expect(refund.stripeRefundId).toMatch(/^re_/);
    const { accountId } = (await admin("GET", "/v1/admin/payments")).body as { accountId: string };
    const events = (await (await fetch(`${w.stack.stripeUrl}/_emulator/events?account=${accountId}`)).json()) as {
      data: { event: { type: string; data: { object: { id: string; status?: string } } } }[];
    };
    const refundEvents = events.data
      .map((d) => d.event)
      .filter((e) => e.type.startsWith("refund.") && e.data.object.id === refund.stripeRefundId)
      .map((e) => `${e.type}:${e.data.object.status}`);
    expect(refundEvents.sort()).toEqual(["refund.created:pending", "refund.updated:succeeded"]);

    // the late booking stays expired and the time stays the second customer's
    expect(await statusOf(lateId)).toBe("expired");
    expect(await statusOf(otherId)).toBe("confirmed");

    // the first customer is told the payment was refunded (and never that the booking was confirmed)
    let notice: { subject: string; body: string } | undefined;
    await expect
      .poll(async () => {
        notice = (await mailTo(late)).find((m) => m.subject.startsWith("Payment refunded"));
        return notice !== undefined;
      }, WAIT)
      .toBe(true);
    // the same service and time as the "Booking not completed" e-mail named
    const lapsed = (await mailTo(late)).find((m) => m.subject.startsWith("Booking not completed"))!;
    expect(lapsed.subject).toMatch(/^Booking not completed: Colour & cut, /);
    expect(notice!.subject).toBe(lapsed.subject.replace("Booking not completed", "Payment refunded"));
    expect(notice!.body).toContain("arrived after your hold lapsed");
    expect(notice!.body).toContain("refunded in full");
    expect((await mailTo(late)).map((m) => m.subject.split(":")[0]).sort()).toEqual([
      "Booking not completed",
      "Payment refunded",
    ]);

    // the ledger: the late deposit, its refund decided and accepted; nothing left in customer_deposits or
    // refunds_payable; the application fee came back with the refund; Stripe's processing fee stays
    const stripeFee = processingFee(deposit);
    const platformFee = applicationFee(deposit, PLATFORM_FEE_BPS);
    expect(platformFee).toBeGreaterThan(0);
    await expect
      .poll(async () => (await ledgerOf(lateId)).map((e) => e.kind).sort(), WAIT)
      .toEqual(["deposit.paid", "refund.accepted", "refund.decided"]);
    const lateLedger = await ledgerOf(lateId);
    expect(
      lateLedger
        .find((e) => e.kind === "deposit.paid")!
        .lines.map((l) => [l.account, l.amount])
        .sort(),
    ).toEqual([
      ["customer_deposits", -deposit],
      ["platform_fees", platformFee],
      ["stripe_balance", deposit - stripeFee - platformFee],
      ["stripe_fees", stripeFee],
    ]);
    expect(balances(lateLedger, lateId)).toEqual({ stripe_balance: -stripeFee, stripe_fees: stripeFee });
    expect(balances(await ledgerOf(otherId), otherId)).toEqual({
      stripe_balance: deposit - stripeFee - platformFee,
      stripe_fees: stripeFee,
      platform_fees: platformFee,
      customer_deposits: -deposit,
    });

    // the ledger's Stripe balance for the business is the emulator's (available + pending, in GBP)
    const trial = await admin("GET", "/v1/admin/ledger/balances");
    expect(trial.status).toBe(200);
    const ledgerStripe = (trial.body.accounts as { account: string; balance: number }[]).find(
      (a) => a.account === "stripe_balance",
    )!.balance;
    const balance = (await (
      await fetch(`${w.stack.stripeUrl}/v1/balance`, {
        headers: { authorization: `Bearer ${LOCAL_STRIPE_KEY}`, "stripe-account": accountId },
      })
    ).json()) as { available: { amount: number; currency: string }[]; pending: { amount: number; currency: string }[] };
    const emulated = [...balance.available, ...balance.pending]
      .filter((b) => b.currency === "gbp")
      .reduce((sum, b) => sum + b.amount, 0);
    expect(ledgerStripe).toBe(emulated);
    expect(emulated).toBe(deposit - stripeFee - platformFee - stripeFee);

    expect(first.seen.errors).toEqual([]);
    expect(second.seen.errors).toEqual([]);
    expect(seenLanding.errors).toEqual([]);
    await lateCheckout.close();
    await first.page.close();
    await second.page.close();
  });
});
