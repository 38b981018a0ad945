// The dashboard's URLs, pure: a path under /app/ read as a page and its query, and where signing in may return to.

export const BASE = "/app";

export interface Route {
  /** The first path segment after /app/ ("" for /app/ itself). */
  page: string;
  /** Path after /app (with its query), to come back to after signing in. */
  path: string;
  query: URLSearchParams;
}

export function parseRoute(pathname: string, search: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const page = rest.split("/").filter(Boolean)[0] ?? "";
  return { page, path: `${rest || "/"}${search}`, query: new URLSearchParams(search) };
}

/**
 * Where to go after signing in: the `next` the sign-in page was given when it is a path inside the app, else Today.
 * Never another origin (`//evil.example`, `https:…`, a backslash trick): an open redirect would hand the page to it.
 */
export function returnPath(next: string | null): string {
  return next && /^\/(?![/\\])[\w\-/?=&%.~+]*$/.test(next) && !next.startsWith("/sign-in") ? next : "/today";
}

/** The segment after the page's own in a route's path: "/bookings/bkg_1?x=1" → "bkg_1"; null on the page itself. */
export function subPath(path: string): string | null {
  const seg = path.split(/[?#]/)[0]!.split("/").filter(Boolean)[1];
  if (!seg) return null;
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg; // a malformed %-escape: shown as typed, and the API answers 404 for it
  }
}
