// Tenant slugs that would read as Bookra's own pages or as another domain, so no business may claim them.
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
