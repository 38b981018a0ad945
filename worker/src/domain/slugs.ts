// Tenant slugs: what one looks like, and the names that would read as Bookra's own pages or as another domain, so no
// business may claim them.

/**
 * A slug: 3–48 lower-case letters, digits and hyphens, starting and ending with a letter or digit. The database holds
 * the same rule as a CHECK on tenants.slug (migrations/0001_foundation.sql).
 */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$/;

/** Names of the product's own paths and brands: `/book/admin` or `admin.bookra…` must never be a tenant's. */
export const RESERVED_SLUGS: readonly string[] = [
  "admin",
  "api",
  "www",
  "book",
  "docs",
  "support",
  "bookra",
  "stripe",
  "login",
  "manage",
  "checkout",
  "invoices",
  "dev",
  "widget",
  "static",
  "health",
];

const RESERVED: ReadonlySet<string> = new Set(RESERVED_SLUGS);

/** True for a reserved name and for any punycode label (`xn--…`), which could spell a look-alike of another name. */
export function isReservedSlug(slug: string): boolean {
  const s = slug.toLowerCase();
  return RESERVED.has(s) || s.startsWith("xn--");
}
