// completeBooking on the real database: several completions of one business (deposits, desk payments by method,
// tips for two staff members, discounts, a balance left due) leave a trial balance that sums to zero and holds the
// figures the settlements give — service_revenue = ΣR, tips_payable:<staff> = ΣT, commissions as computed.
import { describe, expect, it } from "vitest";
import { TEST_NOW, useTestApp } from "../../../../test/helpers/app.ts";
import { createSalon, customer } from "../../../../test/helpers/salon.ts";
import { commissionFor, depositPaid } from "../../domain/ledger.ts";
import type { CompletionInput } from "../../schemas/completion.ts";
import type { ServiceConfig, TenantCtx } from "../context.ts";
import { postEntry } from "../ledger/post.ts";
import { ledgerBalances } from "../ledger/read.ts";
import { completeBooking } from "./complete.ts";

const t = useTestApp();

describe("completeBooking and the ledger", () => {
  it("posts balanced entries whose balances are the sums of the settlements", async () => {
    const s = await createSalon(t, { staff: 2 });
    const [a, b] = s.staffIds as [string, string];
    const ctx: TenantCtx = { db: t.database.db, tenantId: s.tenant.id, now: TEST_NOW, config: {} as ServiceConfig };
    const cases: { staffId: string; deposit: number; input: CompletionInput }[] = [
      { staffId: a, deposit: 1500, input: { payments: [{ method: "cash", amount: 4000 }], tip: { amount: 500 } } },
      {
        staffId: b,
        deposit: 0,
        input: { payments: [{ method: "card", amount: 4500 }], discount: 700, tip: { amount: 200, staffId: a } },
      },
      { staffId: a, deposit: 2000, input: { payments: [{ method: "other", amount: 1000 }], acceptBalanceDue: true } },
      { staffId: b, deposit: 0, input: { discount: 5000 } },
    ];
    let hour = 9;
    const want = { revenue: 0, tipsA: 0, commissionA: 0, commissionB: 0, desk: 0, discounts: 0 };
    for (const c of cases) {
      const r = await t.request("POST", "/v1/admin/bookings", {
        key: s.tenant.apiKey,
        body: {
          serviceId: s.serviceId,
          staffId: c.staffId,
          start: `2027-03-02T${String(hour++).padStart(2, "0")}:00:00Z`,
          customer: customer(hour),
        },
      });
      const id = r.body.booking.id as string;
      if (c.deposit)
        await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
          postEntry(tx, {
            tenantId: ctx.tenantId,
            occurredAt: TEST_NOW,
            kind: "deposit.paid",
            source: { type: "stripe_event", id: `evt_${id}` },
            lines: depositPaid({ currency: "EUR", bookingId: id, amount: c.deposit, stripeFee: 40, platformFee: 60 })
              .lines,
          }),
        );
      const done = await completeBooking({ ctx, id, input: c.input });
      const k = done.completion!;
      expect(k.revenue).toBe(5000 - k.balanceDue);
      expect(k.commission).toBe(commissionFor(3000, k.revenue, k.discount));
      want.revenue += k.revenue;
      want.tipsA += k.tip?.amount ?? 0;
      want.desk += k.payments.reduce((sum, p) => sum + p.amount, 0);
      want.discounts += k.discount;
      if (c.staffId === a) want.commissionA += k.commission;
      else want.commissionB += k.commission;
    }
    const balances = await ledgerBalances({ ctx });
    const of = (account: string) => balances.accounts.find((x) => x.account === account)?.balance ?? 0;
    expect(balances.totals).toEqual([{ currency: "EUR", balance: 0 }]);
    expect(of("service_revenue")).toBe(-want.revenue);
    expect(of(`tips_payable:${a}`)).toBe(-want.tipsA);
    expect(of(`tips_payable:${b}`)).toBe(0);
    expect(of(`commissions_payable:${a}`)).toBe(-want.commissionA);
    expect(of(`commissions_payable:${b}`)).toBe(-want.commissionB);
    expect(of("commission_expense")).toBe(want.commissionA + want.commissionB);
    expect(of("desk:cash") + of("desk:card") + of("desk:other")).toBe(want.desk);
    expect(of("discounts")).toBe(want.discounts);
    expect(of("customer_deposits")).toBe(0); // every deposit moved to revenue at completion
    expect(want).toEqual({
      revenue: 18000,
      tipsA: 700,
      commissionA: 2400,
      commissionB: 1290,
      desk: 9500,
      discounts: 5700,
    });
  });
});
