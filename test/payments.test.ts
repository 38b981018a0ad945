// Deposits end to end on the local checkout: signed Stripe-format events through the real webhook route.
import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_STRIPE_WEBHOOK_SECRET, useTestApp } from "./helpers/app.ts";
import { createSalon, customer } from "./helpers/salon.ts";

const t = useTestApp();
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
});

/** An independent signer (node:crypto), as Stripe signs: HMAC-SHA256 of "t.payload". */
function sign(payload: string, at = Math.floor(t.clock.now.getTime() / 1000), secret = TEST_STRIPE_WEBHOOK_SECRET) {
  return `t=${at},v1=${createHmac("sha256", secret).update(`${at}.${payload}`).digest("hex")}`;
}

function completed(tenantId: string, bookingId: string, id = `evt_${Math.random().toString(36).slice(2)}`) {
  return JSON.stringify({
    id,
    type: "checkout.session.completed",
    data: {
      object: {
        id: `cs_${bookingId}`,
        amount_total: 1000,
        currency: "eur",
        payment_status: "paid",
        payment_intent: `pi_${bookingId}`,
        metadata: { tenantId, bookingId },
      },
    },
  });
}

async function heldBooking() {
  const s = await createSalon(t, { service: { deposit: { percent: 20 } } });
  const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
    body: { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("pay") },
  });
  expect(res.status).toBe(201);
  expect(res.body.booking.status).toBe("pending_payment");
  return {
    s,
    booking: res.body.booking,
    token: res.body.manageToken as string,
    checkoutUrl: res.body.checkout.url as string,
  };
}

const outboxOf = (id: string) =>
  t.database.admin("SELECT event_type FROM outbox WHERE aggregate_id = $1 ORDER BY created_at", [id]);

describe("local checkout and the Stripe webhook", () => {
  it("pays the deposit on the local checkout page and confirms the booking through the signed webhook", async () => {
    const { booking, token, checkoutUrl } = await heldBooking();
    const path = new URL(checkoutUrl).pathname + new URL(checkoutUrl).search;
    expect(path).toContain(`token=${token}`);
    const page = await t.app.request(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("€10.00");
    const action = /action="([^"]+)"/.exec(html)?.[1]?.replace(/&#38;/g, "&");
    expect(action).toBeDefined();
    const paid = await t.app.request(action!, { method: "POST" });
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain("confirmed");
    const rows = await t.database.admin("SELECT status FROM bookings WHERE id = $1", [booking.id]);
    expect(rows[0]!.status).toBe("confirmed");
    expect((await outboxOf(booking.id)).map((r) => r.event_type)).toEqual(["booking.created", "booking.confirmed"]);
    expect(await t.database.admin("SELECT amount, status FROM payments WHERE booking_id = $1", [booking.id])).toEqual([
      { amount: "1000", status: "succeeded" },
    ]);
    expect(
      await t.database.admin("SELECT 1 FROM idempotency_keys WHERE response_body::text LIKE $1", [`%${token}%`]),
    ).toHaveLength(0);
  });

  it("applies an event once however often it arrives, and a late duplicate changes nothing", async () => {
    const { s, booking } = await heldBooking();
    const payload = completed(s.tenant.id, booking.id, "evt_dup_1");
    for (let i = 0; i < 3; i++) {
      const res = await t.request("POST", "/v1/webhooks/stripe", {
        raw: payload,
        headers: { "stripe-signature": sign(payload) },
      });
      expect(res.status).toBe(200);
      expect(res.body.result).toBe(i === 0 ? "applied" : "duplicate");
    }
    expect((await outboxOf(booking.id)).filter((r) => r.event_type === "booking.confirmed")).toHaveLength(1);
    expect(await t.database.admin("SELECT 1 FROM payments WHERE booking_id = $1", [booking.id])).toHaveLength(1);
  });

  it.each([
    ["a wrong secret", (p: string) => sign(p, undefined, "whsec_wrong")],
    ["an old timestamp", (p: string) => sign(p, Math.floor(t.clock.now.getTime() / 1000) - 301)],
    ["no signature", () => ""],
  ])("refuses %s with 400 and changes nothing", async (_n, header) => {
    const { s, booking } = await heldBooking();
    const payload = completed(s.tenant.id, booking.id);
    const res = await t.request("POST", "/v1/webhooks/stripe", {
      raw: payload,
      headers: { "stripe-signature": header(payload) },
    });
    expect(res.status).toBe(400);
    expect((await t.database.admin("SELECT status FROM bookings WHERE id = $1", [booking.id]))[0]!.status).toBe(
      "pending_payment",
    );
  });

  it("refuses a body changed after signing", async () => {
    const { s, booking } = await heldBooking();
    const payload = completed(s.tenant.id, booking.id);
    const res = await t.request("POST", "/v1/webhooks/stripe", {
      raw: payload.replace("1000", "1"),
      headers: { "stripe-signature": sign(payload) },
    });
    expect(res.status).toBe(400);
  });

  it("a payment after the hold lapsed confirms if the time is still free, else is marked for refund", async () => {
    const first = await heldBooking();
    t.clock.now = new Date("2027-03-01T08:30:00Z"); // hold (15 min) lapsed
    const late = completed(first.s.tenant.id, first.booking.id);
    await t.request("POST", "/v1/webhooks/stripe", { raw: late, headers: { "stripe-signature": sign(late) } });
    expect((await t.database.admin("SELECT status FROM bookings WHERE id = $1", [first.booking.id]))[0]!.status).toBe(
      "confirmed",
    );

    t.clock.now = new Date("2027-03-01T08:00:00Z");
    const second = await heldBooking();
    t.clock.now = new Date("2027-03-01T08:30:00Z");
    const taker = await t.request("POST", `/v1/public/${second.s.tenant.slug}/bookings`, {
      body: { serviceId: second.s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("taker") },
    });
    expect(taker.status).toBe(201);
    const lost = completed(second.s.tenant.id, second.booking.id);
    await t.request("POST", "/v1/webhooks/stripe", { raw: lost, headers: { "stripe-signature": sign(lost) } });
    expect((await t.database.admin("SELECT status FROM bookings WHERE id = $1", [second.booking.id]))[0]!.status).toBe(
      "expired",
    );
    expect(await t.database.admin("SELECT status FROM payments WHERE booking_id = $1", [second.booking.id])).toEqual([
      { status: "refund_required" },
    ]);
  });

  it("the checkout page needs the booking's token and never shows another tenant's booking", async () => {
    const { booking, s } = await heldBooking();
    const other = await createSalon(t);
    expect((await t.app.request(`/checkout/${s.tenant.slug}/${booking.id}`)).status).toBe(401);
    expect((await t.app.request(`/checkout/${s.tenant.slug}/${booking.id}?token=mt_wrong`)).status).toBe(404);
    expect((await t.app.request(`/checkout/${other.tenant.slug}/${booking.id}?token=mt_wrong`)).status).toBe(404);
  });
});
