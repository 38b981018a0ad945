// The emulator's documented fee model (minor units): Stripe's processing fee is 1.5 % of the charge (rounded half
// up) plus 20, whatever the currency; a dispute costs 1500. The platform's application fee is what the Checkout
// Session asked for in `payment_intent_data.application_fee_amount`.

export const PROCESSING_PERCENT_BPS = 150;
export const PROCESSING_FIXED = 20;
export const DISPUTE_FEE = 1500;

/** Stripe's fee on a charge of `amount` minor units. */
export function processingFee(amount: number): number {
  return Math.floor((amount * PROCESSING_PERCENT_BPS + 5_000) / 10_000) + PROCESSING_FIXED;
}

/** The share of an application fee returned with a refund of `refunded` out of `charged` (rounded half up). */
export function applicationFeeRefund(applicationFee: number, refunded: number, charged: number): number {
  if (charged <= 0) return 0;
  return Math.floor((applicationFee * refunded * 2 + charged) / (charged * 2));
}
