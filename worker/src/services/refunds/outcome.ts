// A refund's state as Stripe reports it (the effect's answer, or a webhook: refund.created/updated/failed,
// charge.refunded), applied in the caller's transaction with its ledger entry. Each attempt posts "refund accepted"
// once (Stripe took the money out of the balance: pending or succeeded) and, if it then fails, "refund failed" once,
// so the refund is owed again (back in refunds_payable) and retryable. Replays and any order give the same end state.
import { and, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { journalEntries, refunds } from "../../db/schema/index.ts";
import { refundAccepted, refundFailed } from "../../domain/ledger.ts";
import { postEntry } from "../ledger/post.ts";

export interface RefundOutcome {
  tenantId: string;
  /** Bookra's id (`rfd_…`, also in the Stripe refund's metadata), or Stripe's refund id when only that is known. */
  refundId?: string | undefined;
  stripeRefundId?: string | undefined;
  /** Stripe's refund status: `pending` and `succeeded` mean the balance moved; `failed`/`canceled` that it did not. */
  status: "pending" | "succeeded" | "failed" | "canceled";
  /** The application fee Stripe returned with the refund (p of the balance transaction), minor units. */
  applicationFeeRefunded?: number | undefined;
  failureReason?: string | undefined;
  /** When Stripe says it happened (the event's `created`). */
  occurredAt: Date;
  /**
   * The attempt the Stripe refund was made for (its metadata's `bookra_refund_attempt`, absent: 1), when known: news
   * of another attempt than the row's current one is stale (a late event of a failed attempt after the owner retried).
   */
  attempt?: number | undefined;
}

/** Stripe's refund status as Bookra reads it: anything not final yet (`pending`, `requires_action`) is pending. */
export function refundStatusOf(status: string | null | undefined): RefundOutcome["status"] {
  return status === "succeeded" || status === "failed" || status === "canceled" ? status : "pending";
}

type RefundRow = typeof refunds.$inferSelect;

async function lockRefund(tx: Tx, o: RefundOutcome): Promise<RefundRow | null> {
  const where = o.refundId
    ? eq(refunds.id, o.refundId)
    : o.stripeRefundId
      ? eq(refunds.stripeRefundId, o.stripeRefundId)
      : null;
  if (!where) return null;
  const [row] = await tx.select().from(refunds).where(where).for("update");
  return row ?? null;
}

async function posted(tx: Tx, type: string, id: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: journalEntries.id })
    .from(journalEntries)
    .where(and(eq(journalEntries.sourceType, type), eq(journalEntries.sourceId, id)));
  return row !== undefined;
}

/**
 * Applies what Stripe says about a refund's current attempt. Returns the row after it, or null for a refund Bookra
 * does not know (the caller parks or drops the event). A `succeeded` after `failed` of one attempt is stale: ignored.
 */
export async function applyRefundOutcome(tx: Tx, o: RefundOutcome): Promise<RefundRow | null> {
  const row = await lockRefund(tx, o);
  if (!row) return null;
  const attemptId = `${row.id}:${row.attempt}`;
  const money = {
    currency: row.currency,
    bookingId: row.bookingId,
    amount: Number(row.amount),
    applicationFeeRefunded: o.applicationFeeRefunded ?? 0,
  };
  const moved = o.status === "pending" || o.status === "succeeded";
  // A failed attempt is final (a retry is a new attempt); news of an earlier attempt's Stripe refund is stale.
  if (row.status === "failed") return row;
  if (o.attempt !== undefined && o.attempt !== row.attempt) return row;
  if (o.stripeRefundId && row.stripeRefundId && o.stripeRefundId !== row.stripeRefundId) return row;
  const acceptedBefore = await posted(tx, "refund_accepted", attemptId);
  if (moved && !acceptedBefore) {
    const p = refundAccepted(money);
    await postEntry(tx, {
      tenantId: o.tenantId,
      occurredAt: o.occurredAt,
      kind: p.kind,
      source: { type: "refund_accepted", id: attemptId },
      lines: p.lines,
    });
  }
  if (!moved && acceptedBefore) {
    const p = refundFailed(money);
    await postEntry(tx, {
      tenantId: o.tenantId,
      occurredAt: o.occurredAt,
      kind: p.kind,
      source: { type: "refund_failed", id: attemptId },
      lines: p.lines,
    });
  }
  const status = moved ? (o.status === "succeeded" || row.status === "succeeded" ? "succeeded" : "pending") : "failed";
  const [updated] = await tx
    .update(refunds)
    .set({
      status,
      updatedAt: o.occurredAt,
      ...(o.stripeRefundId && !row.stripeRefundId && { stripeRefundId: o.stripeRefundId }),
      ...(status === "succeeded" && !row.settledAt && { settledAt: o.occurredAt }),
      ...(status === "failed" && { failureReason: o.failureReason ?? "refund_failed" }),
    })
    .where(eq(refunds.id, row.id))
    .returning();
  return updated ?? row;
}
