// Paying a staff member their commission and tips (issue 14 item 2): the staff_payments row and its journal entry
// (staffPaid, source commission_payment:<id>) in one transaction. More than owed is 422 STAFF_OVERPAID, nothing stored.
import { eq } from "drizzle-orm";
import { staff, staffPayments, tenants } from "../../db/schema/index.ts";
import { staffPaid } from "../../domain/ledger.ts";
import { AppError, NotFound } from "../../errors.ts";
import { newId } from "../../lib/ids.ts";
import type { StaffPayment, StaffPaymentInput } from "../../schemas/commissions.ts";
import type { TenantCtx } from "../context.ts";
import { postEntry } from "../ledger/post.ts";
import { owedTo } from "./statement.ts";

/** Posts the payment: tips owed are settled first, then commission. See docs/API.md "Staff statements". */
export async function payStaff({
  ctx,
  staffId,
  input,
}: {
  ctx: TenantCtx;
  staffId: string;
  input: StaffPaymentInput;
}): Promise<StaffPayment> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    // One payment per staff member at a time: the owed check and the posting see the same balance.
    const [member] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, staffId)).for("update");
    if (!member) throw new NotFound("Staff member");
    const [tenant] = await tx.select({ currency: tenants.currency }).from(tenants).where(eq(tenants.id, ctx.tenantId));
    const currency = (tenant?.currency ?? "").trim();
    const owed = await owedTo(tx, staffId);
    const total = Math.max(0, owed.commission) + Math.max(0, owed.tips);
    if (input.amount > total)
      throw new AppError(
        "STAFF_OVERPAID",
        `The payment (${input.amount}) is more than the ${total} owed (commission ${owed.commission}, tips ${owed.tips})`,
      );
    const tips = Math.min(input.amount, Math.max(0, owed.tips));
    const commission = input.amount - tips;
    const id = newId("spy");
    await tx.insert(staffPayments).values({
      id,
      tenantId: ctx.tenantId,
      staffId,
      amount: input.amount,
      commission,
      tips,
      currency,
      method: input.method,
      periodFrom: input.period.from,
      periodTo: input.period.to,
      createdAt: ctx.now,
    });
    const p = staffPaid({
      currency,
      staffId,
      commission,
      tips,
      from: input.method === "bank" ? "bank" : "desk:cash",
    });
    const posted = await postEntry(tx, {
      tenantId: ctx.tenantId,
      occurredAt: ctx.now,
      kind: p.kind,
      source: { type: "commission_payment", id },
      lines: p.lines,
    });
    return {
      id,
      staffId,
      amount: input.amount,
      commission,
      tips,
      currency,
      method: input.method,
      period: input.period,
      entryId: posted?.entry.id ?? "",
      balanceOwed: total - input.amount,
      createdAt: ctx.now.toISOString(),
    };
  });
}
