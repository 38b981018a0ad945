// The dashboard's figures (issue 12): shell + Today min+gzip (from the build), and in Chromium on the local stack,
// over fresh pages: the Today page rendered after the app starts, and a calendar week of 10 staff with 500 bookings
// rendered once its answer has arrived (target ≤ 200 ms). The admin answers are scripted (the same fixtures as
// test/browser/dashboard.test.ts), so the figures are the dashboard's own, not the API's.
// Run: npx tsx bench/dashboard-bench.ts
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { buildAssets } from "../scripts/build-assets.ts";
import { ROOT, startStack } from "../scripts/lib/stack.ts";
import { calendar, signedIn } from "../test/browser/dashboard-fixtures.ts";
import { launchChromium } from "../test/browser/harness.ts";
import { summarize } from "./lib.ts";

const LOADS = Number(process.env.DASHBOARD_BENCH_LOADS ?? 10);

// Strings, not functions: tsx would wrap inner functions in a `__name` helper the page does not have.
/** Marks when the calendar's answer has been read, so the render is timed from there. */
const MARK_CALENDAR = `(() => {
  const orig = window.fetch;
  window.fetch = async (...args) => {
    const res = await orig(...args);
    if (!String(args[0]).includes("/v1/admin/calendar")) return res;
    const body = await res.text();
    window.__calendarAt = performance.now();
    return new Response(body, { status: res.status, headers: res.headers });
  };
})()`;
const WAIT = (selector: string, count: number, from: string) => `new Promise((done, fail) => {
  const t0 = performance.now();
  (function poll() {
    if (document.querySelectorAll(${JSON.stringify(selector)}).length >= ${count}) done(performance.now() - (${from}));
    else if (performance.now() - t0 > 15000) fail(new Error("not rendered within 15 s"));
    else requestAnimationFrame(poll);
  })();
})`;

export async function benchDashboard() {
  const { dashboard } = await buildAssets();
  const dataDir = resolve(ROOT, ".data", `dashboard-bench-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const stack = await startStack({ dataDir, unsafeFast: true });
  const browser = await launchChromium();
  try {
    const today: number[] = [];
    const week: number[] = [];
    for (let i = 0; i < LOADS + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      const page = await context.newPage();
      await page.addInitScript(MARK_CALENDAR);
      await signedIn(page, (from, to) => calendar(10, from === to ? 8 : 50, from, to));
      await page.goto(`${stack.baseUrl}/app/today`);
      const t = await page.evaluate<number>(WAIT(".staff-days .panel", 10, "0"));
      await page.goto(`${stack.baseUrl}/app/calendar?view=week&date=2027-03-02`);
      const w = await page.evaluate<number>(WAIT(".grid .booking", 500, "window.__calendarAt"));
      if (i > 0) {
        today.push(t); // from navigation start (performance's origin) to every staff member's panel
        week.push(w);
      }
      await context.close();
    }
    return {
      shellAndTodayGzipBytes: dashboard.shellAndToday.gzip,
      todayRenderedMs: summarize(today),
      calendarWeek10Staff500BookingsMs: summarize(week),
    };
  } finally {
    await browser.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  console.log("dashboard:", JSON.stringify(await benchDashboard()));
}
