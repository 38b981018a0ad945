// The `payments.refund` effect: asks the payments provider to refund one attempt of a decided refund, with a stable
// idempotency key, and applies the answer (applyRefundOutcome: state and ledger). It first looks for a Stripe refund
// this attempt already made (named in its metadata): an effect that died after Stripe answered and is retried after
// Stripe forgot the key (24 h) takes that refund instead of making a second one. Without a provider, or for a
// booking whose payment Stripe does not know, it throws: the outbox retries, then dead-letters, visibly.
import { eq } from "drizzle-orm";
import { refunds } from "../../db/schema/index.ts";
import type { EffectHandler } from "../../outbox/types.ts";
import { REFUND_EVENT } from "../../services/refunds/decide.ts";
import { applyRefundOutcome } from "../../services/refunds/outcome.ts";
import { type RefundProvider, refundIdempotencyKey, refundMetadata } from "../refund-provider.ts";

export function createRefundHandler(provider: RefundProvider | null): EffectHandler<unknown> {
  return {
    name: "refund",
    events: [REFUND_EVENT],
    async run({ tx, event, now }) {
      const refundId = String(event.payload.refundId ?? event.aggregateId);
      const attempt = Number(event.payload.attempt ?? 1);
      const [row] = await tx.select().from(refunds).where(eq(refunds.id, refundId)).for("update");
      // Settled meanwhile (a webhook came first), or superseded by a later attempt: nothing to ask.
      if (row?.status !== "pending" || row.attempt !== attempt) return;
      // Stripe already holds this attempt (its id came back): its webhooks bring the rest.
      if (row.stripeRefundId) return;
      if (!provider) throw new Error("No payments provider is configured: the refund stays pending and is retried");
      if (!row.stripePaymentIntent) throw new Error(`Refund ${row.id}: the booking has no Stripe payment to refund`);
      const account = await provider.accountOf(tx, event.tenantId);
      if (!account) throw new Error(`Refund ${row.id}: the business has no connected Stripe account`);
      const made = await provider.findRefund?.({
        account,
        paymentIntent: row.stripePaymentIntent,
        refundId: row.id,
        attempt: row.attempt,
      });
      const created =
        made ??
        (await provider.createRefund({
          account,
          paymentIntent: row.stripePaymentIntent,
          amount: Number(row.amount),
          refundApplicationFee: true,
          idempotencyKey: refundIdempotencyKey(row.id, row.attempt),
          metadata: refundMetadata(row.id, row.bookingId, row.attempt),
        }));
      await applyRefundOutcome(tx, {
        tenantId: event.tenantId,
        refundId: row.id,
        attempt: row.attempt,
        stripeRefundId: created.id,
        status: created.status,
        applicationFeeRefunded: created.applicationFeeRefunded,
        failureReason: created.failureReason,
        occurredAt: now,
      });
    },
  };
}
