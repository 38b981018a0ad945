// The dashboard's money in Chromium against the real stack (issue 13 item 10): Setup's Stripe section (connected for
// a seeded business, a Connect button for a fresh one that goes through the emulator's onboarding and comes back
// connected), the cancellation policy form with the API's field errors, and a booking's page: a deposit paid through
// the Stripe emulator is partly refunded from the page (an amount above the refundable is refused at its field; a
// refund Stripe fails shows failed and its Retry succeeds), the booking is then completed with cash and a tip from
// the same page, and each shows in the timeline with its ledger entry. A staff session sees no refund action and its
// API call is 403. No answer is scripted.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../scripts/lib/seed.ts";
import {
  type Business,
  call,
  type DashboardWorld,
  dashboardContext,
  localInstant,
  mailbox,
  must,
  signInThroughPage,
  signUpBusiness,
  startDashboardWorld,
} from "./dashboard-world.ts";
import { watch } from "./harness.ts";

let w: DashboardWorld;
let base: string;
let b: Business;

beforeAll(async () => {
  w = await startDashboardWorld();
  base = w.stack.baseUrl;
  b = await signUpBusiness(base, { name: "Money Studio" });
}, 180_000);

afterAll(async () => {
  await w?.stop();
});

const payments = (key: string) => must(base, "GET", "/v1/admin/payments", undefined, key);
/** Each paid booking's Stripe PaymentIntent (what a dispute is opened against). */
const intents = new Map<string, string>();

describe("Setup › Stripe and the cancellation policy", () => {
  it("shows a seeded business connected, and takes a fresh one through Stripe's onboarding and back", async () => {
    const slug = `demo-${crypto.randomUUID().slice(0, 8)}`;
    const ownerPassword = `pw-${crypto.randomUUID()}`;
    const seeded = await seedDemo(base, slug, { ownerPassword, stripeUrl: w.stack.stripeUrl });
    const first = await w.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const seededPage = await first.newPage();
    const seen = watch(seededPage);
    await signInThroughPage(seededPage, base, "/setup/business", seeded.owner.email, ownerPassword);
    const section = seededPage.getByRole("region", { name: "Stripe payments" });
    await section.getByText("Connected: Stripe can take payments and pay out.").waitFor();
    expect(await section.getByRole("button", { name: "Connect Stripe" }).count()).toBe(0);
    const state = await payments(seeded.apiKey);
    expect(await section.locator("code").first().textContent()).toBe(state.accountId);
    expect(seen.errors).toEqual([]);
    await first.close();

    // the fresh business: not connected, a Connect button → the emulator's onboarding page → back, connected
    expect(await payments(b.apiKey)).toMatchObject({ connected: false, chargesEnabled: false });
    const { context, page } = await dashboardContext(w, b);
    const errors = watch(page).errors;
    await signInThroughPage(page, base, "/setup/business", b.owner.email, b.owner.password);
    const fresh = page.getByRole("region", { name: "Stripe payments" });
    await fresh.getByText("Not connected").waitFor();
    await fresh.getByRole("button", { name: "Connect Stripe" }).click();
    await page.getByRole("button", { name: "Complete", exact: true }).waitFor();
    expect(page.url().startsWith(w.stack.stripeUrl)).toBe(true);
    await page.getByRole("button", { name: "Complete", exact: true }).click();
    await page.waitForURL(new RegExp(`^${base}/app/setup`));
    // Stripe's account.updated reaches the worker on its own schedule: wait for it, then read the page again
    await expect.poll(async () => (await payments(b.apiKey)).chargesEnabled, { timeout: 30_000 }).toBe(true);
    await page.goto(`${base}/app/setup/business`);
    await page
      .getByRole("region", { name: "Stripe payments" })
      .getByText("Connected: Stripe can take payments and pay out.")
      .waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("edits free hours, late keep % and no-show keep %, showing the API's refusal at its field", async () => {
    const { context, page } = await dashboardContext(w, b);
    await signInThroughPage(page, base, "/setup/business", b.owner.email, b.owner.password);
    const panel = page.getByRole("region", { name: "Policies" });
    await panel.getByLabel("Free cancellation until (hours before)").fill("48");
    await panel.getByLabel("A later cancellation keeps (% of what was paid)").fill("101");
    await panel.getByLabel("A no-show keeps (% of what was paid)").fill("80");
    await panel.getByRole("button", { name: "Save" }).click();
    const late = panel.getByLabel("A later cancellation keeps (% of what was paid)");
    await expect.poll(() => late.getAttribute("aria-invalid"), { timeout: 10_000 }).toBe("true");
    const before = (await must(base, "GET", "/v1/admin/tenant", undefined, b.apiKey)).policies.cancellation;
    expect([before?.freeUntilHours ?? 24, before?.lateKeepPercent ?? 100]).toEqual([24, 100]); // nothing stored
    await late.fill("50");
    await panel.getByRole("button", { name: "Save" }).click();
    await panel.getByText("Saved.").waitFor();
    expect((await must(base, "GET", "/v1/admin/tenant", undefined, b.apiKey)).policies.cancellation).toMatchObject({
      freeUntilHours: 48,
      lateKeepPercent: 50,
      noShowKeepPercent: 80,
    });
    await context.close();
  }, 60_000);
});

/** A public booking of the haircut (a 50 % deposit: 17.50) paid on the emulator's checkout, until confirmed. */
async function paidDeposit(hh: number): Promise<string> {
  if (!(await payments(b.apiKey)).chargesEnabled) {
    const { state } = await must(base, "POST", "/v1/admin/payments/connect", {}, b.apiKey);
    await fetch(`${w.stack.stripeUrl}/_emulator/accounts/${state.accountId}/complete`, { method: "POST" });
    await expect.poll(async () => (await payments(b.apiKey)).chargesEnabled, { timeout: 30_000 }).toBe(true);
  }
  await must(base, "PATCH", `/v1/admin/services/${b.haircut}`, { deposit: { percent: 50 } }, b.apiKey);
  const booked = await must(base, "POST", `/v1/public/${b.slug}/bookings`, {
    serviceId: b.haircut,
    start: localInstant(b.today, hh, 0, b.offsetHours),
    customer: { name: "Molly Money", email: `molly-${b.slug}@example.com` },
  });
  const id: string = booked.booking.id;
  // the booking's checkout link sends the customer on to Stripe's hosted page: its session is paid there
  const hop = await fetch(booked.checkout.url, { redirect: "manual" });
  const session = /cs_\w+/.exec(hop.headers.get("location") ?? "")?.[0];
  expect(session).toBeTruthy();
  const paid = await fetch(`${w.stack.stripeUrl}/_emulator/checkout/sessions/${session}/pay`, { method: "POST" });
  expect(paid.ok).toBe(true);
  intents.set(id, ((await paid.json()) as { session: { payment_intent: string } }).session.payment_intent);
  await expect
    .poll(async () => (await must(base, "GET", `/v1/admin/bookings/${id}`, undefined, b.apiKey)).status, {
      timeout: 30_000,
    })
    .toBe("confirmed");
  return id;
}

const ledgerKinds = async (page: Page) =>
  (await page.locator('.timeline li[data-kind="ledger"]').allTextContents()).map((t) => t.replace(/^.*?Ledger/, ""));

describe("a booking's money page", () => {
  it("refunds part of a paid deposit, retries a failed refund, completes with cash and a tip, each in the timeline with its ledger entry", async () => {
    const id = await paidDeposit(11);
    const { context, page } = await dashboardContext(w, b);
    const { errors } = watch(page);
    await signInThroughPage(page, base, `/bookings/${id}`, b.owner.email, b.owner.password);
    const money = page.getByRole("region", { name: "Money" });
    await money.locator('[data-money="paid"]', { hasText: "17.50" }).waitFor();
    expect(await money.locator('[data-money="refundable"]').textContent()).toContain("17.50");
    // 48 free hours (set above) have passed for a booking today: a cancellation now keeps 50 %
    expect(await money.locator('[data-money="cancellation"]').textContent()).toMatch(/8\.75 refunded, .8\.75 kept/);
    await page.locator('.timeline li[data-kind="ledger"]').first().waitFor();
    expect((await ledgerKinds(page)).join("\n")).toContain("customer_deposits");

    // above what is refundable: refused at the amount field, nothing stored
    const amount = money.getByLabel("Amount (EUR)");
    expect(await amount.inputValue()).toBe("17.50");
    await amount.fill("20.00");
    await money.getByLabel("Reason").fill("Goodwill");
    await money.getByRole("button", { name: "Refund", exact: true }).click();
    await money.locator("#rf-amount-err").waitFor();
    expect(await amount.getAttribute("aria-invalid")).toBe("true");
    expect((await must(base, "GET", `/v1/admin/bookings/${id}/refunds`, undefined, b.apiKey)).refunds).toEqual([]);

    await amount.fill("5.00");
    await money.getByRole("button", { name: "Refund", exact: true }).click();
    await money.getByText("Refund requested").waitFor();
    await money.locator('[data-money="refundable"]', { hasText: "12.50" }).waitFor();
    // the refund settles at Stripe and comes back by webhook: then the page, read again, says so
    await expect
      .poll(
        async () =>
          (await must(base, "GET", `/v1/admin/bookings/${id}/refunds`, undefined, b.apiKey)).refunds.map(
            (r: { status: string; amount: { amount: number } }) => [r.amount.amount, r.status],
          ),
        { timeout: 30_000 },
      )
      .toEqual([[500, "succeeded"]]);
    await page.reload();
    await money.locator('li[data-status="succeeded"]', { hasText: "Goodwill" }).waitFor();
    // who made it, in words
    expect(await money.locator('li[data-origin="manual"] .origin').textContent()).toBe(" · Refunded by the owner");
    const refundEntry = page.locator('.timeline li[data-kind="refund"]');
    expect(await refundEntry.textContent()).toMatch(/Refund of .5\.00 \(succeeded\)/);
    expect((await ledgerKinds(page)).join("\n")).toContain("refunds_payable");

    // a refund Stripe fails is shown failed with a Retry, which asks Stripe again (here, succeeding)
    const emulator = (body: unknown) =>
      fetch(`${w.stack.stripeUrl}/_emulator/settings`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await emulator({ refunds: "fail" })).ok).toBe(true);
    await amount.fill("1.00");
    await money.getByLabel("Reason").fill("Card test");
    await money.getByRole("button", { name: "Refund", exact: true }).click();
    await money.locator('[data-money="refundable"]', { hasText: "11.50" }).waitFor();
    const statusOf = async () =>
      (await must(base, "GET", `/v1/admin/bookings/${id}/refunds`, undefined, b.apiKey)).refunds.find(
        (r: { reason: string }) => r.reason === "Card test",
      )?.status;
    await expect.poll(statusOf, { timeout: 30_000 }).toBe("failed");
    expect((await emulator({ refunds: "succeed" })).ok).toBe(true);
    await page.reload();
    const failed = money.locator('li[data-status="failed"]', { hasText: "Card test" });
    await failed.getByRole("button", { name: "Retry refund" }).click();
    await money.getByText("Refund asked of Stripe again.").waitFor();
    await expect.poll(statusOf, { timeout: 30_000 }).toBe("succeeded");
    await page.reload();
    await money.locator('li[data-status="succeeded"]', { hasText: "Card test" }).waitFor();

    // completed with cash and a tip from the same page: 35.00 − 11.50 held = 23.50 due, plus a 3.00 tip
    await page.getByRole("button", { name: "Take payment" }).click();
    const desk = page.getByRole("form", { name: "Paid at the desk" });
    await desk.locator("dd.due", { hasText: "23.50" }).waitFor();
    await desk.getByLabel("Cash").fill("26.50");
    await desk.getByLabel("Tip").fill("3");
    await desk.getByRole("button", { name: "Complete", exact: true }).click();
    await page.locator('.timeline li[data-kind="completed"]').waitFor();
    await money.locator('[data-money="desk-cash"]', { hasText: "26.50" }).waitFor();
    expect(await money.locator('[data-money="tip"]').textContent()).toContain("3.00");
    const entries = (await ledgerKinds(page)).join("\n");
    expect(entries).toContain("desk:cash +€26.50");
    expect(entries).toContain(`tips_payable:${b.ana.id} -€3.00`);

    // every ledger entry of the booking is on the page, once
    const ledger = await must(base, "GET", `/v1/admin/ledger?bookingId=${id}`, undefined, b.apiKey);
    const ids = await page
      .locator('.timeline li[data-kind="ledger"]')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute("data-source")));
    expect(ids.sort()).toEqual(ledger.data.map((e: { id: string }) => `journal_entries ${e.id}`).sort());
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it("a disputed booking carries its badge in the list, and its page tells the owner what to do", async () => {
    const plain = await paidDeposit(15);
    const id = await paidDeposit(16);
    const opened = await fetch(`${w.stack.stripeUrl}/_emulator/disputes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payment_intent: intents.get(id) }),
    });
    expect(opened.ok).toBe(true);
    // Stripe's charge.dispute.created reaches the worker on its own schedule
    await expect
      .poll(async () => (await must(base, "GET", `/v1/admin/bookings/${id}`, undefined, b.apiKey)).paymentFlag, {
        timeout: 30_000,
      })
      .toBe("disputed");
    const { context, page } = await dashboardContext(w, b);
    const { errors } = watch(page);
    await signInThroughPage(page, base, `/bookings?q=Molly`, b.owner.email, b.owner.password);
    const row = page.locator("li.booking", { has: page.locator('[data-flag="disputed"]') });
    await row.waitFor();
    expect(await row.locator(".badge.flag").textContent()).toBe("Payment disputed");
    expect(await row.locator(".badge.flag").getAttribute("title")).toContain(
      "answer the dispute in Stripe's dashboard",
    );
    // a paid booking without a dispute carries no flag
    const unflagged = page.locator("li.booking", {
      has: page.locator(`a[href="/app/bookings/${encodeURIComponent(plain)}"]`),
    });
    await unflagged.waitFor();
    expect(await unflagged.locator(".badge.flag").count()).toBe(0);
    expect(await page.locator("li.booking .badge.flag").count()).toBe(1);

    await page.goto(`${base}/app/bookings/${id}`);
    const note = page.getByRole("region", { name: "Money" }).getByRole("alert").filter({ hasText: "Payment disputed" });
    await note.waitFor();
    expect(await note.textContent()).toContain(
      "The customer disputed the payment with their bank: answer the dispute in Stripe's dashboard",
    );
    expect(await page.locator('.details [data-flag="disputed"]').textContent()).toBe("Payment disputed");
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("a staff session sees the booking without a refund action, and its refund call is 403", async () => {
    const id = await paidDeposit(14);
    await must(
      base,
      "POST",
      "/v1/admin/invitations",
      { email: b.ana.email, role: "staff", staffId: b.ana.id },
      b.apiKey,
    );
    let link = "";
    await expect
      .poll(
        async () => {
          const m = (await mailbox(base)).find((x) => x.recipient === b.ana.email);
          link = /https?:\/\/\S+\/app\/accept-invitation#token=\S+/.exec(m?.body ?? "")?.[0] ?? "";
          return link;
        },
        { timeout: 30_000 },
      )
      .not.toBe("");
    const password = `ana-${crypto.randomUUID()}`;
    const token = decodeURIComponent(link.split("#token=")[1]!);
    expect((await call(base, "POST", `/v1/auth/invitations/${token}`, { name: "Ana", password })).status).toBe(201);

    const { context, page } = await dashboardContext(w, b);
    const { errors } = watch(page);
    await signInThroughPage(page, base, `/bookings/${id}`, b.ana.email, password);
    const money = page.getByRole("region", { name: "Money" });
    await money.locator('[data-money="deposits"]', { hasText: "17.50" }).waitFor();
    await page.locator(".timeline li").first().waitFor();
    expect(await page.getByRole("button", { name: "Refund", exact: true }).count()).toBe(0);
    expect(await page.getByLabel("Reason").count()).toBe(0);
    // the ledger is the owner's: no ledger entries in a staff member's timeline
    expect(await page.locator('.timeline li[data-kind="ledger"]').count()).toBe(0);

    const cookie = (await context.cookies()).find((c) => c.name === "bookra_session")?.value;
    const refused = await call(base, "POST", `/v1/admin/bookings/${id}/refunds`, { amount: 100, reason: "x" }, cookie);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FORBIDDEN");
    expect((await call(base, "GET", `/v1/admin/bookings/${id}/refunds`, undefined, cookie)).status).toBe(403);
    expect((await must(base, "GET", `/v1/admin/bookings/${id}/refunds`, undefined, b.apiKey)).refunds).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
