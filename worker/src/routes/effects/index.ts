// Routes that present side effects to people: private staff ICS feeds, invoice pages, the local dev mailbox, and the
// admin routes that issue feeds and set channels. Pages answer 404 to anything that does not check out.
import type { z } from "@hono/zod-openapi";
import { staffFeed } from "../../effects/feeds.ts";
import { viewInvoice } from "../../effects/invoices.ts";
import { readDevMailbox } from "../../effects/mailbox.ts";
import { NotFound } from "../../errors.ts";
import { FeedParams, InvoiceParams, InvoiceQuery } from "../../schemas/effects.ts";
import { pageNonce } from "../page-headers.ts";
import type { App } from "../types.ts";
import { registerEffectAdminRoutes } from "./admin.ts";
import { invoicePage, mailboxPage } from "./pages.ts";

/** Page inputs that do not validate cannot name anything: they are a 404 like any other miss. */
function parseOr404<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new NotFound(what);
  return parsed.data;
}

/** Feeds and invoices are reached by secret URLs (Referrer-Policy: no-referrer comes with every page's headers). */
const PRIVATE = { "cache-control": "private, no-store", "x-robots-tag": "noindex", "referrer-policy": "no-referrer" };

export function registerEffectRoutes(app: App): void {
  registerEffectAdminRoutes(app);

  app.get("/feeds/staff/:staffId/:file", async (c) => {
    const { staffId, file } = parseOr404(FeedParams, c.req.param(), "Feed");
    const ics = await staffFeed({
      db: c.var.db(),
      staffId,
      token: file.slice(0, -".ics".length),
      now: c.var.deps.now(),
    });
    return c.body(ics, 200, { "content-type": "text/calendar; charset=utf-8", ...PRIVATE });
  });

  app.get("/invoices/:invoiceId", async (c) => {
    const { invoiceId } = parseOr404(InvoiceParams, c.req.param(), "Invoice");
    const { token } = parseOr404(InvoiceQuery, c.req.query(), "Invoice");
    const view = await viewInvoice({ db: c.var.db(), config: c.var.deps.config, invoiceId, token });
    return c.html(invoicePage(view, pageNonce(c)), 200, PRIVATE);
  });

  // A local developer tool: it does not exist unless configured (the worker: BOOKRA_ENV=local).
  app.get("/dev/mailbox", async (c) => {
    if (!c.var.deps.config.devMailbox) throw new NotFound("Page");
    return c.html(mailboxPage(await readDevMailbox(c.var.db()), pageNonce(c)), 200, { "cache-control": "no-store" });
  });
}
