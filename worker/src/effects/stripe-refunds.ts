// The refund effect's provider on Stripe: the business's connected account from its tenant row, and the refund made
// through the official `stripe` package (providers/stripe.ts) with Bookra's idempotency key; a refund already made
// for the attempt is found by its metadata among the PaymentIntent's refunds (Stripe keeps a key only 24 hours).
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { tenants } from "../db/schema/index.ts";
import type { PaymentsProvider } from "../providers/stripe.ts";
import { refundStatusOf } from "../services/refunds/outcome.ts";
import { type CreatedRefund, isRefundAttempt, type RefundProvider } from "./refund-provider.ts";

/**
 * The application fee Stripe returned with a refund: its balance transaction's `application_fee` fee details are
 * negative (the fee comes back to the business), so p is their negation. Unknown (no expanded balance transaction
 * yet): undefined.
 */
export function applicationFeeRefunded(refund: Stripe.Refund): number | undefined {
  const txn = refund.balance_transaction;
  if (!txn || typeof txn === "string") return undefined;
  return 0 - txn.fee_details.filter((f) => f.type === "application_fee").reduce((sum, f) => sum + f.amount, 0);
}

function created(refund: Stripe.Refund): CreatedRefund {
  return {
    id: refund.id,
    status: refundStatusOf(refund.status),
    applicationFeeRefunded: applicationFeeRefunded(refund),
    failureReason: refund.failure_reason ?? undefined,
  };
}

export function stripeRefundProvider(payments: PaymentsProvider | undefined): RefundProvider | null {
  if (!payments) return null;
  return {
    async accountOf(tx, tenantId) {
      const [row] = await tx.select({ account: tenants.stripeAccountId }).from(tenants).where(eq(tenants.id, tenantId));
      return row?.account ?? null;
    },
    async createRefund(input) {
      const refund = await payments.createRefund({
        account: input.account,
        paymentIntent: input.paymentIntent,
        amount: input.amount,
        refundApplicationFee: input.refundApplicationFee,
        idempotencyKey: input.idempotencyKey,
        metadata: input.metadata,
      });
      return created(refund);
    },
    async findRefund(input) {
      const all = await payments.listRefunds(input.account, input.paymentIntent);
      const ours = all.find((r) => isRefundAttempt(r.metadata, input.refundId, input.attempt));
      return ours ? created(ours) : null;
    },
  };
}
