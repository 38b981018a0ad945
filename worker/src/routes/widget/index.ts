// The widget's pages on the worker: GET /book/{tenant}[/{serviceId}] (the shareable booking page) and
// GET /manage/{tenant}/{bookingId}?token=… (the e-mail link). /widget.js and /widget-app.<hash>.js themselves are
// Workers static assets (wrangler.toml [assets] → dist/public, headers from its _headers).
import type { Context } from "hono";
import { NotFound } from "../../errors.ts";
import { looksLikeId } from "../../lib/ids.ts";
import { getCatalog } from "../../services/catalog/catalog.ts";
import { resolveTenantSlug } from "../../services/tenants/tenants.ts";
import { tenantCtx } from "../context.ts";
import { pageNonce } from "../page-headers.ts";
import type { App, AppEnv } from "../types.ts";
import { hostedPage } from "./pages.ts";

const TOKEN = /^[\w.-]{1,100}$/;

async function catalogFor(c: Context<AppEnv>, slug: string) {
  const tenantId = await resolveTenantSlug({ db: c.var.db(), slug });
  if (!tenantId) throw new NotFound("Page");
  return (await getCatalog({ ctx: tenantCtx(c, tenantId), scope: { tenantId } })).catalog;
}

const PUBLIC = { "cache-control": "public, max-age=60" };
const PRIVATE = { "cache-control": "private, no-store", "x-robots-tag": "noindex" };

export function registerWidgetRoutes(app: App): void {
  app.get("/book/:tenant", async (c) => {
    const catalog = await catalogFor(c, c.req.param("tenant"));
    return c.html(hostedPage({ catalog, container: {}, title: "Book online", nonce: pageNonce(c) }), 200, PUBLIC);
  });

  app.get("/book/:tenant/:serviceId", async (c) => {
    const catalog = await catalogFor(c, c.req.param("tenant"));
    const service = catalog.services.find((s) => s.id === c.req.param("serviceId"));
    if (!service) throw new NotFound("Page");
    const page = hostedPage({ catalog, container: { service: service.id }, title: service.name, nonce: pageNonce(c) });
    return c.html(page, 200, PUBLIC);
  });

  app.get("/manage/:tenant/:bookingId", async (c) => {
    const bookingId = c.req.param("bookingId");
    const token = c.req.query("token") ?? "";
    if (!looksLikeId("bkg", bookingId) || !TOKEN.test(token)) throw new NotFound("Page");
    const catalog = await catalogFor(c, c.req.param("tenant"));
    // The widget checks the token against the API; a wrong one shows "this link is not valid" there.
    const container = { "bookra-manage": "", booking: bookingId, token };
    return c.html(hostedPage({ catalog, container, title: "Your booking", nonce: pageNonce(c) }), 200, PRIVATE);
  });
}
