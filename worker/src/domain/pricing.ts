// What a booking costs and what is owed up front (integer minor units only). Pure.

/** The service's price and deposit rule (a services row, or the schedule cache's copy of it). */
interface DepositRule {
  priceAmount: number;
  depositPercent: number | null;
  depositAmount: number | null;
}

/**
 * The platform's application fee on a charge of `amount`: `bps` basis points (rounded down) plus `fixed` minor units,
 * never more than the charge itself (Stripe refuses a fee above the amount).
 */
export function applicationFee(amount: number, bps: number, fixed = 0): number {
  return Math.min(amount, Math.floor((amount * bps) / 10_000) + fixed);
}

export function depositFor(service: DepositRule): number {
  if (service.depositPercent != null) return Math.round((service.priceAmount * service.depositPercent) / 100);
  if (service.depositAmount != null) return Math.min(service.depositAmount, service.priceAmount);
  return 0;
}

/**
 * Whether booking `service` online must wait for the business's payments: something is owed up front and its Stripe
 * account cannot take charges. Bookings made by the business itself (paid at the venue) are never held back.
 */
export function awaitsPayments(service: DepositRule, paymentsReady: boolean): boolean {
  return depositFor(service) > 0 && !paymentsReady;
}
