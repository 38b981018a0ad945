// Refunds against the real database (issue 13 item 5): a decision moves customer_deposits into refunds_payable in
// balanced entries; Stripe's answer (applyRefundOutcome) empties refunds_payable, once per attempt whatever the
// replays; a failure makes the refund owed again and retryable; the effect asks the provider with a stable key; and
// cancellations and no-shows refund by the tenant's policy in the transaction that changes the booking.
import { describe, expect, it } from "vitest";
import { TEST_NOW, useTestApp } from "../../../../test/helpers/app.ts";
import { balances, paidBooking, tenantCtx, unbalancedEntries } from "../../../../test/helpers/paid-booking.ts";
import { createSalon } from "../../../../test/helpers/salon.ts";
import { createRefundHandler } from "../../effects/handlers/refund.ts";
import type { CreateRefundInput, RefundProvider } from "../../effects/refund-provider.ts";
import type { OutboxEvent } from "../../outbox/types.ts";
import { applyRefundOutcome } from "./outcome.ts";
import { createRefund, retryRefund } from "./refunds.ts";

const t = useTestApp();
const FAR = "2027-03-03T10:00:00Z"; // 50 h after TEST_NOW: inside a 24 h free window
const SOON = "2027-03-01T12:00:00Z"; // 4 h after TEST_NOW: late

async function setup() {
  t.clock.now = TEST_NOW;
  const s = await createSalon(t);
  return { s, ctx: tenantCtx(t, s) };
}

async function refundEvents(tenantId: string) {
  return t.database.admin<{ id: string; payload: { refundId: string; attempt: number } }>(
    "SELECT id, payload FROM outbox WHERE tenant_id = $1 AND event_type = 'payments.refund' ORDER BY created_at, id",
    [tenantId],
  );
}

describe("deciding a refund and applying Stripe's answer", () => {
  it("moves X from customer_deposits to refunds_payable, then out of stripe_balance once accepted", async () => {
    const { s, ctx } = await setup();
    const b = await paidBooking(t, s, FAR, { amount: 2000, stripeFee: 50, platformFee: 200 });
    const refund = await createRefund({ ctx, bookingId: b.id, input: { amount: 500, reason: "Goodwill" } });
    expect(refund).toMatchObject({ status: "pending", origin: "manual", amount: { amount: 500, currency: "EUR" } });
    expect(await unbalancedEntries(t, s.tenant.id)).toEqual([]);
    expect(await balances(t, s.tenant.id, b.id)).toMatchObject({ customer_deposits: -1500, refunds_payable: -500 });
    const [entry] = await t.database.admin(
      "SELECT kind FROM journal_entries WHERE tenant_id = $1 AND source_type = 'refund' AND source_id = $2",
      [s.tenant.id, refund.id],
    );
    expect(entry?.kind).toBe("refund.decided");
    expect((await refundEvents(s.tenant.id)).map((e) => e.payload)).toEqual([
      { bookingId: b.id, refundId: refund.id, attempt: 1 },
    ]);

    const outcome = {
      tenantId: s.tenant.id,
      refundId: refund.id,
      stripeRefundId: "re_1",
      status: "succeeded" as const,
      applicationFeeRefunded: 50,
      occurredAt: TEST_NOW,
    };
    for (let i = 0; i < 3; i++) await ctx.db.withTenantTx(ctx.tenantId, (tx) => applyRefundOutcome(tx, outcome));
    const after = await balances(t, s.tenant.id, b.id);
    expect(after.refunds_payable ?? 0).toBe(0);
    expect(after).toMatchObject({ customer_deposits: -1500, stripe_balance: 1750 - 450, platform_fees: 150 });
    expect(await unbalancedEntries(t, s.tenant.id)).toEqual([]);
    const [row] = await t.database.admin("SELECT status, stripe_refund_id, settled_at FROM refunds WHERE id = $1", [
      refund.id,
    ]);
    expect(row).toMatchObject({ status: "succeeded", stripe_refund_id: "re_1" });
    expect(row?.settled_at).not.toBeNull();
  });

  it("pending then succeeded posts the acceptance once; a refund nobody knows is null", async () => {
    const { s, ctx } = await setup();
    const b = await paidBooking(t, s, FAR, { amount: 1000 });
    const refund = await createRefund({ ctx, bookingId: b.id, input: { reason: "All of it" } });
    expect(refund.amount.amount).toBe(1000);
    const base = { tenantId: s.tenant.id, stripeRefundId: "re_2", occurredAt: TEST_NOW };
    await ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
      await applyRefundOutcome(tx, { ...base, refundId: refund.id, status: "pending" });
      // the webhook names only Stripe's id
      await applyRefundOutcome(tx, { ...base, status: "succeeded" });
      expect(await applyRefundOutcome(tx, { ...base, stripeRefundId: "re_unknown", status: "succeeded" })).toBeNull();
    });
    const accepted = await t.database.admin(
      "SELECT count(*)::int AS n FROM journal_entries WHERE tenant_id = $1 AND source_type = 'refund_accepted'",
      [s.tenant.id],
    );
    expect(accepted[0]?.n).toBe(1);
    expect((await balances(t, s.tenant.id, b.id)).refunds_payable ?? 0).toBe(0);
    const [row] = await t.database.admin("SELECT status FROM refunds WHERE id = $1", [refund.id]);
    expect(row?.status).toBe("succeeded");
  });

  it("a failure after acceptance makes the refund owed again; a retry is the next attempt and settles it", async () => {
    const { s, ctx } = await setup();
    const b = await paidBooking(t, s, FAR, { amount: 1000, platformFee: 100 });
    const refund = await createRefund({ ctx, bookingId: b.id, input: { amount: 400, reason: "Partial" } });
    const base = { tenantId: s.tenant.id, refundId: refund.id, occurredAt: TEST_NOW, applicationFeeRefunded: 40 };
    await ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
      await applyRefundOutcome(tx, { ...base, stripeRefundId: "re_a", status: "pending" });
      await applyRefundOutcome(tx, { ...base, stripeRefundId: "re_a", status: "failed", failureReason: "lost_card" });
      // a late `succeeded` of the failed attempt changes nothing
      await applyRefundOutcome(tx, { ...base, stripeRefundId: "re_a", status: "succeeded" });
    });
    expect(await balances(t, s.tenant.id, b.id)).toMatchObject({ refunds_payable: -400, customer_deposits: -600 });
    const [failed] = await t.database.admin("SELECT status, failure_reason FROM refunds WHERE id = $1", [refund.id]);
    expect(failed).toEqual({ status: "failed", failure_reason: "lost_card" });
    // still owed: nothing more is refundable than before
    await expect(
      createRefund({ ctx, bookingId: b.id, input: { amount: 601, reason: "Too much" } }),
    ).rejects.toMatchObject({ code: "REFUND_EXCEEDS_REFUNDABLE" });

    const retried = await retryRefund({ ctx, bookingId: b.id, refundId: refund.id });
    expect(retried).toMatchObject({ status: "pending", attempt: 2, stripeRefundId: null, failureReason: null });
    await expect(retryRefund({ ctx, bookingId: b.id, refundId: refund.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await refundEvents(s.tenant.id)).map((e) => e.payload.attempt)).toEqual([1, 2]);
    await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
      applyRefundOutcome(tx, { ...base, stripeRefundId: "re_b", status: "succeeded" }),
    );
    expect((await balances(t, s.tenant.id, b.id)).refunds_payable ?? 0).toBe(0);
    expect(await unbalancedEntries(t, s.tenant.id)).toEqual([]);
  });

  it("refuses above paid − refunded − pending, with nothing written", async () => {
    const { s, ctx } = await setup();
    const b = await paidBooking(t, s, FAR, { amount: 1000 });
    await createRefund({ ctx, bookingId: b.id, input: { amount: 700, reason: "First" } });
    await expect(
      createRefund({ ctx, bookingId: b.id, input: { amount: 301, reason: "Second" } }),
    ).rejects.toMatchObject({
      code: "REFUND_EXCEEDS_REFUNDABLE",
    });
    const second = await createRefund({ ctx, bookingId: b.id, input: { reason: "The rest" } });
    expect(second.amount.amount).toBe(300);
    await expect(createRefund({ ctx, bookingId: b.id, input: { reason: "Nothing left" } })).rejects.toMatchObject({
      code: "REFUND_EXCEEDS_REFUNDABLE",
    });
    const rows = await t.database.admin("SELECT amount FROM refunds WHERE booking_id = $1 ORDER BY amount", [b.id]);
    expect(rows.map((r) => Number(r.amount))).toEqual([300, 700]);
  });
});

describe("the payments.refund effect", () => {
  function event(tenantId: string, e: { id: string; payload: Record<string, unknown> }): OutboxEvent {
    return {
      id: e.id,
      tenantId,
      type: "payments.refund",
      aggregateId: String(e.payload.refundId),
      payload: e.payload,
      createdAt: TEST_NOW,
    };
  }

  it("asks the provider once per attempt with refund:<id> and applies its answer; without a provider it throws", async () => {
    const { s, ctx } = await setup();
    const b = await paidBooking(t, s, FAR, { amount: 1200 });
    const refund = await createRefund({ ctx, bookingId: b.id, input: { amount: 200, reason: "Effect" } });
    const [e] = await refundEvents(s.tenant.id);
    const calls: CreateRefundInput[] = [];
    const provider: RefundProvider = {
      accountOf: async () => "acct_test",
      createRefund: async (input) => {
        calls.push(input);
        return { id: "re_eff", status: "pending", applicationFeeRefunded: 0 };
      },
    };
    const run = (p: RefundProvider | null) =>
      ctx.db.withTenantTx(ctx.tenantId, (tx) =>
        createRefundHandler(p).run({
          tx,
          event: event(s.tenant.id, e!),
          providers: {},
          config: ctx.config,
          now: TEST_NOW,
        }),
      );
    await expect(run(null)).rejects.toThrow(/No payments provider/);
    await run(provider);
    await run(provider); // redelivered: Stripe holds the attempt already, nothing is asked twice
    expect(calls[0]).toEqual({
      account: "acct_test",
      paymentIntent: b.paymentIntent,
      amount: 200,
      refundApplicationFee: true,
      idempotencyKey: `refund:${refund.id}`,
      metadata: { bookra_refund_id: refund.id, bookra_booking_id: b.id },
    });
    expect(calls).toHaveLength(1);
    expect((await balances(t, s.tenant.id, b.id)).refunds_payable ?? 0).toBe(0);
    expect(await unbalancedEntries(t, s.tenant.id)).toEqual([]);
  });
});

describe("cancellation and no-show by the policy", () => {
  async function withPolicy(cancellation: Record<string, number>) {
    const { s, ctx } = await setup();
    const res = await t.request("PATCH", "/v1/admin/tenant", {
      key: s.tenant.apiKey,
      body: { policies: { cancellation } },
    });
    expect(res.status).toBe(200);
    return { s, ctx };
  }
  const cancel = (s: { tenant: { slug: string } }, id: string, token: string) =>
    t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${id}/cancel`, {
      headers: { authorization: `Bearer ${token}` },
    });
  const refundsOf = (id: string) =>
    t.database.admin("SELECT amount, origin, status FROM refunds WHERE booking_id = $1", [id]);

  it("a customer inside the free window gets everything back, and a retried cancel refunds nothing more", async () => {
    const { s } = await withPolicy({ freeUntilHours: 24, lateKeepPercent: 50 });
    const b = await paidBooking(t, s, FAR, { amount: 1500 });
    expect((await cancel(s, b.id, b.manageToken)).status).toBe(200);
    expect((await cancel(s, b.id, b.manageToken)).status).toBe(200);
    expect(await refundsOf(b.id)).toEqual([{ amount: "1500", origin: "cancellation", status: "pending" }]);
    expect(await balances(t, s.tenant.id, b.id)).toMatchObject({ customer_deposits: 0, refunds_payable: -1500 });
  });

  it("a late customer cancellation keeps X % as a cancellation fee, in one feeRetained entry", async () => {
    const { s } = await withPolicy({ freeUntilHours: 24, lateKeepPercent: 30 });
    const b = await paidBooking(t, s, SOON, { amount: 1001 });
    expect((await cancel(s, b.id, b.manageToken)).status).toBe(200);
    expect(await refundsOf(b.id)).toEqual([{ amount: "701", origin: "cancellation", status: "pending" }]);
    expect(await balances(t, s.tenant.id, b.id)).toMatchObject({
      customer_deposits: 0,
      cancellation_fees: -300,
      refunds_payable: -701,
    });
    const [entry] = await t.database.admin(
      "SELECT kind FROM journal_entries WHERE source_type = 'refund' AND tenant_id = $1",
      [s.tenant.id],
    );
    expect(entry?.kind).toBe("booking.late_cancellation");
    expect(await unbalancedEntries(t, s.tenant.id)).toEqual([]);
  });

  it("the owner cancelling late refunds in full", async () => {
    const { s } = await withPolicy({ freeUntilHours: 24, lateKeepPercent: 100 });
    const b = await paidBooking(t, s, SOON, { amount: 900 });
    const res = await t.request("POST", `/v1/admin/bookings/${b.id}/cancel`, { key: s.tenant.apiKey });
    expect(res.status).toBe(200);
    expect(await refundsOf(b.id)).toEqual([{ amount: "900", origin: "cancellation", status: "pending" }]);
  });

  it("keeping everything posts the fee alone, and no refund", async () => {
    const { s } = await withPolicy({ freeUntilHours: 24, lateKeepPercent: 100 });
    const b = await paidBooking(t, s, SOON, { amount: 900 });
    expect((await cancel(s, b.id, b.manageToken)).status).toBe(200);
    expect(await refundsOf(b.id)).toEqual([]);
    expect(await balances(t, s.tenant.id, b.id)).toMatchObject({ customer_deposits: 0, cancellation_fees: -900 });
    expect(await refundEvents(s.tenant.id)).toEqual([]);
  });

  it("a no-show keeps Y % and refunds the rest", async () => {
    const { s } = await withPolicy({ freeUntilHours: 24, lateKeepPercent: 100, noShowKeepPercent: 40 });
    const b = await paidBooking(t, s, SOON, { amount: 1000 });
    t.clock.now = new Date("2027-03-01T13:00:00Z");
    try {
      const res = await t.request("POST", `/v1/admin/bookings/${b.id}/no-show`, { key: s.tenant.apiKey });
      expect(res.status).toBe(200);
    } finally {
      t.clock.now = TEST_NOW;
    }
    expect(await refundsOf(b.id)).toEqual([{ amount: "600", origin: "no_show", status: "pending" }]);
    expect(await balances(t, s.tenant.id, b.id)).toMatchObject({
      customer_deposits: 0,
      cancellation_fees: -400,
      refunds_payable: -600,
    });
  });

  it("a booking that paid nothing cancels as before: no refund, no entry", async () => {
    const { s } = await withPolicy({ freeUntilHours: 24, lateKeepPercent: 50 });
    const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start: SOON, customer: { name: "N", email: "n@example.com" } },
    });
    expect((await cancel(s, res.body.booking.id, res.body.manageToken)).status).toBe(200);
    expect(await refundsOf(res.body.booking.id)).toEqual([]);
    expect(await balances(t, s.tenant.id)).toEqual({});
  });
});
