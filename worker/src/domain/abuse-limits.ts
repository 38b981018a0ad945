// Per-tenant limits against slot hoarding and notification spam (issue 10 §2), as tenant policies with defaults.
// Pure: the database enforces the hold limits (migrations/0011 check_open_holds()), the booking service the rest.

/** Open (unpaid, unexpired) deposit holds one customer e-mail address may have in a tenant. */
const OPEN_HOLDS_PER_EMAIL = 2;
/** Open deposit holds one client address (CF-Connecting-IP) may have in a tenant. */
const OPEN_HOLDS_PER_ADDRESS = 3;
/** Times a customer may move one booking (the business's own moves are not counted). */
const RESCHEDULES_PER_BOOKING = 3;

export interface AbusePolicies {
  openHoldsPerEmail?: number | undefined;
  openHoldsPerAddress?: number | undefined;
  reschedulesPerBooking?: number | undefined;
}

export function holdLimitsOf(policies: AbusePolicies): { perEmail: number; perAddress: number } {
  return {
    perEmail: policies.openHoldsPerEmail ?? OPEN_HOLDS_PER_EMAIL,
    perAddress: policies.openHoldsPerAddress ?? OPEN_HOLDS_PER_ADDRESS,
  };
}

export function reschedulesAllowed(policies: AbusePolicies): number {
  return policies.reschedulesPerBooking ?? RESCHEDULES_PER_BOOKING;
}
