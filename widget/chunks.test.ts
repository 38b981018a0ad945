// The widget's lazy chunks in a real browser: another language arrives as its own chunk, and nothing is shown until
// it has (no flash of English), also under a host page's nonce-only Content-Security-Policy (a dynamic import
// inherits the nonce of the module that makes it); an English page fetches the loader and the entry only; and every
// chunk of the build is served with the headers that let other origins load and cache it.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostPage, inW, startWidgetWorld, type WidgetWorld, watch } from "../test/browser/harness.ts";
import type { WidgetBuild } from "./scripts/build.ts";

let w: WidgetWorld;
let built: WidgetBuild;
const pages: Record<string, string> = {};
const NONCE = "n0nc3-for-the-host-page";
// The host's policy allows scripts by nonce only ('self' would not cover the API's origin anyway).
const CSP = `<meta http-equiv="Content-Security-Policy" content="script-src 'nonce-${NONCE}'; object-src 'none'; base-uri 'none'">`;

beforeAll(async () => {
  w = await startWidgetWorld(pages);
  built = JSON.parse(readFileSync(resolve(import.meta.dirname, "dist/manifest.json"), "utf8")) as WidgetBuild;
  const haircut = w.catalog.services.find((s) => s.name === "Haircut")!.id;
  Object.assign(pages, {
    "/en": hostPage(`<div id="c" data-bookra-inline data-service="${haircut}"></div>`),
    "/de-csp": hostPage(`<div id="c" data-bookra-inline data-service="${haircut}" data-locale="de"></div>`, {
      head: CSP,
      script: `<script nonce="${NONCE}" src="__BOOKRA_API__/widget.js" data-tenant="demo-salon" async></script>`,
    }),
  });
}, 180_000);

afterAll(async () => {
  await w?.stop();
});

/** The widget's files the page asked for, in order (file names only). */
function widgetRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (r) => {
    const m = new URL(r.url()).pathname.match(/^\/(widget[\w.-]*\.js)$/);
    if (m) seen.push(m[1]!);
  });
  return seen;
}

async function cspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { csp: string[] }).csp = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
}

describe("lazy chunks", () => {
  it("an English page fetches the loader and the app entry only", async () => {
    const page = await w.browser.newPage();
    const requested = widgetRequests(page);
    const seen = watch(page);
    await page.goto(`${w.host.url}/en`);
    await inW(page, "[data-slot]").first().waitFor();
    expect(await inW(page, "h2").textContent()).toBe("Pick a date and time");
    expect(requested).toEqual(["widget.js", built.appFile]);
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it("German comes in its own chunk under a nonce-only CSP, and nothing shows before it", async () => {
    const page = await w.browser.newPage();
    await cspViolations(page);
    const requested = widgetRequests(page);
    const seen = watch(page);
    // hold the German texts back until the times have arrived: the widget must wait, showing nothing
    let release!: () => void;
    const held = new Promise<void>((ok) => {
      release = ok;
    });
    const locale = built.chunks.find((c) => c.modules.some((m) => m.endsWith("locales/de.ts")))!.file;
    await page.route(`**/${locale}`, async (route: Route) => {
      await held;
      await route.continue();
    });
    const times = page.waitForResponse((r) => r.url().includes("/availability"));
    await page.goto(`${w.host.url}/de-csp`);
    await times;
    expect(requested).toContain(locale);
    const shown = () => page.evaluate(() => document.querySelector("#c")?.shadowRoot?.textContent ?? null);
    expect(await shown()).toBe("");
    release();
    await inW(page, "[data-slot]").first().waitFor();
    expect(await inW(page, "h2").textContent()).toBe("Datum und Uhrzeit wählen");
    expect(await inW(page, "label[for=bk-tz]").textContent()).toBe("Zeitzone");
    expect(await page.evaluate(() => (window as unknown as { csp: string[] }).csp)).toEqual([]);
    expect(seen.errors).toEqual([]);
    // the policy is enforced: a script without the nonce is refused, and the recorder sees it
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = true";
      document.body.appendChild(script);
    });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { csp: string[] }).csp))
      .toEqual(["script-src-elem inline"]);
    await page.close();
  });

  it("the payment step's chunks load under the hosted booking page's CSP", async () => {
    const colour = w.catalog.services.find((s) => s.name === "Colour & cut")!.id;
    const page = await w.browser.newPage();
    await cspViolations(page);
    const requested = widgetRequests(page);
    const seen = watch(page);
    await page.goto(`${w.stack.baseUrl}/book/demo-salon/${colour}`);
    const root = "[data-bookra-inline]";
    await page.locator(`${root} [data-slot]`).first().click();
    await page.locator(`${root} #bk-name`).fill("Dee Posit");
    await page.locator(`${root} #bk-email`).fill("dee.csp@example.com");
    const tab = page.context().waitForEvent("page");
    await page.locator(`${root} button[type=submit]`).click();
    await (await tab).close();
    await page.locator(`${root} [role=timer]`).waitFor();
    const payment = built.chunks.filter((c) => c.lazy && c.modules.some((m) => /payment/.test(m))).map((c) => c.file);
    expect(payment.length).toBeGreaterThan(0);
    expect(requested).toEqual(expect.arrayContaining(payment));
    expect(await page.evaluate(() => (window as unknown as { csp: string[] }).csp)).toEqual([]);
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it("every chunk is served cross-origin with CORS, long caching and nosniff", async () => {
    expect(built.chunks.filter((c) => c.lazy).length).toBeGreaterThanOrEqual(4);
    for (const c of built.chunks) {
      const res = await fetch(`${w.stack.baseUrl}/${c.file}`, { headers: { origin: w.host.url } });
      expect(res.status, c.file).toBe(200);
      expect(res.headers.get("content-type"), c.file).toMatch(/javascript/);
      expect(res.headers.get("access-control-allow-origin"), c.file).toBe("*");
      expect(res.headers.get("cache-control"), c.file).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options"), c.file).toBe("nosniff");
    }
  });
});
