// Security headers. Every HTML page gets a strict Content-Security-Policy (scripts and styles from this origin or
// carrying the response's nonce; no inline handlers), cannot be framed, and sends no Referer (manage, invoice and
// checkout URLs hold tokens). Every response, JSON included, is `nosniff`: nothing is ever read as a script by guess.
import type { Context, MiddlewareHandler } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { App } from "./types.ts";

/** The worker's HTML pages (the widget's bundles are static assets with their own `_headers`); /app/* is the dashboard. */
export const HTML_PAGE_PATHS = [
  "/book/*",
  "/manage/*",
  "/checkout/*",
  "/invoices/*",
  "/docs",
  "/dev/mailbox",
  "/app",
  "/app/*",
];

const PAGE_CSP = {
  defaultSrc: ["'none'"],
  // 'self': /widget.js and the /widget-app.<hash>.js it injects, the dashboard's /app/assets/*; the nonce: the page's
  // own inline script, if any.
  scriptSrc: ["'self'", NONCE],
  // The widget's shadow roots adopt a constructed stylesheet (not subject to style-src) or, in older browsers,
  // append a <style> carrying the loader script's nonce; style properties set through the CSSOM are always allowed.
  styleSrc: ["'self'", NONCE],
  imgSrc: ["'self'", "https:", "data:"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

const secure = (contentSecurityPolicy: typeof PAGE_CSP): MiddlewareHandler =>
  secureHeaders({
    contentSecurityPolicy,
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    // The booking flow opens the payment page in a tab of its own and then points it at the checkout URL.
    crossOriginOpenerPolicy: "same-origin-allow-popups",
  });

const pageHeaders = secure(PAGE_CSP);

/** /docs (Scalar's API reference, a Vue app) alone allows inline styles: its nonce'd scripts from this origin add
 * <style> elements without the nonce (the theme, toasts, the code editor) and render `style` attributes, and a nonce
 * in style-src would switch 'unsafe-inline' off. Scripts stay nonce-only; the page shows only the API's own OpenAPI
 * document and holds no customer data. */
const docsHeaders = secure({ ...PAGE_CSP, styleSrc: ["'self'", "'unsafe-inline'"] });

const noSniff: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set("X-Content-Type-Options", "nosniff");
};

/** Registered before every route, so error pages (a 404 for a wrong token) carry the headers too. */
export function registerSecurityHeaders(app: App): void {
  app.use("*", noSniff);
  for (const path of HTML_PAGE_PATHS) app.use(path, path === "/docs" ? docsHeaders : pageHeaders);
}

/** The nonce that this response's Content-Security-Policy names (set by pageHeaders before the handler runs). */
export function pageNonce(c: Context): string {
  const nonce = c.get("secureHeadersNonce");
  if (!nonce) throw new Error("pageNonce() outside a path covered by HTML_PAGE_PATHS");
  return nonce;
}
