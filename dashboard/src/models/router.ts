// The dashboard's URL, under /app/: `route` is the current page name and its query; `navigate` pushes a new one.
// The worker answers every /app/* path with the same index.html, so deep links and reloads land on their page.
import { signal } from "@preact/signals";
import { BASE, parseRoute, type Route } from "./paths.ts";

export { BASE, parseRoute, type Route, returnPath } from "./paths.ts";

export const route = signal<Route>(parseRoute(location.pathname, location.search));

/** Goes to `path` (relative to /app, e.g. "/calendar?view=week"); `replace` keeps the history entry. */
export function navigate(path: string, replace = false): void {
  const url = `${BASE}${path.startsWith("/") ? path : `/${path}`}`;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  route.value = parseRoute(location.pathname, location.search);
}

/** Updates the query of the current page without a new history entry (view, date, staff of the calendar). */
export function setQuery(changes: Record<string, string | null>): void {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(changes)) v === null ? q.delete(k) : q.set(k, v);
  const qs = q.toString();
  navigate(`/${route.value.page}${qs ? `?${qs}` : ""}`, true);
}

addEventListener("popstate", () => {
  route.value = parseRoute(location.pathname, location.search);
});

/** A same-origin link click handled in the app (modifier keys keep the browser's own behaviour). */
export function onLinkClick(e: MouseEvent, path: string): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(path);
}
