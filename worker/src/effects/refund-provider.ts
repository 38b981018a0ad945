// What the refund effect needs of a payments provider (issue 13 item 5). providers/stripe.ts implements it with the
// official `stripe` package; until one is configured the effect fails and is retried (a refund is never dropped).
import type { Tx } from "../db/client.ts";

export interface CreateRefundInput {
  /** The business's connected account (`acct_…`): a direct charge is refunded on it. */
  account: string;
  paymentIntent: string;
  /** Minor units. */
  amount: number;
  /** Whether the platform returns its application fee in proportion (Bookra always asks it to). */
  refundApplicationFee: boolean;
  /** `refund:<rfd id>` for the first attempt, `refund:<rfd id>:<attempt>` for a retry: Stripe refunds once per key. */
  idempotencyKey: string;
  /** Put on the Stripe refund, so its webhooks name Bookra's refund and booking. */
  metadata: { bookra_refund_id: string; bookra_booking_id: string };
}

export interface CreatedRefund {
  /** Stripe's refund id (`re_…`). */
  id: string;
  status: "pending" | "succeeded" | "failed" | "canceled";
  /** The application fee returned with it, if the provider knows it already (else the webhook brings it). */
  applicationFeeRefunded?: number | undefined;
  failureReason?: string | undefined;
}

export interface RefundProvider {
  /** The tenant's connected account, or null when it has none (the refund waits and is retried). */
  accountOf(tx: Tx, tenantId: string): Promise<string | null>;
  createRefund(input: CreateRefundInput): Promise<CreatedRefund>;
}

/** Stripe's idempotency key of one attempt of a refund: stable across the effect's retries, new per admin retry. */
export function refundIdempotencyKey(refundId: string, attempt: number): string {
  return attempt <= 1 ? `refund:${refundId}` : `refund:${refundId}:${attempt}`;
}
