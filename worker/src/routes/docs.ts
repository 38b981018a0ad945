// GET /openapi.json (generated from the route schemas) and GET /docs, a self-contained interactive reference.

import { docsPage } from "./docs-page.ts";
import { pageNonce } from "./page-headers.ts";
import type { App } from "./types.ts";

export const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: { title: "Bookra API", version: "1.0.0", description: "Booking platform API: public (widget, SDK) and admin." },
} as const;

export function registerDocs(app: App): void {
  app.doc31("/openapi.json", (c) => ({ ...OPENAPI_INFO, servers: [{ url: new URL(c.req.url).origin }] }));
  app.get("/docs", (c) => c.html(docsPage(pageNonce(c))));
}
