// Posting on the real database: every fact of the posting rules for two bookings of one business, in the order money
// moves, then the trial balance (hand-computed); replays and races post once; reversals undo and name their entry.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TEST_NOW, useTestApp } from "../../../../test/helpers/app.ts";
import { createSalon, customer } from "../../../../test/helpers/salon.ts";
import {
  bookingCompleted,
  commissionEarned,
  commissionFor,
  depositPaid,
  disputeLost,
  disputeOpened,
  disputeWon,
  feeRetained,
  type Posting,
  type PostingLine,
  payoutPaid,
  refundAccepted,
  refundDecidedAfterCompletion,
  refundDecidedBeforeCompletion,
  refundFailed,
  staffPaid,
} from "../../domain/ledger.ts";
import { AppError } from "../../errors.ts";
import type { ServiceConfig } from "../context.ts";
import { type LedgerSource, postEntry, reverseEntry } from "./post.ts";
import { ledgerBalances } from "./read.ts";

const t = useTestApp();

async function business() {
  const s = await createSalon(t);
  const key = s.tenant.apiKey;
  const book = async (start: string, n: number) => {
    const r = await t.request("POST", "/v1/admin/bookings", {
      key,
      body: { serviceId: s.serviceId, start, customer: customer(n) },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.booking.id as string;
  };
  const staffId = s.staffIds[0]!;
  const first = await book("2027-03-02T10:00:00Z", 1);
  const second = await book("2027-03-02T12:00:00Z", 2);
  const ctx = { db: t.database.db, tenantId: s.tenant.id, now: TEST_NOW, config: {} as ServiceConfig };
  return { s, staffId, first, second, ctx };
}

const minute = (i: number) => new Date(Date.parse("2027-03-02T09:00:00Z") + i * 60_000);

describe("posting every fact of the posting rules", () => {
  it("leaves the balances the rules give, summing to zero, with closed bookings at zero deposits", async () => {
    const { s, staffId, first, second, ctx } = await business();
    const b1 = { currency: "EUR", bookingId: first, staffId, serviceId: s.serviceId };
    const b2 = { currency: "EUR", bookingId: second, staffId, serviceId: s.serviceId };
    const facts: [LedgerSource, Posting][] = [
      [{ type: "stripe_event", id: "evt_pay1" }, depositPaid({ ...b1, amount: 1500, stripeFee: 43, platformFee: 150 })],
      [{ type: "refund", id: "rfd_1" }, refundDecidedBeforeCompletion({ ...b1, amount: 500 })],
      [{ type: "stripe_event", id: "evt_rf1" }, refundAccepted({ ...b1, amount: 500, applicationFeeRefunded: 50 })],
      [{ type: "refund", id: "rfd_2" }, refundDecidedBeforeCompletion({ ...b1, amount: 200 })],
      [{ type: "stripe_event", id: "evt_rf2" }, refundAccepted({ ...b1, amount: 200 })],
      [{ type: "stripe_event", id: "evt_rf2_failed" }, refundFailed({ ...b1, amount: 200 })],
      [
        { type: "booking_completion", id: first },
        bookingCompleted({
          ...b1,
          price: 5000,
          deposits: 800,
          desk: { cash: 3000, card: 1000 },
          tip: 300,
          discount: 500,
        }),
      ],
      [{ type: "commission", id: first }, commissionEarned({ ...b1, commission: commissionFor(3000, 5000, 500) })],
      [
        { type: "refund", id: "rfd_3" },
        refundDecidedAfterCompletion({ ...b1, amount: 1000, revenue: 5000, commission: 1350 }),
      ],
      [{ type: "stripe_event", id: "evt_rf3" }, refundAccepted({ ...b1, amount: 1000 })],
      [{ type: "stripe_event", id: "evt_dp1" }, disputeOpened({ ...b1, amount: 800, fee: 1500 })],
      [{ type: "stripe_event", id: "evt_dp1_lost" }, disputeLost({ ...b1, amount: 800 })],
      [{ type: "stripe_event", id: "evt_pay2" }, depositPaid({ ...b2, amount: 2000, stripeFee: 50, platformFee: 200 })],
      [{ type: "booking_no_show", id: second }, feeRetained({ ...b2, reason: "no_show", deposits: 2000, fee: 1000 })],
      [{ type: "stripe_event", id: "evt_rf4" }, refundAccepted({ ...b2, amount: 1000, applicationFeeRefunded: 100 })],
      [{ type: "stripe_event", id: "evt_dp2" }, disputeOpened({ ...b2, amount: 500, fee: 1500 })],
      [{ type: "stripe_event", id: "evt_dp2_won" }, disputeWon({ ...b2, amount: 500, feeReturned: 1500 })],
      [{ type: "stripe_event", id: "evt_po1" }, payoutPaid({ currency: "EUR", amount: 3000 })],
      [{ type: "stripe_event", id: "evt_po2" }, payoutPaid({ currency: "EUR", amount: 2000 })],
      [
        { type: "staff_payment", id: "sp_1" },
        staffPaid({ currency: "EUR", staffId, commission: 1080, tips: 300, from: "bank" }),
      ],
    ];
    let payout1 = "";
    for (const [i, [source, p]] of facts.entries()) {
      const posted = await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
        postEntry(tx, { tenantId: ctx.tenantId, occurredAt: minute(i), kind: p.kind, source, lines: p.lines }),
      );
      expect(posted?.created, source.id).toBe(true);
      if (source.id === "evt_po1") payout1 = posted!.entry.id;
    }
    // the first payout failed after it was paid: its reversing entry
    const failed = await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
      reverseEntry(tx, {
        tenantId: ctx.tenantId,
        entryId: payout1,
        occurredAt: minute(facts.length),
        kind: "payout.failed",
        source: { type: "stripe_event", id: "evt_po1_failed" },
      }),
    );
    expect(failed.entry).toMatchObject({ kind: "payout.failed", reversesEntryId: payout1 });

    const { accounts, totals } = await ledgerBalances({ ctx: { ...ctx, now: minute(99) } });
    expect(Object.fromEntries(accounts.map((a) => [a.account, a.balance]))).toEqual({
      bank: 620,
      cancellation_fees: -1000,
      commission_expense: 1080,
      [`commissions_payable:${staffId}`]: 0,
      customer_deposits: 0,
      "desk:card": 1000,
      "desk:cash": 3000,
      discounts: 500,
      dispute_fees: 1500,
      dispute_losses: 800,
      disputed_funds: 0,
      platform_fees: 200,
      refunds_given: 1000,
      refunds_payable: -200, // the failed refund is owed again
      service_revenue: -5000,
      stripe_balance: -3593,
      stripe_fees: 93,
      [`tips_payable:${staffId}`]: 0,
    });
    expect(totals).toEqual([{ currency: "EUR", balance: 0 }]);
    expect(accounts.find((a) => a.account === `tips_payable:${staffId}`)?.type).toBe("liability");
    expect(accounts.find((a) => a.account === "refunds_given")?.type).toBe("income");

    // at an earlier instant: the first deposit alone (occurred at minute 0, inclusive)
    const early = await ledgerBalances({ ctx, at: minute(0).toISOString() });
    expect(Object.fromEntries(early.accounts.map((a) => [a.account, a.balance]))).toEqual({
      customer_deposits: -1500,
      platform_fees: 150,
      stripe_balance: 1307,
      stripe_fees: 43,
    });
    expect((await ledgerBalances({ ctx, at: "2027-03-01T00:00:00Z" })).accounts).toEqual([]);
    // every line of the booking's facts carries the booking, staff and service
    const lines = await t.database.admin<{ n: number }>(
      "SELECT count(*)::int AS n FROM journal_lines WHERE booking_id = $1 AND staff_id = $2 AND service_id = $3",
      [first, staffId, s.serviceId],
    );
    expect(lines[0]!.n).toBeGreaterThan(20);
  });
});

describe("once per source", () => {
  it("a replay returns the first entry and writes nothing", async () => {
    const { s, staffId, first, ctx } = await business();
    const p = depositPaid({
      currency: "EUR",
      bookingId: first,
      staffId,
      serviceId: s.serviceId,
      amount: 1000,
      stripeFee: 30,
      platformFee: 0,
    });
    const post = (lines = p.lines) =>
      ctx.db.withTenantTx(ctx.tenantId, (tx) =>
        postEntry(tx, {
          tenantId: ctx.tenantId,
          occurredAt: minute(1),
          kind: p.kind,
          source: { type: "stripe_event", id: "evt_once" },
          lines,
        }),
      );
    const one = await post();
    const two = await post(payoutPaid({ currency: "EUR", amount: 5 }).lines); // other lines: still the first entry
    expect(one?.created).toBe(true);
    expect(two).toEqual({ created: false, entry: one!.entry });
    expect(
      await t.database.admin("SELECT count(*)::int AS n FROM journal_entries WHERE tenant_id = $1", [ctx.tenantId]),
    ).toEqual([{ n: 1 }]);
  });

  it("two transactions racing to post one source: the unique constraint lets one in, both answer with it", async () => {
    const { ctx } = await business();
    const p = payoutPaid({ currency: "EUR", amount: 700 });
    const post = () =>
      ctx.db.withTenantTx(ctx.tenantId, (tx) =>
        postEntry(tx, {
          tenantId: ctx.tenantId,
          occurredAt: minute(2),
          kind: p.kind,
          source: { type: "stripe_event", id: "evt_race" },
          lines: p.lines,
        }),
      );
    const results = await Promise.all(Array.from({ length: 6 }, post));
    expect(results.filter((r) => r?.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r?.entry.id)).size).toBe(1);
    const [row] = await t.database.admin<{ e: number; l: number }>(
      `SELECT (SELECT count(*)::int FROM journal_entries WHERE tenant_id = $1) AS e,
              (SELECT count(*)::int FROM journal_lines WHERE tenant_id = $1) AS l`,
      [ctx.tenantId],
    );
    expect(row).toEqual({ e: 1, l: 2 });
  });
});

describe("refusals that write nothing", () => {
  it("unbalanced lines, an unknown account, another business's booking, an empty posting, a second reversal", async () => {
    const { ctx } = await business();
    const other = await business();
    const tx = <T>(fn: Parameters<typeof ctx.db.withTenantTx<T>>[1]) => ctx.db.withTenantTx(ctx.tenantId, fn);
    const line = { currency: "EUR", bookingId: null, staffId: null, serviceId: null };
    const input = (lines: PostingLine[]) => ({
      tenantId: ctx.tenantId,
      occurredAt: minute(3),
      kind: "test",
      source: { type: "test", id: crypto.randomUUID() },
      lines,
    });
    await expect(tx((x) => postEntry(x, input([{ ...line, account: "bank", amount: 5 }])))).rejects.toThrow(/balance/);
    await expect(
      tx((x) =>
        postEntry(
          x,
          input([
            { ...line, account: "petty_cash", amount: 5 },
            { ...line, account: "bank", amount: -5 },
          ]),
        ),
      ),
    ).rejects.toThrow(/chart/);
    const foreign = await tx((x) =>
      postEntry(
        x,
        input([
          { ...line, account: "bank", amount: 5, bookingId: other.first },
          { ...line, account: "stripe_balance", amount: -5 },
        ]),
      ),
    ).catch((err: unknown) => err);
    expect(foreign).toBeInstanceOf(AppError);
    expect((foreign as AppError).code).toBe("VALIDATION_FAILED");
    expect(await tx((x) => postEntry(x, input([])))).toBeNull();
    expect(
      await t.database.admin("SELECT count(*)::int AS n FROM journal_entries WHERE tenant_id = $1", [ctx.tenantId]),
    ).toEqual([{ n: 0 }]);

    const paid = await tx((x) => postEntry(x, input(payoutPaid({ currency: "EUR", amount: 9 }).lines)));
    const reversal = await tx((x) =>
      reverseEntry(x, { tenantId: ctx.tenantId, entryId: paid!.entry.id, occurredAt: minute(4) }),
    );
    expect(reversal.entry.lines.map((l) => [l.account, l.amount])).toEqual([
      ["bank", -9],
      ["stripe_balance", 9],
    ]);
    // the same reversal again is a replay; under another source it is a conflict (an entry is reversed once)
    const again = await tx((x) =>
      reverseEntry(x, { tenantId: ctx.tenantId, entryId: paid!.entry.id, occurredAt: minute(5) }),
    );
    expect(again).toEqual({ created: false, entry: reversal.entry });
    await expect(
      tx((x) =>
        reverseEntry(x, {
          tenantId: ctx.tenantId,
          entryId: paid!.entry.id,
          occurredAt: minute(5),
          source: { type: "stripe_event", id: "evt_other" },
        }),
      ),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      tx((x) => reverseEntry(x, { tenantId: ctx.tenantId, entryId: "jre_nope", occurredAt: minute(5) })),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    // another business's entry is not found either (row-level security)
    await expect(
      other.ctx.db.withTenantTx(other.ctx.tenantId, (x) =>
        reverseEntry(x, { tenantId: other.ctx.tenantId, entryId: paid!.entry.id, occurredAt: minute(5) }),
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("property: random facts, each delivered 1–3 times in shuffled order", () => {
  it("post once per source, and the trial balance moves by exactly their lines, summing to zero", async () => {
    const { s, staffId, first, ctx } = await business();
    const b = { currency: "EUR", bookingId: first, staffId, serviceId: s.serviceId };
    const amount = fc.integer({ min: 1, max: 100_000 });
    const fact = fc.oneof(
      fc.tuple(amount, amount).map(([a, f]) => depositPaid({ ...b, amount: a + f, stripeFee: f, platformFee: 0 })),
      amount.map((a) => refundDecidedBeforeCompletion({ ...b, amount: a })),
      fc.tuple(amount, amount).map(([x, p]) => refundAccepted({ ...b, amount: x + p, applicationFeeRefunded: p })),
      fc.tuple(amount, amount).map(([x, f]) => disputeOpened({ ...b, amount: x, fee: f })),
      amount.map((a) => payoutPaid({ currency: "EUR", amount: a })),
      fc
        .tuple(amount, amount)
        .map(([c, t2]) => staffPaid({ currency: "EUR", staffId, commission: c, tips: t2, from: "bank" })),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fact, fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 8 }).chain((facts) => {
          const deliveries = facts.flatMap(([p, times], i) => Array.from({ length: times }, () => ({ p, i })));
          const all = { minLength: deliveries.length, maxLength: deliveries.length };
          return fc.tuple(fc.constant(facts), fc.shuffledSubarray(deliveries, all));
        }),
        async ([facts, shuffled]) => {
          run++;
          const source = (i: number) => ({ type: "stripe_event", id: `evt_r${run}_${i}` });
          const before = await ledgerBalances({ ctx: { ...ctx, now: minute(10_000) } });
          for (const d of shuffled)
            await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
              postEntry(tx, {
                tenantId: ctx.tenantId,
                occurredAt: minute(d.i),
                kind: d.p.kind,
                source: source(d.i),
                lines: d.p.lines,
              }),
            );
          const after = await ledgerBalances({ ctx: { ...ctx, now: minute(10_000) } });
          const expected = new Map<string, number>(before.accounts.map((a) => [a.account, a.balance]));
          for (const [p] of facts)
            for (const l of p.lines) expected.set(l.account, (expected.get(l.account) ?? 0) + l.amount);
          expect(Object.fromEntries(after.accounts.map((a) => [a.account, a.balance]))).toEqual(
            Object.fromEntries(expected),
          );
          expect(after.totals).toEqual([{ currency: "EUR", balance: 0 }]);
          const [row] = await t.database.admin<{ n: number }>(
            "SELECT count(*)::int AS n FROM journal_entries WHERE tenant_id = $1 AND source_id LIKE $2",
            [ctx.tenantId, `evt_r${run}_%`],
          );
          expect(row!.n).toBe(facts.length);
        },
      ),
      { numRuns: 25 },
    );
  });
});
