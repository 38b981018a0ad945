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
  /**
   * Put on the Stripe refund, so its webhooks name Bookra's refund and booking, and a retried effect finds the refund
   * it made (findRefund). The attempt is named from the second on (absent: the first, as the idempotency key).
   */
  metadata: { bookra_refund_id: string; bookra_booking_id: string; bookra_refund_attempt?: string };
}

export interface FindRefundInput {
  account: string;
  paymentIntent: string;
  /** Bookra's refund (`rfd_…`) and the attempt whose Stripe refund is looked for. */
  refundId: string;
  attempt: number;
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
  /**
   * The Stripe refund this attempt already made (its metadata names the refund and the attempt), or null. Stripe
   * forgets an idempotency key after 24 hours, so an effect retried later than that would refund twice without this
   * look-up. A provider without it relies on the idempotency key alone.
   */
  findRefund?(input: FindRefundInput): Promise<CreatedRefund | null>;
}

/** The metadata that names one attempt of a refund on its Stripe refund (the attempt from the second on). */
export function refundMetadata(refundId: string, bookingId: string, attempt: number): CreateRefundInput["metadata"] {
  return {
    bookra_refund_id: refundId,
    bookra_booking_id: bookingId,
    ...(attempt > 1 && { bookra_refund_attempt: String(attempt) }),
  };
}

/** Whether a Stripe refund's metadata names this attempt of this refund. */
export function isRefundAttempt(
  metadata: Record<string, string> | null | undefined,
  refundId: string,
  attempt: number,
): boolean {
  return metadata?.bookra_refund_id === refundId && Number(metadata.bookra_refund_attempt ?? 1) === attempt;
}

/** Stripe's idempotency key of one attempt of a refund: stable across the effect's retries, new per admin retry. */
export function refundIdempotencyKey(refundId: string, attempt: number): string {
  return attempt <= 1 ? `refund:${refundId}` : `refund:${refundId}:${attempt}`;
}
