// The cancellation and no-show policy (issue 13 item 5): what a cancellation or a no-show refunds of what a booking
// paid, decided by one pure function. Amounts are integers in minor units; the fee kept rounds down (the customer's
// favour), so the refund is what was paid minus that fee, never a fraction of a minor unit.

/** A tenant's cancellation policy: free until `freeUntilHours` before the start, then keep a share of what was paid. */
export interface CancellationPolicy {
  /** A customer's cancellation at least this many hours before the start refunds everything. */
  freeUntilHours: number;
  /** The percentage of what was paid that a later cancellation keeps. */
  lateKeepPercent: number;
  /** The percentage of what was paid that a no-show keeps. */
  noShowKeepPercent: number;
}

/** The policy of a tenant that set none: free until 24 h before, then (and for a no-show) the deposit is kept. */
export const DEFAULT_CANCELLATION_POLICY: CancellationPolicy = {
  freeUntilHours: 24,
  lateKeepPercent: 100,
  noShowKeepPercent: 100,
};

/** What a tenant stored: the fields of this issue, or the older `lateRefundPercent` (= 100 − lateKeepPercent). */
export interface StoredCancellationPolicy {
  freeUntilHours?: number | undefined;
  lateKeepPercent?: number | undefined;
  noShowKeepPercent?: number | undefined;
  lateRefundPercent?: number | undefined;
}

/** The full policy from what a tenant stored (older policies name the late refund instead of the share kept). */
export function cancellationPolicyOf(stored: StoredCancellationPolicy | undefined | null): CancellationPolicy {
  const d = DEFAULT_CANCELLATION_POLICY;
  const lateKeep =
    stored?.lateKeepPercent ??
    (stored?.lateRefundPercent !== undefined ? 100 - stored.lateRefundPercent : d.lateKeepPercent);
  return {
    freeUntilHours: stored?.freeUntilHours ?? d.freeUntilHours,
    lateKeepPercent: lateKeep,
    noShowKeepPercent: stored?.noShowKeepPercent ?? d.noShowKeepPercent,
  };
}

/** What happened to the booking: a cancellation (by the customer or the owner) or a no-show. */
export interface RefundBooking {
  /** The appointment's start, epoch milliseconds. */
  startsAt: number;
  event: "cancellation" | "no_show";
}

/** What the booking paid and what was already refunded or promised (pending, succeeded or failed-to-retry). */
export interface RefundPayments {
  paid: number;
  refunded: number;
}

export type RefundActor = "customer" | "owner";

/** Which rule decided: the owner's cancellation, inside the free window, a late cancellation, a no-show. */
export type RefundRule = "owner" | "free_window" | "late_cancellation" | "no_show";

export interface RefundDecision {
  rule: RefundRule;
  /** What is still refundable: paid − refunded (never negative). */
  refundable: number;
  /** The part of `refundable` kept as a cancellation fee. */
  fee: number;
  /** The part of `refundable` given back: refundable − fee. */
  refund: number;
  /** When the free window closes (epoch ms): a cancellation at or before it refunds everything. */
  freeUntil: number;
}

const HOUR = 3_600_000;

function wholeMinor(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer (got ${v})`);
  return v;
}

function percent(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 100) throw new RangeError(`${name} must be 0–100 (got ${v})`);
  return v;
}

/**
 * What a cancellation or no-show refunds. The owner cancelling refunds everything still refundable; a customer's
 * cancellation up to `freeUntilHours` before the start refunds everything, later it keeps `lateKeepPercent` % of what
 * was paid; a no-show keeps `noShowKeepPercent` %. The fee is `floor(paid × percent / 100)`, capped at what is still
 * refundable; the refund is the rest. Never more than paid − refunded, never negative, never more later than earlier.
 */
export function refundFor(
  policy: CancellationPolicy,
  booking: RefundBooking,
  payments: RefundPayments,
  now: number,
  actor: RefundActor,
): RefundDecision {
  const paid = wholeMinor("paid", payments.paid);
  const refundable = Math.max(0, paid - wholeMinor("refunded", payments.refunded));
  if (!Number.isFinite(policy.freeUntilHours) || policy.freeUntilHours < 0)
    throw new RangeError(`freeUntilHours must be ≥ 0 (got ${policy.freeUntilHours})`);
  const freeUntil = booking.startsAt - policy.freeUntilHours * HOUR;
  const decide = (rule: RefundRule, keepPercent: number): RefundDecision => {
    // floor(paid × p / 100) without overflow past 2^53 for large amounts: bigint, exact.
    const kept = Number((BigInt(paid) * BigInt(keepPercent)) / 100n);
    const fee = Math.min(kept, refundable);
    return { rule, refundable, fee, refund: refundable - fee, freeUntil };
  };
  if (actor === "owner") return decide("owner", 0);
  if (booking.event === "no_show") return decide("no_show", percent("noShowKeepPercent", policy.noShowKeepPercent));
  if (now <= freeUntil) return decide("free_window", 0);
  return decide("late_cancellation", percent("lateKeepPercent", policy.lateKeepPercent));
}

/**
 * The policy a PATCH stores: the stored one, completed with the defaults, overridden by what the patch names (its
 * `lateRefundPercent` read as 100 − keep). Both names are stored, so readers of the older field keep working.
 */
export function mergeCancellationPolicy(
  stored: StoredCancellationPolicy | undefined | null,
  patch: StoredCancellationPolicy,
): CancellationPolicy & { lateRefundPercent: number } {
  const current = cancellationPolicyOf(stored);
  const lateKeepPercent =
    patch.lateKeepPercent ??
    (patch.lateRefundPercent !== undefined ? 100 - patch.lateRefundPercent : current.lateKeepPercent);
  return {
    freeUntilHours: patch.freeUntilHours ?? current.freeUntilHours,
    lateKeepPercent,
    noShowKeepPercent: patch.noShowKeepPercent ?? current.noShowKeepPercent,
    lateRefundPercent: 100 - lateKeepPercent,
  };
}
