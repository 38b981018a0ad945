// The refund effect's provider on Stripe: the business's connected account from its tenant row, and the refund made
// through the official `stripe` package (providers/stripe.ts) with Bookra's idempotency key.
import { eq } from "drizzle-orm";
import { tenants } from "../db/schema/index.ts";
import type { PaymentsProvider } from "../providers/stripe.ts";
import { applicationFeeReturned, refundStatusOf } from "../services/refunds/outcome.ts";
import type { RefundProvider } from "./refund-provider.ts";

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
      const txn = refund.balance_transaction;
      return {
        id: refund.id,
        status: refundStatusOf(refund.status),
        applicationFeeRefunded: txn && typeof txn !== "string" ? applicationFeeReturned(txn) : undefined,
        failureReason: refund.failure_reason ?? undefined,
      };
    },
  };
}
