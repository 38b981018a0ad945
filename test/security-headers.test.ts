// Every HTML page the worker serves carries a strict CSP (nonce'd inline style and script, no inline handlers),
// cannot be framed, is nosniff and sends no Referer; every other response is nosniff too.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { invoiceHandler } from "../worker/src/effects/handlers/invoice.ts";
import { invoiceTokenFor } from "../worker/src/effects/invoices.ts";
import { DOCS_BUNDLE_PATH } from "../worker/src/routes/docs-bundle.ts";
import { HTML_PAGE_PATHS } from "../worker/src/routes/page-headers.ts";
import { CONFIG, effects } from "./effects/helpers.ts";
import { useTestApp } from "./helpers/app.ts";
import { createSalon, customer } from "./helpers/salon.ts";

const t = useTestApp();
const fx = effects(t);
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
});

/** Every HTML page, reached as its visitors reach it (filled in once the fixtures exist). */
const pages: Record<string, string> = {};
/** The app as the local stack configures it (BOOKRA_ENV=local), so the dev mailbox is among the pages. */
let local: ReturnType<typeof t.withConfig>;

beforeAll(async () => {
  local = t.withConfig({ devMailbox: true });
  t.clock.now = new Date("2027-03-01T08:00:00Z");
  const s = await createSalon(t);
  const booked = await fx.book(s, "2027-03-02T09:00:00Z");
  await fx.run(invoiceHandler, await fx.lastEvent(booked.id, "booking.created"));
  const [invoice] = await t.database.admin("SELECT id FROM invoices WHERE booking_id = $1", [booked.id]);
  const deposit = await createSalon(t, { connected: true, service: { deposit: { percent: 20 } } });
  const held = await t.request("POST", `/v1/public/${deposit.tenant.slug}/bookings`, {
    body: { serviceId: deposit.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("pay") },
  });
  const checkout = new URL(held.body.checkout.url);
  Object.assign(pages, {
    book: `/book/${s.tenant.slug}`,
    bookService: `/book/${s.tenant.slug}/${s.serviceId}`,
    manage: `/manage/${s.tenant.slug}/${booked.id}?token=${booked.manageToken}`,
    checkout: checkout.pathname + checkout.search,
    invoice: `/invoices/${invoice!.id}?token=${await invoiceTokenFor(CONFIG, invoice!.id)}`,
    docs: "/docs",
    mailbox: "/dev/mailbox",
  });
});

async function get(path: string, init: RequestInit = {}) {
  const res = await local.request(path, init);
  return { res, html: await res.text() };
}

/** `inlineStyles`: /docs alone (Scalar's reference adds <style> elements without the nonce; page-headers.ts). */
function expectPageHeaders(res: Response, { inlineStyles = false } = {}) {
  const csp = res.headers.get("content-security-policy") ?? "";
  const directives = new Map(
    csp.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
  expect(directives.get("default-src")).toEqual(["'none'"]);
  expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
  expect(directives.get("base-uri")).toEqual(["'none'"]);
  expect(directives.get("object-src")).toEqual(["'none'"]);
  for (const d of inlineStyles ? ["script-src"] : ["script-src", "style-src"]) {
    expect(directives.get(d)).toContain("'self'");
    expect(directives.get(d)).not.toContain("'unsafe-inline'");
    expect(directives.get(d)).not.toContain("'unsafe-eval'");
  }
  if (inlineStyles) expect(directives.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
  expect(directives.get("connect-src")).toEqual(["'self'"]);
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  const nonce = /'nonce-([A-Za-z0-9+/=]{16,})'/.exec(directives.get("script-src")!.join(" "))?.[1];
  expect(nonce).toBeDefined();
  if (!inlineStyles) expect(directives.get("style-src")).toContain(`'nonce-${nonce}'`);
  return nonce!;
}

describe("HTML pages", () => {
  it.each(["book", "bookService", "manage", "invoice", "docs", "mailbox"])(
    "%s: strict CSP whose nonce every inline style and script carries, no inline handlers, no framing, no Referer",
    async (name) => {
      const { res, html } = await get(pages[name]!);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      const nonce = expectPageHeaders(res, { inlineStyles: name === "docs" });
      const inline = [...html.matchAll(/<(style|script)([^>]*)>/g)].filter(([, tag, attrs]) =>
        tag === "style" ? true : !/\bsrc=/.test(attrs!),
      );
      for (const [, , attrs] of inline) expect(attrs).toContain(`nonce="${nonce}"`);
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/\sstyle\s*=/i);
      expect(html).not.toMatch(/javascript:/i);
    },
  );

  it("a fresh nonce per response", async () => {
    const a = expectPageHeaders((await get("/docs")).res, { inlineStyles: true });
    const b = expectPageHeaders((await get("/docs")).res, { inlineStyles: true });
    expect(a).not.toBe(b);
  });

  it("/docs differs from the other pages' policy in style-src only, and loads its script from this origin", async () => {
    const withoutStyleSrc = (res: Response) =>
      res.headers
        .get("content-security-policy")!
        .replace(/'nonce-[^']+'/g, "'nonce'")
        .split("; ")
        .filter((d) => !d.startsWith("style-src"));
    const docs = await get("/docs");
    expect(withoutStyleSrc(docs.res)).toEqual(withoutStyleSrc((await get(pages.book!)).res));
    expect([...docs.html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1])).toEqual([DOCS_BUNDLE_PATH]);
    expect(docs.html).not.toMatch(/https?:\/\//);
  });

  // The checkout link is a redirect to Stripe's own page now (issue 13): the worker serves no checkout page.
  it("the checkout link renders no page of its own: 409 until the business can take payments", async () => {
    const { res } = await get(pages.checkout!, { redirect: "manual" });
    expect(res.status).toBe(409);
  });

  it("refusals on page paths (an unknown tenant, a wrong token) carry them as well", async () => {
    for (const [path, status] of [
      ["/book/no-such-tenant", 404],
      [`${pages.invoice!.split("?")[0]}?token=nope`, 404],
      // The manage page itself renders; the widget checks the token against the API and says the link is not valid.
      [`${pages.manage!.split("?")[0]}?token=mt_wrong`, 200],
    ] as const) {
      const { res } = await get(path);
      expect(res.status).toBe(status);
      expectPageHeaders(res);
    }
  });

  it("every GET route outside the JSON API is either a listed HTML page or a known non-HTML resource", () => {
    const NOT_HTML = ["/health", "/openapi.json", "/feeds/staff/:staffId/:file"];
    const covered = (path: string) =>
      HTML_PAGE_PATHS.some((p) => (p.endsWith("/*") ? path.startsWith(p.slice(0, -1)) : path === p));
    const uncovered = t.app.routes
      .filter((r) => r.method === "GET" && !r.path.startsWith("/v1/") && r.path !== "/*")
      .map((r) => r.path)
      .filter((path) => !covered(path) && !NOT_HTML.includes(path));
    expect(uncovered).toEqual([]);
  });
});

describe("other responses", () => {
  it("JSON answers, errors included, are nosniff and carry no page policy", async () => {
    const s = await createSalon(t);
    for (const path of [`/v1/public/${s.tenant.slug}/catalog`, "/v1/public/no-such-tenant/catalog", "/nope"]) {
      const res = await t.app.request(path);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toBeNull();
    }
  });
});
