// The dashboard's figures (issue 12), on the real stack: shell + Today min+gzip (from the build); then, in Chromium,
// for a business of 10 staff with 500 bookings in one week (staff and service through the API, the bookings written
// to the database in one statement), over fresh browser contexts: Today rendered after signing in (from the click on
// "Sign in" to every staff member's panel), Today rendered on a reload while signed in (from navigation start), and
// the calendar's week of 10 staff / 500 bookings rendered after its answer has arrived (target ≤ 200 ms).
// Nothing is scripted: the worker and Postgres answer every request.
// Run: npm run bench -- dashboard (DASHBOARD_BENCH_LOADS=n runs, default 10, after one warm-up, in BENCH_ROUNDS ≥ 5
// rounds of ⌈n / rounds⌉ loads).
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import pg from "pg";
import type { Page } from "playwright-core";
import { buildAssets } from "../scripts/build-assets.ts";
import { ROOT, type RunningStack, startStack } from "../scripts/lib/stack.ts";
import { localInstant, must, signUpBusiness } from "../test/browser/dashboard-world.ts";
import { launchChromium } from "../test/browser/harness.ts";
import { benchRounds, spread } from "./lib.ts";

const ROUNDS = benchRounds();
const LOADS_PER_ROUND = Math.max(1, Math.ceil(Number(process.env.DASHBOARD_BENCH_LOADS ?? 10) / ROUNDS));
const LOADS = ROUNDS * LOADS_PER_ROUND;
const STAFF = 10;
const BOOKINGS = 500;

/** The spread of samples taken in order, LOADS_PER_ROUND to a round (ms). */
function figures(samples: number[]) {
  return spread(
    Array.from({ length: ROUNDS }, (_, r) => samples.slice(r * LOADS_PER_ROUND, (r + 1) * LOADS_PER_ROUND)),
  );
}

/** Monday of the ISO week of a date (YYYY-MM-DD). */
function mondayOf(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * 10 staff (Ana and Ben of signUpBusiness and 8 more, all on the haircut, 08:00–18:00 every day) and 500 one-hour
 * bookings spread over the week of today: each staff member 50, 7 or 8 a day from 08:00, a few completed or no-show.
 */
async function seedWeek(stack: RunningStack) {
  const b = await signUpBusiness(stack.baseUrl, { name: "Bench Salon" });
  const weeklyHours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "08:00", end: "18:00" }));
  const staffIds = [b.ana.id];
  await must(stack.baseUrl, "PATCH", `/v1/admin/staff/${b.ben.id}`, { serviceIds: [b.haircut, b.beard] }, b.apiKey);
  staffIds.push(b.ben.id);
  for (let i = staffIds.length; i < STAFF; i++) {
    const s = await must(
      stack.baseUrl,
      "POST",
      "/v1/admin/staff",
      { name: `Stylist ${i}`, commissionBps: 0, serviceIds: [b.haircut], weeklyHours },
      b.apiKey,
    );
    staffIds.push(s.id);
  }
  const monday = mondayOf(b.today);
  const days = Array.from({ length: 7 }, (_, d) =>
    new Date(Date.parse(`${monday}T12:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10),
  );
  const client = new pg.Client({ connectionString: stack.adminUrl });
  await client.connect();
  try {
    const customers = Array.from({ length: 100 }, (_, i) => [`cus_bench${String(i).padStart(6, "0")}`, `Client ${i}`]);
    await client.query(
      `INSERT INTO customers (id, tenant_id, name, email)
       SELECT c.id, $1, c.name, c.id || '@bench.example' FROM jsonb_to_recordset($2::jsonb) AS c(id text, name text)`,
      [b.tenantId, JSON.stringify(customers.map(([id, name]) => ({ id, name })))],
    );
    const rows = [];
    for (let n = 0; n < BOOKINGS; n++) {
      const staff = n % STAFF;
      const k = Math.floor(n / STAFF); // 0..49 for each staff member
      const day = days[k % 7]!;
      const hour = 8 + Math.floor(k / 7);
      const start = localInstant(day, hour, 0, b.offsetHours);
      rows.push({
        id: `bkg_bench${String(n).padStart(8, "0")}`,
        staff: staffIds[staff],
        customer: customers[n % customers.length]![0],
        status: n % 23 === 0 ? "completed" : n % 29 === 0 ? "no_show" : "confirmed",
        start,
        end: new Date(Date.parse(start) + 3_600_000).toISOString(),
      });
    }
    await client.query(
      `INSERT INTO bookings (id, tenant_id, service_id, staff_id, customer_id, status, starts_at, ends_at, blocked_from,
         blocked_until, price_amount, currency, manage_token_hash, source)
       SELECT r.id, $1, $2, r.staff, r.customer, r.status, r.start, r."end", r.start, r."end", 3500, 'EUR', 'x', 'admin'
       FROM jsonb_to_recordset($3::jsonb) AS r(id text, staff text, customer text, status text, start timestamptz, "end" timestamptz)`,
      [b.tenantId, b.haircut, JSON.stringify(rows)],
    );
  } finally {
    await client.end();
  }
  return { business: b, monday };
}

// Strings, not functions: tsx would wrap inner functions in a `__name` helper the page does not have.
/** Marks when the calendar's answer has been read, so the render is timed from there. */
const MARK_CALENDAR = `(() => {
  const orig = window.fetch;
  window.fetch = async (...args) => {
    const res = await orig(...args);
    if (!String(args[0] && args[0].url ? args[0].url : args[0]).includes("/v1/admin/calendar")) return res;
    const body = await res.text();
    window.__calendarAt = performance.now();
    return new Response(body, { status: res.status, headers: res.headers });
  };
})()`;
/** Resolves with the ms from `from` (an expression) until `count` elements match `selector`, checked every frame. */
const WAIT = (selector: string, count: number, from: string) => `new Promise((done, fail) => {
  const t0 = performance.now();
  (function poll() {
    if (document.querySelectorAll(${JSON.stringify(selector)}).length >= ${count}) done(performance.now() - (${from}));
    else if (performance.now() - t0 > 15000) fail(new Error(${JSON.stringify(`${selector} × ${count} not rendered within 15 s`)}));
    else requestAnimationFrame(poll);
  })();
})`;

async function signInTimed(page: Page, email: string, password: string): Promise<number> {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  return page.evaluate<number>(`(() => {
    const t0 = performance.now();
    document.querySelector("form button[type=submit]").click();
    return ${WAIT(".staff-days .panel", STAFF, "t0")};
  })()`);
}

export async function benchDashboard() {
  const { dashboard } = await buildAssets();
  const dataDir = resolve(ROOT, ".data", `dashboard-bench-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const stack = await startStack({ dataDir, unsafeFast: true });
  const browser = await launchChromium();
  try {
    const { business: b, monday } = await seedWeek(stack);
    const base = stack.baseUrl;
    const afterSignIn: number[] = [];
    const reload: number[] = [];
    const week: number[] = [];
    for (let i = 0; i < LOADS + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      const page = await context.newPage();
      await page.addInitScript(MARK_CALENDAR);
      await page.goto(`${base}/app/today`);
      const signIn = await signInTimed(page, b.owner.email, b.owner.password);
      await page.reload();
      const todayReload = await page.evaluate<number>(WAIT(".staff-days .panel", STAFF, "0"));
      await page.goto(`${base}/app/calendar?view=week&date=${monday}`);
      const w = await page.evaluate<number>(WAIT(".grid .booking", BOOKINGS, "window.__calendarAt"));
      if (i > 0) {
        afterSignIn.push(signIn);
        reload.push(todayReload);
        week.push(w);
      }
      await context.close();
    }
    return {
      shellAndTodayGzipBytes: dashboard.shellAndToday.gzip,
      todayAfterSignInMs: figures(afterSignIn),
      todayReloadSignedInMs: figures(reload),
      calendarWeek10Staff500BookingsMs: figures(week),
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
