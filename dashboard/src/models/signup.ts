// Sign-up's pure half: a slug suggested from the business's name, and the checks the form makes before it asks the
// API (the API checks again: these only spare a round trip and put the message at the field).

/** The API's slug rule: 3–48 lower-case letters, digits and hyphens, starting and ending with a letter or digit. */
export const SLUG = /^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$/;
export const MIN_PASSWORD = 10;

/** "Café Bär & Co." → "cafe-bar-co" (accents dropped, anything else a hyphen, at most 48 characters). */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 48)
    .replace(/^-+|-+$/g, "");
}

export interface SignupForm {
  businessName: string;
  slug: string;
  timezone: string;
  currency: string;
  ownerEmail: string;
  ownerPassword: string;
}

export type SignupProblem = "required" | "slug" | "email" | "password";

/** The first problem of each field, or an empty object when the form may be sent. */
export function checkSignup(f: SignupForm): Partial<Record<keyof SignupForm, SignupProblem>> {
  const out: Partial<Record<keyof SignupForm, SignupProblem>> = {};
  for (const k of Object.keys(f) as (keyof SignupForm)[]) if (!f[k].trim()) out[k] = "required";
  if (!out.slug && !SLUG.test(f.slug)) out.slug = "slug";
  if (!out.ownerEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.ownerEmail.trim())) out.ownerEmail = "email";
  if (!out.ownerPassword && f.ownerPassword.length < MIN_PASSWORD) out.ownerPassword = "password";
  return out;
}

/** The reset or invitation token from a link's fragment (`#token=…`): never sent to a server or in a Referer. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token && /^[A-Za-z0-9_-]{16,128}$/.test(token) ? token : null;
}
