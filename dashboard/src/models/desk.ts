// The desk-payment form's arithmetic, without the DOM: amounts typed in major units ("12.50", "12,5") to minor
// units of the currency, and which field an API refusal belongs to.
export const DESK_FIELDS = ["cash", "card", "other", "tip", "discount"] as const;
export type DeskField = (typeof DESK_FIELDS)[number];

/** Digits after the decimal point for `currency` (EUR 2, JPY 0, KWD 3). */
export function fractionDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "12.50" → 1250 (EUR); "" → 0; anything else (negative, too many decimals, letters) → null. */
export function toMinor(text: string, currency: string): number | null {
  const v = text.trim().replace(",", ".");
  if (v === "") return 0;
  const digits = fractionDigits(currency);
  const m = new RegExp(`^(\\d{1,9})(?:\\.(\\d{0,${digits}}))?$`).exec(v);
  if (!m) return null;
  return Number(m[1]) * 10 ** digits + Number((m[2] ?? "").padEnd(digits, "0") || 0);
}

/** 1250 EUR → "12.50": minor units as typed in a form (major units, no symbol); `toMinor` reads it back. */
export function toMajorText(minor: number, currency: string): string {
  const d = fractionDigits(currency);
  return d === 0 ? String(minor) : (minor / 10 ** d).toFixed(d);
}

/** The form field an API error code concerns, or null for a message over the whole form. */
export function fieldOfCode(code: string): DeskField | null {
  if (code === "DESK_OVERPAID" || code === "BALANCE_DUE") return "cash";
  if (code === "TIP_EXCEEDS_PAYMENTS") return "tip";
  if (code === "DISCOUNT_EXCEEDS_BALANCE") return "discount";
  return null;
}
