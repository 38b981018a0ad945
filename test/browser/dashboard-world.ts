// The dashboard's browser tests, bench and screenshots on the real stack: embedded Postgres, the worker in workerd,
// Debian's Chromium. A business is signed up through the API (POST /v1/signup) in a time zone where the stack's real
// "now" is between 05:00 and 06:00, so the whole working day (08:00–18:00) lies ahead of every step, with the
// services' hour of notice to spare. The worker reads the real clock; the pages' clock (Playwright's) is fixed at the
// instant the business signed up. Nothing here scripts an API answer.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { ASSETS_DIR, buildAssets } from "../../scripts/build-assets.ts";
import { type RunningStack, startStack } from "../../scripts/lib/stack.ts";
import { launchChromium } from "./harness.ts";

export interface DashboardWorld {
  stack: RunningStack;
  browser: Browser;
  stop(): Promise<void>;
}

/** The stack on a throwaway data dir (the dashboard built first if dist/ lacks it) and Chromium. */
export async function startDashboardWorld(): Promise<DashboardWorld> {
  if (!["widget.js", "app/index.html"].every((f) => existsSync(join(ASSETS_DIR, f)))) await buildAssets();
  const dataDir = mkdtempSync(join(tmpdir(), "bookra-dashboard-"));
  const stack = await startStack({ dataDir, unsafeFast: true });
  try {
    const browser = await launchChromium();
    return {
      stack,
      browser,
      stop: async () => {
        await browser.close();
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

export interface ApiAnswer {
  status: number;
  body: any;
}

/** One JSON request; `auth` is an API key (`sk_…`) or a session cookie value (`bs_…`, sent with the API's Origin). */
export async function call(base: string, method: string, path: string, body?: unknown, auth?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth?.startsWith("sk_")) headers.authorization = `Bearer ${auth}`;
  else if (auth) Object.assign(headers, { cookie: `bookra_session=${auth}`, origin: base });
  if (method !== "GET" && method !== "DELETE") headers["idempotency-key"] = crypto.randomUUID();
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Like `call`, but anything but a 2xx throws (set-up steps). */
export async function must(base: string, method: string, path: string, body?: unknown, auth?: string) {
  const r = await call(base, method, path, body, auth);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * Connects the business to the stack's emulated Stripe and completes its onboarding (the emulator's control API), then
 * waits for `account.updated` to reach the worker: until then a deposit service cannot be booked online.
 */
export async function connectStripe(w: DashboardWorld, apiKey: string): Promise<void> {
  const base = w.stack.baseUrl;
  const { state } = await must(base, "POST", "/v1/admin/payments/connect", {}, apiKey);
  const done = await fetch(`${w.stack.stripeUrl}/_emulator/accounts/${state.accountId}/complete`, { method: "POST" });
  if (!done.ok) throw new Error(`emulated onboarding → ${done.status}`);
  await expect
    .poll(async () => (await must(base, "GET", "/v1/admin/payments", undefined, apiKey)).chargesEnabled, {
      timeout: 15_000,
    })
    .toBe(true);
}

/**
 * A fixed-offset IANA zone (`Etc/GMT∓n`) in which the instant `at` falls in the local hour `hour`, so a test knows
 * the local day ahead of it whatever the hour it runs at. `offsetHours` is the zone's offset from UTC.
 */
export function zoneWhereHourIs(hour: number, at: Date): { timezone: string; offsetHours: number } {
  let off = (((hour - at.getUTCHours()) % 24) + 24) % 24;
  if (off > 14) off -= 24;
  return { timezone: off === 0 ? "UTC" : off > 0 ? `Etc/GMT-${off}` : `Etc/GMT+${-off}`, offsetHours: off };
}

/** The local calendar date of an instant in a fixed-offset zone. */
export const localDate = (at: Date, offsetHours: number) =>
  new Date(at.getTime() + offsetHours * 3_600_000).toISOString().slice(0, 10);

/** The instant (ISO, ms precision as the dashboard sends it) of a local date and time in a fixed-offset zone. */
export const localInstant = (date: string, hh: number, mm: number, offsetHours: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + ((hh - offsetHours) * 60 + mm) * 60_000).toISOString();

export interface Business {
  slug: string;
  name: string;
  tenantId: string;
  apiKey: string;
  owner: { email: string; password: string };
  timezone: string;
  offsetHours: number;
  /** The local date the stack's "now" falls on (the test's day). */
  today: string;
  /** The pages' fixed clock: the instant the business signed up (05:xx of `today`, local). */
  pageNow: Date;
  haircut: string;
  beard: string;
  ana: { id: string; email: string };
  ben: { id: string; email: string };
}

const rand = () => Math.random().toString(36).slice(2, 10);

/**
 * Signs a business up through the API and sets it up: Ana (haircuts) and Ben (beard trims) work 08:00–18:00 every
 * day in a zone where it is now 05:xx; a 60-minute haircut on the half hour, a 30-minute beard trim.
 * `webhookUrl`: a webhook endpoint to register (the local stack accepts loopback receivers).
 */
export async function signUpBusiness(base: string, opts: { webhookUrl?: string; name?: string } = {}) {
  const started = new Date();
  const { timezone, offsetHours } = zoneWhereHourIs(5, started);
  const slug = `e2e-${rand()}`;
  const owner = { email: `owner-${slug}@example.com`, password: `pw-${rand()}-${rand()}` };
  const name = opts.name ?? "Studio Norte";
  const signup = await must(base, "POST", "/v1/signup", {
    businessName: name,
    slug,
    timezone,
    currency: "EUR",
    ownerEmail: owner.email,
    ownerPassword: owner.password,
  });
  const key: string = signup.apiKey;
  const svc = (body: Record<string, unknown>) =>
    must(base, "POST", "/v1/admin/services", { staffIds: [], minNoticeMinutes: 60, ...body }, key);
  const haircut = await svc({
    name: "Haircut",
    durationMinutes: 60,
    price: { amount: 3500, currency: "EUR" },
    slotStepMinutes: 30,
  });
  const beard = await svc({
    name: "Beard trim",
    durationMinutes: 30,
    price: { amount: 1500, currency: "EUR" },
    slotStepMinutes: 30,
  });
  const weeklyHours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "08:00", end: "18:00" }));
  const staff = async (who: string, serviceId: string) => {
    const email = `${who.toLowerCase()}-${slug}@example.com`;
    const s = await must(
      base,
      "POST",
      "/v1/admin/staff",
      { name: who, email, commissionBps: 0, serviceIds: [serviceId], weeklyHours },
      key,
    );
    return { id: s.id as string, email };
  };
  const ana = await staff("Ana", haircut.id);
  const ben = await staff("Ben", beard.id);
  if (opts.webhookUrl) await must(base, "POST", "/v1/admin/webhook-endpoints", { url: opts.webhookUrl }, key);
  const today = localDate(started, offsetHours);
  const business: Business = {
    slug,
    name,
    tenantId: signup.tenant.id,
    apiKey: key,
    owner,
    timezone,
    offsetHours,
    today,
    pageNow: started,
    haircut: haircut.id,
    beard: beard.id,
    ana,
    ben,
  };
  return business;
}

/** An admin booking (walk-in) at a local time of the business's day. */
export async function bookAt(
  base: string,
  b: Business,
  who: { staffId: string; serviceId: string },
  hh: number,
  mm: number,
  customer = { name: `Walk In ${rand()}`, email: `walkin-${rand()}@example.com` },
): Promise<{ id: string; start: string; status: string }> {
  const r = await must(
    base,
    "POST",
    "/v1/admin/bookings",
    { ...who, start: localInstant(b.today, hh, mm, b.offsetHours), customer },
    b.apiKey,
  );
  return r.booking ?? r;
}

/** A fresh browser context whose pages run on the business's fixed clock (its sign-up instant). */
export async function dashboardContext(
  w: DashboardWorld,
  b: Business,
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await w.browser.newContext({ viewport });
  const page = await context.newPage();
  await page.clock.setFixedTime(b.pageNow);
  return { context, page };
}

/** Opens `path` under /app signed out, signs in through the sign-in page and lands back on `path`. */
export async function signInThroughPage(page: Page, base: string, path: string, email: string, password: string) {
  await page.goto(`${base}/app${path}`);
  await page.getByRole("heading", { name: "Sign in to your business" }).waitFor();
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/app${path}`);
}

export interface MailboxMessage {
  tenantSlug: string;
  recipient: string;
  subject: string;
  body: string;
}

const textOf = (s: string) =>
  s
    .replace(/<[^>]+>/g, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");

/** The e-mails the dev mailbox page (/dev/mailbox, the local adapters' record) shows, newest first. */
export async function mailbox(base: string): Promise<MailboxMessage[]> {
  const html = await (await fetch(`${base}/dev/mailbox`)).text();
  const emails = /<section id="email">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? "";
  return [...emails.matchAll(/<article>([\s\S]*?)<\/article>/g)].map(([, a]) => {
    const meta = textOf(/<div class="meta">([\s\S]*?)<\/div>/.exec(a!)?.[1] ?? "").split(" · ");
    return {
      tenantSlug: meta[1] ?? "",
      recipient: (meta[2] ?? "").replace(/^to /, ""),
      subject: textOf(/<h3>([\s\S]*?)<\/h3>/.exec(a!)?.[1] ?? ""),
      body: textOf(/<pre>([\s\S]*?)<\/pre>/.exec(a!)?.[1] ?? ""),
    };
  });
}

/** A webhook receiver on loopback that answers 200 and records the event types it was sent. */
export async function startReceiver(): Promise<{ url: string; types: string[]; close(): Promise<void> }> {
  const types: string[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => {
      raw += d;
    });
    req.on("end", () => {
      try {
        types.push(String(JSON.parse(raw).type));
      } catch {
        types.push("unreadable");
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    types,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections(); // a kept-alive connection of the worker's must not hold the close up
      }),
  };
}
