// Deciding a refund inside the caller's transaction (invariant 3): the refunds row, its ledger entry (source
// `refund:<id>`) and its `payments.refund` outbox row commit together with the change that caused it, or not at all.
import { and, desc, eq, sql } from "drizzle-orm";
import { noteOutboxWritten, type Tx } from "../../db/client.ts";
import { type bookings, journalLines, payments, type RefundOrigin, refunds, tenants } from "../../db/schema/index.ts";
import { commissionOf, commissionReversal } from "../../domain/commissions.ts";
import {
  commissionEarned,
  commissionReversed,
  feeRetained,
  type PostingLine,
  refundDecidedAfterCompletion,
  refundDecidedBeforeCompletion,
} from "../../domain/ledger.ts";
import { cancellationPolicyOf, type RefundActor, type RefundDecision, refundFor } from "../../domain/refunds.ts";
import { newId } from "../../lib/ids.ts";
import { commissionTermsFor } from "../commissions/rules.ts";
import { postEntry } from "../ledger/post.ts";

type BookingRow = typeof bookings.$inferSelect;

/** The outbox event whose effect asks the payments provider for the refund (effects/handlers/refund.ts). */
export const REFUND_EVENT = "payments.refund";

/**
 * What a booking paid, what was refunded or promised (every refund row counts: a failed one is still owed), in one
 * currency: the booking's, unless a mismatched payment brought another (its refunds go back in that currency).
 */
export interface BookingMoney {
  paid: number;
  refunded: number;
  currency: string;
  /** The payment a refund goes against (the latest in `currency`); null when nothing was paid through Bookra. */
  payment: { id: string; providerRef: string } | null;
}

/**
 * The booking's money in `currency` when given (a refund made in Stripe's dashboard, in its own currency); otherwise
 * in the first currency with something left to refund, the booking's first, else the latest payment's.
 */
export async function bookingMoney(
  tx: Tx,
  booking: { id: string; currency: string },
  currency?: string,
): Promise<BookingMoney> {
  const paid = await tx
    .select({
      id: payments.id,
      amount: payments.amount,
      currency: payments.currency,
      providerRef: payments.providerRef,
    })
    .from(payments)
    .where(eq(payments.bookingId, booking.id))
    .orderBy(desc(payments.createdAt), desc(payments.id));
  const refunded = await tx
    .select({ currency: refunds.currency, sum: sql<string>`coalesce(sum(${refunds.amount}), 0)` })
    .from(refunds)
    .where(eq(refunds.bookingId, booking.id))
    .groupBy(refunds.currency);
  const moneyIn = (c: string): BookingMoney => {
    const mine = paid.filter((p) => p.currency.trim() === c);
    const latest = mine[0];
    return {
      paid: mine.reduce((s, p) => s + Number(p.amount), 0),
      refunded: Number(refunded.find((r) => r.currency.trim() === c)?.sum ?? 0),
      currency: c,
      payment: latest ? { id: latest.id, providerRef: latest.providerRef } : null,
    };
  };
  if (currency) return moneyIn(currency);
  const candidates = [booking.currency.trim(), ...paid.map((p) => p.currency.trim())].map(moneyIn);
  return candidates.find((m) => m.paid > m.refunded) ?? moneyIn((paid[0]?.currency ?? booking.currency).trim());
}

/** What the ledger still holds for the booking in `customer_deposits`, in `currency` (unearned money; positive). */
async function depositsHeld(tx: Tx, bookingId: string, currency: string): Promise<number> {
  const [row] = await tx
    .select({ sum: sql<string>`coalesce(sum(${journalLines.amount}), 0)` })
    .from(journalLines)
    .where(
      and(
        eq(journalLines.bookingId, bookingId),
        eq(journalLines.account, "customer_deposits"),
        eq(journalLines.currency, currency),
      ),
    );
  return Math.max(0, -Number(row?.sum ?? 0));
}

/**
 * The commission a refund of `amount` of recognised revenue takes back (domain/commissions.ts commissionReversal),
 * from the booking's lines in `currency`: commission earned and already reversed, revenue recognised (service revenue
 * and fees kept, less discounts) and refunded after completion before.
 */
async function commissionToReverse(tx: Tx, bookingId: string, currency: string, amount: number): Promise<number> {
  const a = journalLines.amount;
  const payable = sql`starts_with(${journalLines.account}, 'commissions_payable:')`;
  const [row] = await tx
    .select({
      earned: sql<string>`coalesce(-sum(${a}) FILTER (WHERE ${payable} AND ${a} < 0), 0)::text`,
      reversed: sql<string>`coalesce(sum(${a}) FILTER (WHERE ${payable} AND ${a} > 0), 0)::text`,
      revenue: sql<string>`coalesce(-sum(${a}) FILTER (WHERE ${journalLines.account} IN ('service_revenue', 'cancellation_fees', 'discounts')), 0)::text`,
      refunded: sql<string>`coalesce(sum(${a}) FILTER (WHERE ${journalLines.account} = 'refunds_given'), 0)::text`,
    })
    .from(journalLines)
    .where(and(eq(journalLines.bookingId, bookingId), eq(journalLines.currency, currency)));
  if (!row) return 0;
  return commissionReversal({
    earned: Number(row.earned),
    reversed: Number(row.reversed),
    revenue: Math.max(0, Number(row.revenue)),
    refundedBefore: Math.max(0, Number(row.refunded)),
    amount,
  });
}

export interface DecideInput {
  tenantId: string;
  booking: BookingRow;
  money: BookingMoney;
  amount: number;
  reason: string;
  origin: RefundOrigin;
  now: Date;
  /** Kept by the policy (a late cancellation or no-show): posted with the refund as one `feeRetained` entry. */
  fee?: number;
  /** false for a refund Stripe already made (one from its dashboard, recorded from its webhook): nothing to ask. */
  askStripe?: boolean;
}

/** What a refund's lines concern: the booking, its staff and service, in the currency of the money refunded. */
const concernsOf = (b: BookingRow, currency: string) => ({
  currency,
  bookingId: b.id,
  staffId: b.staffId,
  serviceId: b.serviceId,
});

/**
 * The refund decision's lines. A policy fee: `feeRetained` (Dr customer_deposits D · Cr cancellation_fees F · Cr
 * refunds_payable D−F). Otherwise what `customer_deposits` still holds is refunded "before completion", and any rest
 * (revenue already recognised: a completed booking, or a fee kept earlier) "after completion" against refunds_given.
 */
async function decisionLines(tx: Tx, d: DecideInput): Promise<{ kind: string; lines: PostingLine[] }> {
  const c = concernsOf(d.booking, d.money.currency);
  if (d.fee && d.fee > 0) {
    const reason = d.origin === "no_show" ? "no_show" : "late_cancellation";
    return feeRetained({ ...c, reason, deposits: d.amount + d.fee, fee: d.fee });
  }
  const held = Math.min(d.amount, await depositsHeld(tx, d.booking.id, d.money.currency));
  const rest = d.amount - held;
  const before = held > 0 ? refundDecidedBeforeCompletion({ ...c, amount: held }).lines : [];
  const after = rest > 0 ? refundDecidedAfterCompletion({ ...c, amount: rest, revenue: rest }).lines : [];
  // Revenue refunded after completion takes back its share of the commission earned on it (issue 14).
  const reversed = rest > 0 ? await commissionToReverse(tx, d.booking.id, d.money.currency, rest) : 0;
  const commission =
    reversed > 0 ? commissionReversed({ ...c, staffId: d.booking.staffId, commission: reversed }).lines : [];
  return {
    kind: rest > 0 ? "refund.decided_after_completion" : "refund.decided",
    lines: [...before, ...after, ...commission],
  };
}

/** Writes the refund row, posts its decision and queues its effect; returns the row. `amount` > 0 is the caller's check. */
export async function decideRefund(tx: Tx, d: DecideInput): Promise<typeof refunds.$inferSelect> {
  const id = newId("rfd");
  const [row] = await tx
    .insert(refunds)
    .values({
      id,
      tenantId: d.tenantId,
      bookingId: d.booking.id,
      paymentId: d.money.payment?.id ?? null,
      amount: d.amount,
      currency: d.money.currency,
      reason: d.reason,
      origin: d.origin,
      stripePaymentIntent: d.money.payment?.providerRef ?? null,
      createdAt: d.now,
      updatedAt: d.now,
    })
    .returning();
  const posting = await decisionLines(tx, d);
  await postEntry(tx, {
    tenantId: d.tenantId,
    occurredAt: d.now,
    kind: posting.kind,
    source: { type: "refund", id },
    lines: posting.lines,
  });
  if (d.askStripe !== false) await queueRefundEffect(tx, d.tenantId, id, d.booking.id, 1);
  return row!;
}

/** The `payments.refund` outbox row for one attempt of a refund (a retry queues the next attempt). */
export async function queueRefundEffect(
  tx: Tx,
  tenantId: string,
  refundId: string,
  bookingId: string,
  attempt: number,
) {
  const outboxId = newId("evt");
  await tx.execute(sql`INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload)
    VALUES (${outboxId}, ${tenantId}, ${REFUND_EVENT}, ${refundId},
            ${JSON.stringify({ bookingId, refundId, attempt })}::jsonb)`);
  noteOutboxWritten(tx, [outboxId]);
}

/** The tenant's cancellation policy, read in the caller's transaction. */
async function policyOf(tx: Tx, tenantId: string) {
  const [t] = await tx.select({ policies: tenants.policies }).from(tenants).where(eq(tenants.id, tenantId));
  return cancellationPolicyOf(t?.policies.cancellation);
}

/**
 * A fee kept from a late cancellation or no-show earns the staff member commission by their rule in force at the
 * appointment's start (a fixed amount at most the fee), only when the tenant's `policies.commissionOnFees` says so:
 * entry `fee_commission:<booking>`, in the caller's transaction.
 */
async function postFeeCommission(
  tx: Tx,
  a: { tenantId: string; booking: BookingRow; now: Date; currency: string; fee: number },
): Promise<void> {
  const [t] = await tx.select({ policies: tenants.policies }).from(tenants).where(eq(tenants.id, a.tenantId));
  if (t?.policies.commissionOnFees !== true) return;
  const terms = await commissionTermsFor(tx, {
    tenantId: a.tenantId,
    staffId: a.booking.staffId,
    serviceId: a.booking.serviceId,
    startsAt: a.booking.startsAt,
  });
  const amount = commissionOf(terms, a.fee, true);
  if (amount <= 0) return;
  const p = commissionEarned({ ...concernsOf(a.booking, a.currency), staffId: a.booking.staffId, commission: amount });
  await postEntry(tx, {
    tenantId: a.tenantId,
    occurredAt: a.now,
    kind: p.kind,
    source: { type: "fee_commission", id: a.booking.id },
    lines: p.lines,
  });
}

/** What the policy would refund for this booking now (nothing is written). */
export async function previewPolicyRefund(
  tx: Tx,
  a: { tenantId: string; booking: BookingRow; now: Date; actor: RefundActor; event: "cancellation" | "no_show" },
): Promise<{ decision: RefundDecision; money: BookingMoney }> {
  const money = await bookingMoney(tx, a.booking);
  const decision = refundFor(
    await policyOf(tx, a.tenantId),
    { startsAt: a.booking.startsAt.getTime(), event: a.event },
    { paid: money.paid, refunded: money.refunded },
    a.now.getTime(),
    a.actor,
  );
  return { decision, money };
}

/**
 * A cancellation's or no-show's refund by the policy, in the transaction that changes the booking: the refund (if
 * any) with the fee kept in one entry; a fee with nothing to refund posts `feeRetained` alone (source
 * `cancellation_fee:<booking>`). Nothing paid: nothing happens.
 */
export async function applyPolicyRefund(
  tx: Tx,
  a: { tenantId: string; booking: BookingRow; now: Date; actor: RefundActor; event: "cancellation" | "no_show" },
): Promise<RefundDecision> {
  const { decision, money } = await previewPolicyRefund(tx, a);
  const origin = a.event === "no_show" ? "no_show" : "cancellation";
  if (decision.refund > 0)
    await decideRefund(tx, {
      tenantId: a.tenantId,
      booking: a.booking,
      money,
      amount: decision.refund,
      fee: decision.fee,
      reason: `${origin === "no_show" ? "No-show" : "Cancellation"} (${decision.rule.replace("_", " ")})`,
      origin,
      now: a.now,
    });
  else if (decision.fee > 0) {
    const reason = origin === "no_show" ? "no_show" : "late_cancellation";
    const p = feeRetained({
      ...concernsOf(a.booking, money.currency),
      reason,
      deposits: decision.fee,
      fee: decision.fee,
    });
    await postEntry(tx, {
      tenantId: a.tenantId,
      occurredAt: a.now,
      kind: p.kind,
      source: { type: "cancellation_fee", id: a.booking.id },
      lines: p.lines,
    });
  }
  if (decision.fee > 0) await postFeeCommission(tx, { ...a, currency: money.currency, fee: decision.fee });
  return decision;
}
