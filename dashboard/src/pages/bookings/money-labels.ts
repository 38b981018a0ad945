// The money states of issue 13 in words, pure: a booking's payment flag, a refund's origin and state, a payment's
// state. Each map is keyed by the contract's own enum, so a value the API gains fails the typecheck until it is said
// here; a hint is given only where the owner must act.
import type { AdminBooking, Refund } from "@bookra/sdk/admin";
import type { TextKey } from "./texts.ts";

export type PaymentFlag = NonNullable<AdminBooking["paymentFlag"]>;
export type RefundOrigin = Refund["origin"];
export type RefundStatus = Refund["status"];
/** A payment's state as a timeline `paid` entry carries it (the `payments.status` column; not an API enum). */
export type PaymentStatus = "succeeded" | "refund_required" | "mismatch";

/** What a label says and, where the owner must act, the hint that tells them what to do. */
export interface Label {
  label: TextKey;
  hint: TextKey | null;
  /** "bad" when the owner must act, "" otherwise. */
  tone: "bad" | "";
}

export const FLAG_LABELS: Record<PaymentFlag, Label> = {
  amount_mismatch: { label: "flag.amount_mismatch", hint: "flagHint.amount_mismatch", tone: "bad" },
  disputed: { label: "flag.disputed", hint: "flagHint.disputed", tone: "bad" },
  dispute_won: { label: "flag.dispute_won", hint: null, tone: "" },
  dispute_lost: { label: "flag.dispute_lost", hint: null, tone: "" },
};

export const ORIGIN_LABELS: Record<RefundOrigin, TextKey> = {
  manual: "origin.manual",
  cancellation: "origin.cancellation",
  no_show: "origin.no_show",
  stripe: "origin.stripe",
  slot_taken: "origin.slot_taken",
  booking_cancelled: "origin.booking_cancelled",
};

export const REFUND_STATUS_LABELS: Record<RefundStatus, Label> = {
  pending: { label: "refund.pending", hint: null, tone: "" },
  succeeded: { label: "refund.succeeded", hint: null, tone: "" },
  failed: { label: "refund.failed", hint: "refundHint.failed", tone: "bad" },
};

export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, Label> = {
  succeeded: { label: "pay.succeeded", hint: null, tone: "" },
  refund_required: { label: "pay.refund_required", hint: null, tone: "" },
  mismatch: { label: "pay.mismatch", hint: null, tone: "bad" },
};

/** The label of a booking's payment flag, or null when it has none (or one this build does not know yet). */
export function flagLabel(flag: AdminBooking["paymentFlag"]): Label | null {
  return flag && Object.hasOwn(FLAG_LABELS, flag) ? FLAG_LABELS[flag] : null;
}

/** The text key of a refund's origin; null for one this build does not know (the caller shows it raw). */
export function originLabel(origin: string): TextKey | null {
  return Object.hasOwn(ORIGIN_LABELS, origin) ? ORIGIN_LABELS[origin as RefundOrigin] : null;
}

/** The label of a payment's state on a timeline entry; null for another value (the caller says it as recorded). */
export function paymentStatusLabel(status: string | null): Label | null {
  return status && Object.hasOwn(PAYMENT_STATUS_LABELS, status) ? PAYMENT_STATUS_LABELS[status as PaymentStatus] : null;
}

/** The label of a refund's state; null for another value. */
export function refundStatusLabel(status: string): Label | null {
  return Object.hasOwn(REFUND_STATUS_LABELS, status) ? REFUND_STATUS_LABELS[status as RefundStatus] : null;
}
