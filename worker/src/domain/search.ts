// Free-text search terms for admin lists: what a substring match on names, e-mails and phone numbers looks for.

/** `%term%` for LIKE/ILIKE with the term's own `%`, `_` and `\` matched literally (Postgres' default escape). */
export function substringPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** The digits of a term that looks like (part of) a phone number, or null: "+44 20 79" → "442079". */
export function phoneDigits(term: string): string | null {
  if (!/^[+0-9 ()-]+$/.test(term)) return null;
  const digits = term.replace(/\D/g, "");
  return digits.length >= 3 ? digits : null;
}
