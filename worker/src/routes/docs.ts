// GET /openapi.json (generated from the route schemas) and GET /docs, the interactive reference: Scalar's API
// reference (@scalar/hono-api-reference) on the self-hosted bundle, under the page's strict CSP.

import { Scalar } from "@scalar/hono-api-reference";
import { DOCS_BUNDLE_PATH } from "./docs-bundle.ts";
import { pageNonce } from "./page-headers.ts";
import type { App } from "./types.ts";

export const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: { title: "Bookra API", version: "1.0.0", description: "Booking platform API: public (widget, SDK) and admin." },
} as const;

export function registerDocs(app: App): void {
  app.doc31("/openapi.json", (c) => ({ ...OPENAPI_INFO, servers: [{ url: new URL(c.req.url).origin }] }));
  app.get(
    "/docs",
    Scalar((c) => ({
      pageTitle: "Bookra API reference",
      url: "/openapi.json",
      // The classic single-file bundle from this origin: no chunks to load, nothing from jsDelivr.
      cdn: DOCS_BUNDLE_PATH,
      // On the inline config script and theme <style>, and (as <meta property="csp-nonce">) on the <style> the
      // bundle injects at run time.
      nonce: pageNonce(c),
      // Nothing from another origin: the system fonts instead of fonts.scalar.com, no Scalar agent, telemetry,
      // proxy or developer tools. "Test request" calls this origin directly (connect-src 'self').
      withDefaultFonts: false,
      telemetry: false,
      showDeveloperTools: "never",
      agent: { disabled: true },
      mcp: { disabled: true },
      documentDownloadType: "json",
    })),
  );
}
