// Form plumbing for the setup sections, pure: the API's validation issues placed on the fields they name, and money
// typed in major units ("45.50") to and from the API's minor units.

export interface Issue {
  path: readonly (string | number)[];
  message: string;
}

/**
 * The API error's `issues` as a message per field key (`path.join(".")`, e.g. "profile.phone", "weeklyHours.3");
 * `rename` maps a key to the field that shows it (or null to leave it to the form). An issue that names no known
 * field, or an error without issues, lands on "form".
 */
export function fieldErrors(
  cause: unknown,
  fallback: string,
  rename: (key: string) => string | null = (k) => k,
): Record<string, string> {
  const issues = (cause as { issues?: Issue[] } | null)?.issues ?? [];
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = rename(i.path.join(".")) ?? "form";
    out[key] ??= i.message;
  }
  if (Object.keys(out).length === 0) out.form = fallback;
  return out;
}

/** Digits after the decimal point of a currency (EUR 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "45.5" or "45,50" → 4550 (EUR); null when it is not a non-negative amount with at most the currency's decimals. */
export function toMinor(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const m = /^(\d{1,12})(?:[.,](\d*))?$/.exec(text.trim());
  if (!m) return null;
  const frac = m[2] ?? "";
  if (frac.length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, "0") || "0");
}

/** 4550 (EUR) → "45.50", for an input's value. */
export function fromMinor(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(amount);
  const s = String(Math.abs(amount)).padStart(digits + 1, "0");
  return `${amount < 0 ? "-" : ""}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** A whole number typed in a field, or null (empty or not an integer). */
export function toInt(text: string): number | null {
  return /^-?\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : null;
}

/** "" → null; otherwise the trimmed text. */
export const orNull = (text: string): string | null => (text.trim() === "" ? null : text.trim());

/**
 * Black or white, whichever reads better on a #RRGGBB colour (WCAG relative luminance): the text colour the preview
 * sets beside a draft primary colour, as the widget does for the saved one.
 */
export function textOn(hex: string): string {
  const h = /^#[0-9a-f]{6}$/i.test(hex) ? hex.slice(1) : "4f46e5";
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#fff" : "#111";
}

/** "40" or "12,5" (percent) → basis points (4000, 1250); null unless 0–100 with at most two decimals. */
export function percentToBps(text: string): number | null {
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const bps = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return bps <= 10_000 ? bps : null;
}

export const bpsToPercent = (bps: number): string => String(bps / 100);

/** Every item of a list, page by page. */
export async function all<T>(list: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of list) out.push(x);
  return out;
}
