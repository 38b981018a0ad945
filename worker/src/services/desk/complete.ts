// Completing a booking with what was paid at the venue (issue 13 item 6): the status change, the desk payments and
// the completion's journal entries (booking_completion:<id>, commission:<id>) in one transaction. The same request
// again answers the first completion; another request is a 409.
import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { bookingCompletions, bookings, deskPayments, staff, tenants } from "../../db/schema/index.ts";
import { commissionOf } from "../../domain/commissions.ts";
import { settleAtDesk } from "../../domain/desk.ts";
import { bookingCompleted, commissionEarned, DESK_METHODS } from "../../domain/ledger.ts";
import { staffScopeOf } from "../../domain/permissions.ts";
import { AppError, Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import { newId } from "../../lib/ids.ts";
import type { CompletedBooking, CompletionInput } from "../../schemas/completion.ts";
import { toBooking } from "../bookings/view.ts";
import { commissionTermsFor } from "../commissions/rules.ts";
import type { TenantCtx } from "../context.ts";
import { requestHash } from "../idempotency/keys.ts";
import { postEntry } from "../ledger/post.ts";
import { depositsHeld, loadCompletion } from "./read.ts";

type BookingRow = typeof bookings.$inferSelect;

async function lockBooking(ctx: TenantCtx, tx: Tx, id: string): Promise<BookingRow> {
  const scope = staffScopeOf(ctx.actor);
  const [row] = await tx
    .select()
    .from(bookings)
    .where(and(eq(bookings.id, id), ...(scope ? [eq(bookings.staffId, scope)] : [])))
    .for("update");
  if (!row) throw new NotFound("Booking");
  return row;
}

/** The request as it is compared with an earlier completion: amounts per method, defaults resolved. */
function canonical(input: CompletionInput, currency: string, bookingStaffId: string) {
  const desk = Object.fromEntries(DESK_METHODS.map((m) => [m, 0])) as Record<string, number>;
  for (const p of input.payments ?? []) desk[p.method] = (desk[p.method] ?? 0) + p.amount;
  const tip = input.tip?.amount ?? 0;
  return {
    currency,
    desk,
    tip,
    tipStaffId: tip > 0 ? (input.tip?.staffId ?? bookingStaffId) : null,
    discount: input.discount ?? 0,
    acceptBalanceDue: input.acceptBalanceDue ?? input.payments === undefined,
  };
}

async function assertTipStaff(tx: Tx, staffId: string): Promise<void> {
  const [row] = await tx
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.id, staffId), isNull(staff.deletedAt)));
  if (!row)
    throw new ValidationFailed("The tip's staff member does not exist", [
      { path: ["tip", "staffId"], message: "Unknown staff member" },
    ]);
}

/**
 * Whether a completion looks up the commission rule and posts its journal entries: always `post`, but for
 * bench/commissions-bench.ts, which times the same transaction with `skip` to tell what commission + ledger posting
 * cost (no route passes it; a completion without its entries breaks the ledger's identities).
 */
export type CompletionPosting = "post" | "skip";

/** Marks a confirmed booking completed with the money taken at the desk; see docs/API.md "Completing a booking". */
export async function completeBooking({
  ctx,
  id,
  input,
  posting = "post",
}: {
  ctx: TenantCtx;
  id: string;
  input: CompletionInput;
  posting?: CompletionPosting;
}): Promise<CompletedBooking> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const row = await lockBooking(ctx, tx, id);
    const [tenant] = await tx.select({ currency: tenants.currency }).from(tenants).where(eq(tenants.id, ctx.tenantId));
    const currency = tenant?.currency ?? row.currency;
    if (input.currency !== undefined && input.currency !== currency)
      throw new ValidationFailed(`Amounts are in the business's currency, ${currency}`, [
        { path: ["currency"], message: `Expected ${currency}` },
      ]);
    const request = canonical(input, row.currency, row.staffId);
    const hash = await requestHash(`complete:${id}`, request);
    if (row.status === "completed") {
      const done = await loadCompletion(tx, id);
      if (done ? done.requestHash === hash : isEmpty(input))
        return { ...toBooking(row), completion: done?.view ?? null };
      throw new AppError(
        "ALREADY_COMPLETED",
        "This booking was completed with other payments; the first completion stands",
      );
    }
    if (row.status !== "confirmed") throw new Conflict("Only a confirmed booking can be marked completed");
    if (request.tipStaffId) await assertTipStaff(tx, request.tipStaffId);
    const deposits = await depositsHeld(tx, id);
    const atDesk = settleAtDesk({
      price: Number(row.priceAmount),
      deposits,
      payments: input.payments ?? [],
      tip: request.tip,
      discount: request.discount,
      acceptBalanceDue: request.acceptBalanceDue,
      commissionBps: 0,
    });
    // The commission rule in force at the appointment's start (issue 14), on the revenue net of the discount.
    const terms =
      posting === "post"
        ? await commissionTermsFor(tx, {
            tenantId: ctx.tenantId,
            staffId: row.staffId,
            serviceId: row.serviceId,
            startsAt: row.startsAt,
          })
        : null;
    const settled = { ...atDesk, commission: terms ? commissionOf(terms, atDesk.revenue - atDesk.discount) : 0 };
    const [updated] = await tx
      .update(bookings)
      .set({ status: "completed", updatedAt: ctx.now, completedAt: ctx.now })
      .where(eq(bookings.id, id))
      .returning();
    await tx.insert(bookingCompletions).values({
      tenantId: ctx.tenantId,
      bookingId: id,
      currency: row.currency,
      price: Number(row.priceAmount),
      deposits,
      discount: settled.discount,
      tip: settled.tip,
      tipStaffId: request.tipStaffId,
      balanceDue: settled.balanceDue,
      revenue: settled.revenue,
      commission: settled.commission,
      requestHash: hash,
      completedAt: ctx.now,
    });
    const lines = (input.payments ?? []).map((p) => ({
      id: newId("dsk"),
      tenantId: ctx.tenantId,
      bookingId: id,
      method: p.method,
      amount: p.amount,
      currency: row.currency,
      createdAt: ctx.now,
    }));
    if (lines.length > 0) await tx.insert(deskPayments).values(lines);
    if (posting === "post") await postCompletion(ctx, tx, row, { ...settled, deposits }, request.tipStaffId);
    const done = await loadCompletion(tx, id);
    return { ...toBooking(updated!), completion: done?.view ?? null };
  });
}

function isEmpty(input: CompletionInput): boolean {
  return Object.values(input).every((v) => v === undefined);
}

/** The completion entry and the commission entry, in the caller's transaction (MONEY.md posting rules). */
async function postCompletion(
  ctx: TenantCtx,
  tx: Tx,
  row: BookingRow,
  s: ReturnType<typeof settleAtDesk> & { deposits: number },
  tipStaffId: string | null,
): Promise<void> {
  const concerns = { currency: row.currency, bookingId: row.id, serviceId: row.serviceId };
  const completed = bookingCompleted({
    ...concerns,
    staffId: tipStaffId ?? row.staffId,
    price: s.revenue,
    deposits: s.deposits,
    desk: s.desk,
    tip: s.tip,
    discount: s.discount,
  });
  // Every line but the tip's concerns the staff member who performed the service.
  const lines = completed.lines.map((l) =>
    l.account.startsWith("tips_payable:") ? l : { ...l, staffId: row.staffId },
  );
  await postEntry(tx, {
    tenantId: ctx.tenantId,
    occurredAt: ctx.now,
    kind: completed.kind,
    source: { type: "booking_completion", id: row.id },
    lines,
  });
  const commission = commissionEarned({ ...concerns, staffId: row.staffId, commission: s.commission });
  await postEntry(tx, {
    tenantId: ctx.tenantId,
    occurredAt: ctx.now,
    kind: commission.kind,
    source: { type: "commission", id: row.id },
    lines: commission.lines,
  });
}
