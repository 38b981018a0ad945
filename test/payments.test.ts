// Deposits end to end through the official `stripe` package against the Stripe emulator: Connect onboarding, one
// Checkout Session per booking, the hosted page's "Pay", and the signed webhook confirming the booking. Hand-signed
// events (an independent node:crypto signer) cover what Stripe would only do by mistake or by attack.
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_STRIPE_WEBHOOK_SECRET, useTestApp } from "./helpers/app.ts";
import { createSalon, customer } from "./helpers/salon.ts";
import { useStripeEmulator } from "./helpers/stripe-emulator.ts";
import { signStripePayload } from "./helpers/stripe-sign.ts";

const t = useTestApp();
const stripe = useStripeEmulator(t);
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
});

/** Stripe signs by the real clock (the SDK measures a signature's age by it), whatever the test's clock says. */
const wallSeconds = () => Math.floor(Date.now() / 1000);
const sign = (payload: string, at = wallSeconds(), secret = stripe.config.webhookSecret) =>
  signStripePayload(secret, payload, at);

/** A connected, onboarded account through the real flow: the admin route, the emulator's onboarding page. */
async function connected(apiKey: string) {
  const link = await t.request("POST", "/v1/admin/payments/connect", { key: apiKey });
  expect(link.status).toBe(200);
  expect(link.body.state).toMatchObject({ connected: true, chargesEnabled: false });
  const accountId = link.body.state.accountId as string;
  const before = stripe.delivered.length;
  const done = await fetch(link.body.url, {
    method: "POST",
    body: new URLSearchParams({ action: "complete" }),
    redirect: "manual",
  });
  expect(done.status).toBe(303);
  await stripe.waitFor((d) => d.type === "account.updated" && d.result === "applied", 1 + countUpdates(before));
  return accountId;
}
const countUpdates = (upTo: number) =>
  stripe.delivered.slice(0, upTo).filter((d) => d.type === "account.updated" && d.result === "applied").length;

async function heldBooking(opts: { start?: string } = {}) {
  const s = await createSalon(t, { service: { deposit: { percent: 20 } } });
  const account = await connected(s.tenant.apiKey);
  const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
    body: { serviceId: s.serviceId, start: opts.start ?? "2027-03-02T09:00:00Z", customer: customer("pay") },
  });
  expect(res.status).toBe(201);
  expect(res.body.booking.status).toBe("pending_payment");
  const url = new URL(res.body.checkout.url as string);
  return {
    s,
    account,
    booking: res.body.booking,
    token: res.body.manageToken as string,
    path: url.pathname + url.search,
  };
}

const statusOf = async (id: string) =>
  (await t.database.admin("SELECT status, payment_flag FROM bookings WHERE id = $1", [id]))[0]!;
const outboxOf = (id: string) =>
  t.database.admin("SELECT event_type FROM outbox WHERE aggregate_id = $1 ORDER BY created_at", [id]);

/** A checkout.session.completed from `account`, signed as Stripe signs (by default with the configured secret). */
function completed(
  account: string | null,
  bookingId: string,
  o: { id?: string; amount?: number; currency?: string; tenantId?: string } = {},
) {
  return JSON.stringify({
    id: o.id ?? `evt_${crypto.randomUUID().replace(/-/g, "")}`,
    object: "event",
    type: "checkout.session.completed",
    ...(account && { account }),
    created: Math.floor(t.clock.now.getTime() / 1000),
    data: {
      object: {
        id: `cs_test_${crypto.randomUUID().replace(/-/g, "")}`,
        object: "checkout.session",
        client_reference_id: bookingId,
        amount_total: o.amount ?? 1000,
        currency: o.currency ?? "eur",
        payment_status: "paid",
        payment_intent: `pi_${crypto.randomUUID().replace(/-/g, "")}`,
        metadata: { bookingId, ...(o.tenantId && { tenantId: o.tenantId }) },
      },
    },
  });
}

const post = async (payload: string, header?: string) =>
  t.request("POST", "/v1/webhooks/stripe", {
    raw: payload,
    headers: { "stripe-signature": header ?? (await sign(payload)) },
  });

describe("Stripe Connect", () => {
  it("creates the account once, links each time, and account.updated turns charges on", async () => {
    const s = await createSalon(t);
    expect((await t.request("GET", "/v1/admin/payments", { key: s.tenant.apiKey })).body).toEqual({
      connected: false,
      accountId: null,
      chargesEnabled: false,
      payoutsEnabled: false,
      requirements: [],
    });
    const first = await t.request("POST", "/v1/admin/payments/connect", { key: s.tenant.apiKey });
    const second = await t.request("POST", "/v1/admin/payments/connect", { key: s.tenant.apiKey });
    expect(second.body.state.accountId).toBe(first.body.state.accountId);
    expect(second.body.url).not.toBe(first.body.url);
    expect(first.body.state.requirements.length).toBeGreaterThan(0);
    const before = stripe.delivered.length;
    await fetch(second.body.url, {
      method: "POST",
      body: new URLSearchParams({ action: "complete" }),
      redirect: "manual",
    });
    await stripe.waitFor((d) => d.type === "account.updated" && d.result === "applied", 1 + countUpdates(before));
    expect((await t.request("GET", "/v1/admin/payments", { key: s.tenant.apiKey })).body).toMatchObject({
      connected: true,
      accountId: first.body.state.accountId,
      chargesEnabled: true,
      payoutsEnabled: true,
      requirements: [],
    });
  });

  it("until charges are enabled a deposit cannot be booked online, nor a held one paid: 409 PAYMENTS_NOT_READY", async () => {
    const s = await createSalon(t, { service: { deposit: { percent: 20 } } });
    const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("pay") },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("PAYMENTS_NOT_READY");
    expect(await t.database.admin("SELECT id FROM bookings WHERE tenant_id = $1", [s.tenant.id])).toEqual([]);
    // A hold taken while charges were enabled, then Stripe disabled them: its checkout link is refused, no session.
    const { s: held, booking, path } = await heldBooking();
    await t.database.admin("UPDATE tenants SET stripe_charges_enabled = false WHERE id = $1", [held.tenant.id]);
    const link = await t.request("GET", path);
    expect(link.status).toBe(409);
    expect(link.body.error.code).toBe("PAYMENTS_NOT_READY");
    expect(await t.database.admin("SELECT checkout_session_id FROM bookings WHERE id = $1", [booking.id])).toEqual([
      { checkout_session_id: null },
    ]);
  });
});

describe("deposits through the emulator", () => {
  it("one session per booking, the hosted page's Pay, the signed webhook confirms the booking", async () => {
    const { booking, path, account, token } = await heldBooking();
    const first = await t.app.request(path, { redirect: "manual" });
    expect(first.status).toBe(303);
    const sessionUrl = first.headers.get("location")!;
    expect(sessionUrl.startsWith(stripe.emulator.url)).toBe(true);
    // A refresh hands out the stored session, never a new one (and never a refused idempotent replay).
    const again = await t.app.request(path, { redirect: "manual" });
    expect(again.headers.get("location")).toBe(sessionUrl);
    const [row] = await t.database.admin("SELECT checkout_session_id, checkout_url FROM bookings WHERE id = $1", [
      booking.id,
    ]);
    expect(row).toEqual({ checkout_session_id: expect.stringMatching(/^cs_/), checkout_url: sessionUrl });

    const paid = await fetch(sessionUrl, {
      method: "POST",
      body: new URLSearchParams({ action: "pay" }),
      redirect: "manual",
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toContain(`token=${token}`);
    await stripe.waitFor((d) => d.type === "checkout.session.completed" && d.result === "applied");
    expect(await statusOf(booking.id)).toEqual({ status: "confirmed", payment_flag: null });
    expect((await outboxOf(booking.id)).map((r) => r.event_type)).toEqual(["booking.created", "booking.confirmed"]);
    // The payment keeps the fees its balance transaction states: Stripe's 1.5 % + 20 and the platform's 5 %.
    expect(
      await t.database.admin("SELECT amount, status, stripe_fee, platform_fee FROM payments WHERE booking_id = $1", [
        booking.id,
      ]),
    ).toEqual([{ amount: "1000", status: "succeeded", stripe_fee: 35, platform_fee: 50 }]);
    // The charge was made on the tenant's account with the platform's fee (STRIPE_PLATFORM_FEE_BPS 500 here: 5 %).
    const events = await stripe.control<{ data: { event: { data: { object: Record<string, unknown> } } }[] }>(
      `/_emulator/events?account=${account}&type=charge.succeeded`,
    );
    expect(events.data.map((e) => e.event.data.object.application_fee_amount)).toEqual([50]);
    // Paid: the link now leads to the manage page.
    const after = await t.app.request(path, { redirect: "manual" });
    expect(after.headers.get("location")).toContain(`/manage/`);
  });

  it("the platform fee is the platform's: a tenant's own policy changes nothing, the operator's column does", async () => {
    const feeOf = async (h: Awaited<ReturnType<typeof heldBooking>>) => {
      const to = await t.app.request(h.path, { redirect: "manual" });
      await fetch(to.headers.get("location")!, {
        method: "POST",
        body: new URLSearchParams({ action: "pay" }),
        redirect: "manual",
      });
      const events = await stripe.control<{ data: { event: { data: { object: Record<string, unknown> } } }[] }>(
        `/_emulator/events?account=${h.account}&type=charge.succeeded`,
      );
      return events.data.map((e) => e.event.data.object.application_fee_amount);
    };
    const own = await heldBooking();
    const patch = await t.request("PATCH", "/v1/admin/tenant", {
      key: own.s.tenant.apiKey,
      body: { policies: { platformFeeBps: 0 } },
    });
    expect(patch.status).toBe(400);
    expect(patch.body.error.code).toBe("VALIDATION_FAILED");
    expect(await feeOf(own)).toEqual([50]); // STRIPE_PLATFORM_FEE_BPS (500 here) of the 1000 deposit
    const operated = await heldBooking();
    // What `npm run platform-fee -- <slug> 1000` does.
    await t.database.admin("UPDATE tenants SET platform_fee_bps = 1000 WHERE id = $1", [operated.s.tenant.id]);
    expect(await feeOf(operated)).toEqual([100]);
    // Percent + fixed: `npm run platform-fee -- <slug> 1000 30`.
    const fixed = await heldBooking();
    await t.database.admin("UPDATE tenants SET platform_fee_bps = 1000, platform_fee_fixed = 30 WHERE id = $1", [
      fixed.s.tenant.id,
    ]);
    expect(await feeOf(fixed)).toEqual([130]);
  });

  it("applies an event once however often it arrives", async () => {
    const { booking, account } = await heldBooking();
    const payload = completed(account, booking.id, { id: "evt_dup_1" });
    for (let i = 0; i < 3; i++) {
      const res = await post(payload);
      expect(res.status).toBe(200);
      expect(res.body.result).toBe(i === 0 ? "applied" : "duplicate");
    }
    expect((await outboxOf(booking.id)).filter((r) => r.event_type === "booking.confirmed")).toHaveLength(1);
    expect(await t.database.admin("SELECT 1 FROM payments WHERE booking_id = $1", [booking.id])).toHaveLength(1);
  });

  it("a correctly signed event paying 1 cent in another currency leaves the booking unconfirmed and flagged", async () => {
    const { s, booking, account } = await heldBooking();
    const res = await post(completed(account, booking.id, { amount: 1, currency: "usd" }));
    expect(res.status).toBe(200);
    expect(res.body.result).toBe("flagged");
    expect(await statusOf(booking.id)).toEqual({ status: "pending_payment", payment_flag: "amount_mismatch" });
    expect(await t.database.admin("SELECT 1 FROM payments WHERE booking_id = $1", [booking.id])).toHaveLength(0);
    const admin = await t.request("GET", `/v1/admin/bookings/${booking.id}`, { key: s.tenant.apiKey });
    expect(admin.body.paymentFlag).toBe("amount_mismatch");
  });

  it("routes events by event.account only: metadata naming a tenant, or another tenant's account, confirms nothing", async () => {
    const { s, booking } = await heldBooking();
    const other = await heldBooking();
    expect((await post(completed(null, booking.id, { tenantId: s.tenant.id }))).body.result).toBe("ignored");
    expect((await post(completed("acct_unknown000000000", booking.id))).body.result).toBe("ignored");
    expect((await post(completed(other.account, booking.id))).body.result).toBe("ignored");
    expect((await statusOf(booking.id)).status).toBe("pending_payment");
  });

  it.each([
    ["a wrong secret", (p: string) => sign(p, undefined, "whsec_wrong")],
    ["an old timestamp", (p: string) => sign(p, wallSeconds() - 301)],
    ["no signature", async () => ""],
  ])("refuses %s with 400 and changes nothing", async (_n, header) => {
    const { booking, account } = await heldBooking();
    const payload = completed(account, booking.id);
    const res = await post(payload, await header(payload));
    expect(res.status).toBe(400);
    expect((await statusOf(booking.id)).status).toBe("pending_payment");
  });

  it("refuses a body changed after signing", async () => {
    const { booking, account } = await heldBooking();
    const payload = completed(account, booking.id);
    const res = await post(payload.replace('"amount_total":1000', '"amount_total":1001'), await sign(payload));
    expect(res.status).toBe(400);
  });

  it("a payment after the hold lapsed confirms if the time is still free, else is marked for refund", async () => {
    const first = await heldBooking();
    t.clock.now = new Date("2027-03-01T08:30:00Z"); // hold (15 min) lapsed
    await post(completed(first.account, first.booking.id));
    expect((await statusOf(first.booking.id)).status).toBe("confirmed");

    t.clock.now = new Date("2027-03-01T08:00:00Z");
    const second = await heldBooking();
    t.clock.now = new Date("2027-03-01T08:30:00Z");
    const taker = await t.request("POST", `/v1/public/${second.s.tenant.slug}/bookings`, {
      body: { serviceId: second.s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("taker") },
    });
    expect(taker.status).toBe(201);
    await post(completed(second.account, second.booking.id));
    expect((await statusOf(second.booking.id)).status).toBe("expired");
    expect(await t.database.admin("SELECT status FROM payments WHERE booking_id = $1", [second.booking.id])).toEqual([
      { status: "refund_required" },
    ]);
  });

  it("the checkout link needs the booking's token and never shows another tenant's booking", async () => {
    const { booking, s } = await heldBooking();
    const other = await createSalon(t);
    expect((await t.app.request(`/checkout/${s.tenant.slug}/${booking.id}`)).status).toBe(401);
    expect((await t.app.request(`/checkout/${s.tenant.slug}/${booking.id}?token=mt_wrong`)).status).toBe(404);
    expect((await t.app.request(`/checkout/${other.tenant.slug}/${booking.id}?token=mt_wrong`)).status).toBe(404);
  });
});

describe("a worker with a webhook secret and no Stripe key", () => {
  it("offers no way to confirm anything: no pay route, no checkout, webhooks refused", async () => {
    const { s, booking, path, account } = await heldBooking();
    const keyless = t.withConfig({ stripe: { webhookSecret: TEST_STRIPE_WEBHOOK_SECRET } });
    const checkout = await keyless.request(path, { redirect: "manual" });
    expect(checkout.status).toBe(409);
    expect((await keyless.request(`${path.replace("?", "/pay?")}`, { method: "POST" })).status).toBe(404);
    const payload = completed(account, booking.id, { tenantId: s.tenant.id });
    const hook = await keyless.request("/v1/webhooks/stripe", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "stripe-signature": await sign(payload, undefined, TEST_STRIPE_WEBHOOK_SECRET),
      },
      body: payload,
    });
    expect(hook.status).toBe(404);
    expect((await statusOf(booking.id)).status).toBe("pending_payment");
  });
});
