// Browser-test plumbing: the real stack (embedded Postgres + the worker in workerd) on a throwaway data dir with the
// demo seed, a host page on another origin, and Debian's Chromium driven by playwright-core (never a download).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium, type LaunchOptions, type Page } from "playwright-core";
import { type DemoHost, startDemoHost } from "../../examples/embed/serve.ts";
import { ASSETS_DIR, buildAssets } from "../../scripts/build-assets.ts";
import { DEMO_SLUG, seedDemo } from "../../scripts/lib/seed.ts";
import { ROOT, type RunningStack, type StackOptions, startStack } from "../../scripts/lib/stack.ts";
import { DOCS_BUNDLE_PATH } from "../../worker/src/routes/docs-bundle.ts";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/** `popupBlocking` keeps Chromium's popup blocker on (playwright turns it off by default), as a real user has it. */
export function launchChromium(opts: { popupBlocking?: boolean } = {}): Promise<Browser> {
  const launch: LaunchOptions = { executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS };
  if (opts.popupBlocking) launch.ignoreDefaultArgs = ["--disable-popup-blocking"];
  return chromium.launch(launch);
}

export interface WidgetWorld {
  stack: RunningStack;
  host: DemoHost;
  browser: Browser;
  apiKey: string;
  catalog: { services: { id: string; name: string; staffIds: string[] }[]; staff: { id: string; name: string }[] };
  stop(): Promise<void>;
}

/**
 * Starts everything; `pages` are extra host pages (with `__BOOKRA_API__` filled in). `stripe`: the emulator's options
 * (default: fast webhook retries, refunds that settle at once).
 */
export async function startWidgetWorld(
  pages: Record<string, string> = {},
  browserOpts: Parameters<typeof launchChromium>[0] = {},
  stripe: StackOptions["stripe"] = { retrySchedule: "fast", refundSettleMs: 0 },
): Promise<WidgetWorld> {
  // (a dist/ from before the API reference's bundle or the dashboard joined the build lacks them: build again)
  if (!["widget.js", DOCS_BUNDLE_PATH, "app/index.html"].every((f) => existsSync(join(ASSETS_DIR, f))))
    await buildAssets();
  const dataDir = mkdtempSync(join(tmpdir(), "bookra-widget-"));
  const stack = await startStack({ dataDir, unsafeFast: true, stripe });
  try {
    // The demo business has an onboarded (emulated) Stripe account: deposits are paid on the emulator's page.
    const { apiKey } = await seedDemo(stack.baseUrl, DEMO_SLUG, { stripeUrl: stack.stripeUrl });
    const catalog = (await (
      await fetch(`${stack.baseUrl}/v1/public/${DEMO_SLUG}/catalog`)
    ).json()) as WidgetWorld["catalog"];
    const host = await startDemoHost({ apiBaseUrl: stack.baseUrl, pages });
    const browser = await launchChromium(browserOpts);
    return {
      stack,
      host,
      browser,
      apiKey,
      catalog,
      stop: async () => {
        await browser.close();
        await host.close();
        await stack.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** A host page with one inline container (and whatever else is given). */
export function hostPage(body: string, opts: { head?: string; script?: string } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Host page</title><link rel="icon" href="data:,">${opts.head ?? ""}</head><body><main>${body}</main>${opts.script ?? '<script src="__BOOKRA_API__/widget.js" data-tenant="demo-salon" async></script>'}</body></html>`;
}

/** Collects page errors and console warnings, so a test can assert the host page never saw an exception. */
export function watch(page: Page) {
  const errors: string[] = [];
  const warnings: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "warning") warnings.push(m.text());
    // An API answer of 404/409 is logged by Chrome as a failed resource: expected, and not an exception.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  return { errors, warnings };
}

const AXE = readFileSync(resolve(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

/** The inline widget's shadow content (playwright's CSS engine pierces open shadow roots). */
/** Records `booking:confirmed` as the host sees it: the Bookra('on') callback and the DOM event. */
export async function listen(page: Page) {
  await page.evaluate(() => {
    const win = window as any;
    win.events = [];
    window.addEventListener("bookra:booking:confirmed", (e) =>
      win.events.push(["dom", (e as CustomEvent).detail.booking.id]),
    );
    win.Bookra ??= (...a: unknown[]) => {
      win.Bookra.q ??= [];
      win.Bookra.q.push(a);
    };
    win.Bookra("on", "booking:confirmed", (d: { booking: { id: string } }) => win.events.push(["cb", d.booking.id]));
  });
  return () => page.evaluate(() => (window as unknown as { events: string[][] }).events);
}

export const inW = (page: Page, sel: string) => page.locator(`#c ${sel}`);

/** axe-core's violations inside `include`, one line each (empty when the page passes). */
export async function axe(page: Page, include: string[]): Promise<string[]> {
  // Evaluated, not added as a <script> tag: the hosted pages' CSP (rightly) refuses inline scripts without its nonce.
  await page.evaluate(AXE);
  return page.evaluate(async (inc) => {
    const r = await (window as any).axe.run({ include: [inc] }, { resultTypes: ["violations"] });
    return r.violations.map(
      (v: { id: string; nodes: { target: unknown }[] }) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`,
    );
  }, include);
}
