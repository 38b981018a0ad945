// The worker's HTML pages under their Content-Security-Policy in a real browser: every page still works (book,
// manage, pay on Stripe's (the emulator's) checkout and come back, the API reference, the dev mailbox) and none records a violation. (The invoice
// page's markup is checked in-process, test/security-headers.test.ts: its link needs the stack's token secret.)
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCS_BUNDLE_PATH } from "../../worker/src/routes/docs-bundle.ts";
import { startWidgetWorld, type WidgetWorld, watch } from "./harness.ts";

let w: WidgetWorld;
let haircut: string;
let colour: string;

beforeAll(async () => {
  w = await startWidgetWorld();
  haircut = w.catalog.services.find((s) => s.name === "Haircut")!.id;
  colour = w.catalog.services.find((s) => s.name === "Colour & cut")!.id;
}, 180_000);

afterAll(async () => {
  await w?.stop();
});

/** A page that records every CSP violation (events, shadow roots included, and Chrome's console reports). */
async function watchedPage(): Promise<{ page: Page; violations: () => Promise<string[]>; errors: string[] }> {
  const page = await w.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener(
      "securitypolicyviolation",
      (e) =>
        seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`),
      true,
    );
  });
  const consoleReports: string[] = [];
  page.on("console", (m) => {
    if (/content security policy|refused to/i.test(m.text())) consoleReports.push(m.text());
  });
  const { errors } = watch(page);
  return {
    page,
    errors,
    violations: async () => [
      ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)),
      ...consoleReports,
    ],
  };
}

async function bookThroughApi(serviceId: string): Promise<{ id: string; manageToken: string; checkoutUrl?: string }> {
  const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
  const slots = (await (
    await fetch(`${w.stack.baseUrl}/v1/public/demo-salon/availability?serviceId=${serviceId}&from=${from}&to=${to}`)
  ).json()) as { slots: { start: string }[] };
  const res = await fetch(`${w.stack.baseUrl}/v1/public/demo-salon/bookings`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      serviceId,
      start: slots.slots.at(-1)!.start,
      customer: { name: "Csp Tester", email: `csp-${Math.random().toString(36).slice(2)}@example.com` },
    }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { booking: { id: string }; manageToken: string; checkout?: { url: string } };
  return { id: body.booking.id, manageToken: body.manageToken, checkoutUrl: body.checkout?.url };
}

describe("hosted pages under their CSP", () => {
  it("book: the widget mounts in its shadow root, takes a booking, and nothing is blocked", async () => {
    const { page, violations, errors } = await watchedPage();
    const res = await page.goto(`${w.stack.baseUrl}/book/demo-salon/${haircut}`);
    expect(res!.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    const root = "[data-bookra-inline]";
    await page.locator(`${root} [data-slot]`).first().click();
    await page.locator(`${root} #bk-name`).fill("Ada Lovelace");
    await page.locator(`${root} #bk-email`).fill("ada.csp@example.com");
    await page.locator(`${root} button[type=submit]`).click();
    await page.locator(`${root} [data-ics]`).waitFor();
    // The shadow root's styles applied (a constructed sheet, or a nonce'd <style> where that is unsupported).
    const styled = await page.evaluate(() => {
      const host = document.querySelector("[data-bookra-inline]")!;
      const btn = host.shadowRoot!.querySelector(".btn")!;
      return getComputedStyle(btn).display !== "inline" || getComputedStyle(btn).cursor === "pointer";
    });
    expect(styled).toBe(true);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    // The recorder does see a violation inside the shadow root (a <style> without the nonce is refused).
    await page.evaluate(() => {
      const style = document.createElement("style");
      style.textContent = ".btn{color:red}";
      document.querySelector("[data-bookra-inline]")!.shadowRoot!.appendChild(style);
    });
    await expect
      .poll(violations)
      .toEqual(expect.arrayContaining([expect.stringMatching(/^style-src-elem blocked inline/)]));
    await page.close();
  });

  it("manage: cancels through the widget; the token never leaves in a Referer", async () => {
    const b = await bookThroughApi(haircut);
    const { page, violations, errors } = await watchedPage();
    const res = await page.goto(`${w.stack.baseUrl}/manage/demo-salon/${b.id}?token=${b.manageToken}`);
    expect(res!.headers()["referrer-policy"]).toBe("no-referrer");
    const root = "[data-bookra-manage]";
    await page.locator(`${root} [data-status=confirmed]`).waitFor();
    const apiCalls = page.waitForRequest((r) => r.url().includes(`/bookings/${b.id}`) && r.method() === "POST");
    await page.locator(`${root} [data-cancel]`).click();
    await page.locator(`${root} [data-yes-cancel]`).click();
    expect((await (await apiCalls).allHeaders()).referer).toBeUndefined();
    await page.locator(`${root} [data-status=cancelled]`).waitFor();
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("checkout: the link goes on to Stripe's page, Pay comes back to the manage page, which shows it confirmed", async () => {
    const b = await bookThroughApi(colour);
    expect(b.checkoutUrl).toBeDefined();
    const { page, violations, errors } = await watchedPage();
    await page.goto(b.checkoutUrl!);
    await page.waitForURL(/\/c\/pay\/cs_\w+/);
    await page.getByRole("button", { name: /^Pay$/ }).click();
    await page.waitForURL(new RegExp(`/manage/demo-salon/${b.id}`));
    // the signed checkout.session.completed reaches the worker on its own schedule: reload until it shows
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.locator("[data-bookra-manage] [data-status]").first().waitFor();
          return page.locator("[data-bookra-manage] [data-status=confirmed]").count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("docs: Scalar's reference renders from /openapi.json (header parameters, response schemas, the auth scheme), all from this origin", async () => {
    const { page, violations, errors } = await watchedPage();
    const origin = new URL(w.stack.baseUrl).origin;
    const foreign: string[] = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (url.origin !== origin && url.protocol !== "data:" && url.protocol !== "blob:") foreign.push(r.url());
    });
    const loaded = page.waitForResponse((r) => new URL(r.url()).pathname === "/openapi.json" && r.ok());
    const res = await page.goto(`${w.stack.baseUrl}/docs`);
    await loaded;
    const csp = res!.headers()["content-security-policy"]!;
    expect(csp).toContain("default-src 'none'");
    // scripts stay nonce-only; /docs alone allows inline styles (page-headers.ts says why)
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+';/);
    expect(csp).toContain("style-src 'self' 'unsafe-inline';");
    // the bundle is the self-hosted one, not jsDelivr's
    expect(await page.locator("script[src]").evaluateAll((s) => s.map((e) => e.getAttribute("src")))).toEqual([
      DOCS_BUNDLE_PATH,
    ]);
    // an operation, reached through the sidebar (Scalar renders a tag's operations when it is opened)
    await page.getByText("Public: bookings", { exact: true }).first().click();
    await page.getByText("Book a slot (no staffId = any free staff member)").first().click();
    const op = page.locator('section[id$="/POST/v1/public/{tenant}/bookings"]');
    await op.waitFor();
    // createPublicBooking's Idempotency-Key header parameter, under "Headers"
    expect(await op.textContent()).toMatch(/Headers\s*idempotency-key/i);
    // a response schema: the 201's properties once it is expanded
    const created = op.locator('[id$=".responses.201"]');
    await created.click();
    await expect.poll(() => created.locator("xpath=..").textContent()).toMatch(/manageToken.*Type:/s);
    // the admin routes' auth scheme, offered in the authentication selector: a bearer token
    await page.getByText("Select Auth Type").first().click();
    await page.getByRole("option", { name: "apiKey" }).click();
    await page
      .getByText(/Bearer Token/i)
      .first()
      .waitFor();
    // "Test Request": Scalar's client sends the example straight to this origin (no proxy) and shows the answer
    const sent = page.waitForResponse((r) => r.url().startsWith(`${origin}/v1/public/demo-salon/bookings`));
    await op.getByRole("button", { name: /Test Request/ }).click();
    await page.getByRole("button", { name: /^Send/ }).first().click();
    expect((await sent).status()).toBe(400); // the example's empty serviceId
    await page
      .getByText(/VALIDATION_FAILED/)
      .last()
      .waitFor();
    expect(foreign).toEqual([]);
    // The one report allowed: the bundle's zod probes whether it may compile validators (`Function("")` in a
    // try/catch) and, refused (no 'unsafe-eval'), validates without them.
    expect((await violations()).filter((v) => !/^script-src blocked eval at [^ ]*\/docs-assets\//.test(v))).toEqual([]);
    expect(errors).toEqual([]);
    // The policy is enforced: a script without the page's nonce does not run, and the recorder reports it.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = true";
      document.body.appendChild(script);
    });
    await expect
      .poll(violations)
      .toEqual(expect.arrayContaining([expect.stringMatching(/^script-src-elem blocked inline/)]));
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    await page.close();
  });

  it("dev mailbox: renders under the same policy", async () => {
    const { page, violations, errors } = await watchedPage();
    const res = await page.goto(`${w.stack.baseUrl}/dev/mailbox`);
    expect(res!.headers()["content-security-policy"]).toContain("default-src 'none'");
    await page.locator("section#email h2").waitFor();
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("static bundles are nosniff", async () => {
    const js = await fetch(`${w.stack.baseUrl}/widget.js`);
    expect(js.headers.get("x-content-type-options")).toBe("nosniff");
    const appFile = (await js.text()).match(/widget-app\.\w+\.js/)![0];
    expect((await fetch(`${w.stack.baseUrl}/${appFile}`)).headers.get("x-content-type-options")).toBe("nosniff");
    // the API reference's self-hosted bundle: same-origin only (no CORS), revalidated after five minutes
    const docs = await fetch(`${w.stack.baseUrl}${DOCS_BUNDLE_PATH}`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get("content-type")).toMatch(/javascript/);
    expect(docs.headers.get("x-content-type-options")).toBe("nosniff");
    expect(docs.headers.get("cache-control")).toBe("public, max-age=300, stale-while-revalidate=86400");
    expect(docs.headers.get("access-control-allow-origin")).toBeNull();
    expect(await docs.text()).toContain("createApiReference");
  });
});
