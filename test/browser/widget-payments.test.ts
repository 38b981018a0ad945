import pg from "pg";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axe, hostPage, inW, listen, startWidgetWorld, type WidgetWorld, watch } from "./harness.ts";

let w: WidgetWorld;
let colour: string;
let haircut: string;
const script = (attrs: string) =>
  `<script src="__BOOKRA_API__/widget.js" data-tenant="demo-salon" ${attrs} async></script>`;
const pages: Record<string, string> = {};

beforeAll(async () => {
  w = await startWidgetWorld(pages, { popupBlocking: true });
  colour = w.catalog.services.find((s) => s.name === "Colour & cut")!.id;
  haircut = w.catalog.services.find((s) => s.name === "Haircut")!.id;
  Object.assign(pages, {
    "/list": hostPage(`<h1>Host</h1><div id="c" data-bookra-inline></div>`),
    "/floating": hostPage(`<h1>Host</h1><p><a id="first" href="#top">A host link</a></p>`, {
      script: script("data-floating"),
    }),
    "/inline": hostPage(`<div id="c" data-bookra-inline data-service="${haircut}"></div>`),
    "/dark": hostPage(`<div id="c" data-bookra-inline data-service="${haircut}"></div>`, {
      script: script('data-theme="dark"'),
    }),
  });
}, 180_000);

afterAll(async () => {
  await w?.stop();
});

async function open(path: string, opts: { colorScheme?: "dark" | "light" } = {}): Promise<Page> {
  const page = await w.browser.newPage({ viewport: { width: 1280, height: 900 }, ...opts });
  await page.goto(`${w.host.url}${path}`);
  return page;
}

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: w.stack.adminUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function adminBooking(id: string): Promise<{ id: string; start: string; status: string }> {
  const res = await fetch(`${w.stack.baseUrl}/v1/admin/bookings/${id}`, {
    headers: { authorization: `Bearer ${w.apiKey}` },
  });
  return (await res.json()) as { id: string; start: string; status: string };
}

/** Service list → "Colour & cut" (30 % deposit) → first slot → details; returns the slot's start. */
async function toDepositDetails(page: Page, email: string): Promise<string> {
  const svc = inW(page, `.svc[data-service="${colour}"]`);
  await svc.waitFor();
  expect(await svc.textContent()).toContain("£36.00 deposit");
  await svc.click();
  const slot = inW(page, "[data-slot]").first();
  await slot.waitFor();
  const start = (await slot.getAttribute("data-slot"))!;
  await slot.click();
  await inW(page, "#bk-name").fill("Dee Posit");
  await inW(page, "#bk-email").fill(email);
  return start;
}

describe("a service with a deposit", () => {
  it("opens the checkout in the customer's click, counts the hold down and confirms once paid", async () => {
    // The page's timers run on Playwright's clock (at the real time, flowing naturally) so that the end can fast-
    // forward it; fetch calls are recorded in the page, where they happen.
    const page = await w.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.clock.install();
    await page.addInitScript(() => {
      const calls: string[] = [];
      const real = window.fetch.bind(window);
      (window as unknown as { fetchCalls: string[] }).fetchCalls = calls;
      window.fetch = (input, init) => {
        calls.push(input instanceof Request ? input.url : String(input));
        return real(input, init);
      };
    });
    await page.goto(`${w.host.url}/list`);
    const seen = watch(page);
    const events = await listen(page);
    const start = await toDepositDetails(page, "dee@example.com");

    // The booking's answer is held back until the new tab exists: the tab is opened in the click's own turn, not
    // after the request (Chromium's popup blocker is on; a window opened later would be blocked in some browsers).
    let opened!: () => void;
    const tabOpened = new Promise<void>((ok) => {
      opened = ok;
    });
    await page.route(/\/v1\/public\/demo-salon\/bookings$/, async (route) => {
      if (route.request().method() === "POST") await tabOpened;
      await route.continue();
    });
    const nextPage = page.context().waitForEvent("page");
    await inW(page, "button[type=submit]").click();
    const checkout = await nextPage;
    opened();
    // the booking's checkout link sends the tab on to Stripe's hosted page (the emulator's)
    await checkout.waitForURL(/\/c\/pay\/cs_\w+/);
    expect(await checkout.evaluate(() => window.opener)).toBeNull();
    const link = inW(page, "a.btn.pri");
    await link.waitFor();
    const bookingId = (await link.getAttribute("href"))!.match(/bkg_\w+/)![0];
    expect((await adminBooking(bookingId)).status).toBe("pending_payment");

    // the widget: the payment step, a hold countdown that runs, and a visible link to the same checkout
    const timer = inW(page, "[role=timer]");
    await timer.waitFor();
    const first = (await timer.textContent())!;
    expect(first).toMatch(/^1[0-5]:\d\d$|^\d:\d\d$/);
    await expect.poll(() => timer.textContent(), { timeout: 5000 }).not.toBe(first);
    expect(await link.getAttribute("href")).toMatch(new RegExp(`/checkout/demo-salon/${bookingId}\\?token=`));
    expect(await axe(page, ["#c", ".v"])).toEqual([]);

    expect(await checkout.textContent("body")).toContain("36.00");
    await checkout.getByRole("button", { name: /^Pay$/ }).click();
    await checkout.waitForURL(new RegExp(`/manage/demo-salon/${bookingId}`)); // Stripe's success_url
    await checkout.close();

    // Stripe's webhook reaches the worker on its own schedule (the worker first asks Stripe for the charge's fees):
    // wait until the booking is confirmed, then the widget asks at once when its window regains focus (headless
    // Chromium sends no focus on a tab switch, so it is dispatched here)
    await expect.poll(async () => (await adminBooking(bookingId)).status, { timeout: 30_000 }).toBe("confirmed");
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await inW(page, "[data-ics]").waitFor({ timeout: 2000 });
    expect(await inW(page, "h2").textContent()).toBe("You're booked!");
    expect(await inW(page, "[role=timer]").count()).toBe(0);
    expect(await events()).toEqual([
      ["cb", bookingId],
      ["dom", bookingId],
    ]);
    const booked = await adminBooking(bookingId);
    expect(booked).toMatchObject({ status: "confirmed", start });
    const outbox = await sql<{ event_type: string }>("SELECT event_type FROM outbox WHERE aggregate_id = $1", [
      bookingId,
    ]);
    expect(outbox.map((r) => r.event_type)).toContain("booking.confirmed");
    // the countdown stopped: a minute of the page's time passes (every timer due in it fires) and nothing polls
    const calls = () => page.evaluate(() => (window as unknown as { fetchCalls: string[] }).fetchCalls.length);
    const before = await calls();
    await page.clock.runFor(60_000);
    const after = await page.evaluate(() => (window as unknown as { fetchCalls: string[] }).fetchCalls);
    expect(after.slice(before).filter((url) => url.includes(bookingId))).toEqual([]);
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it("when the tab cannot open, links to the checkout; a lapsed hold offers other times", async () => {
    const page = await open("/list");
    const seen = watch(page);
    // a browser or extension that refuses the new tab
    await page.evaluate(() => {
      window.open = () => null;
    });
    const start = await toDepositDetails(page, "late@example.com");
    let pages = 0;
    page.context().on("page", () => pages++);
    await inW(page, "button[type=submit]").click();
    const link = inW(page, "a.btn.pri");
    await link.waitFor();
    expect(await link.textContent()).toBe("Open the payment page");
    expect(pages).toBe(0);
    const bookingId = (await link.getAttribute("href"))!.match(/bkg_\w+/)![0];
    expect((await adminBooking(bookingId)).status).toBe("pending_payment");
    // the link is a plain link in a new tab: the customer's click on it is never blocked
    const nextPage = page.context().waitForEvent("page");
    await link.click();
    const checkout = await nextPage;
    await checkout.waitForURL(/\/c\/pay\/cs_\w+/);
    await checkout.close();

    // the hold lapses on the server (holdMinutes is at least 5: it is moved into the past instead)
    await sql("UPDATE bookings SET hold_expires_at = now() - interval '1 second' WHERE id = $1", [bookingId]);
    const alert = inW(page, ".note[role=alert]");
    await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(1);
    expect(await alert.textContent()).toBe("The hold has expired and the time was released.");
    expect(await inW(page, "[role=timer]").count()).toBe(0);
    expect(await axe(page, ["#c", ".v"])).toEqual([]);

    // not a dead end: fresh times, the released one among them, and the details are kept
    await inW(page, "button.pri").filter({ hasText: "Choose another time" }).click();
    await inW(page, `[data-slot="${start}"]`).waitFor();
    expect(await inW(page, "h2").textContent()).toBe("Pick a date and time");
    await inW(page, `[data-slot="${start}"]`).click();
    expect(await inW(page, "#bk-email").inputValue()).toBe("late@example.com");
    expect(seen.errors).toEqual([]);
    await page.close();
  });
});

describe("the floating button", () => {
  it("is reachable with the keyboard, opens the popup and books", async () => {
    const page = await open("/floating");
    const seen = watch(page);
    const events = await listen(page);
    const fab = page.locator("[data-bookra-fab]");
    await fab.waitFor();
    expect(await fab.textContent()).toBe("Book now");
    const box = (await fab.boundingBox())!;
    expect(box.x + box.width).toBeGreaterThan(1280 - 40);
    expect(box.y + box.height).toBeGreaterThan(900 - 40);
    expect(await axe(page, ["[data-bookra-overlay]", ".v"])).toEqual([]);

    const onFab = () =>
      page.evaluate(() => !!document.activeElement?.shadowRoot?.activeElement?.hasAttribute("data-bookra-fab"));
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("first");
    await page.keyboard.press("Tab");
    expect(await onFab()).toBe(true);
    await page.keyboard.press("Enter");
    const dialog = page.locator("[data-bookra-overlay] [role=dialog]");
    await dialog.waitFor();
    expect(await dialog.getAttribute("aria-modal")).toBe("true");

    await dialog.locator(`.svc[data-service="${haircut}"]`).click();
    const slot = dialog.locator("[data-slot]").first();
    await slot.waitFor();
    const start = await slot.getAttribute("data-slot");
    await slot.click();
    await dialog.locator("#bk-name").fill("Flo Ating");
    await dialog.locator("#bk-email").fill("flo@example.com");
    await dialog.locator("#bk-email").press("Enter");
    await dialog.locator("[data-ics]").waitFor();
    const [ev] = await events();
    expect(ev?.[0]).toBeDefined();
    expect(await adminBooking(ev![1]!)).toMatchObject({ status: "confirmed", start });

    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await onFab()).toBe(true);
    expect(seen.errors).toEqual([]);
    await page.close();
  });
});

describe("dark mode", () => {
  const colors = (page: Page) =>
    inW(page, ".v").evaluate((el) => {
      const s = getComputedStyle(el);
      return { bg: s.backgroundColor, fg: s.color };
    });
  const DARK = { bg: "rgb(17, 24, 39)", fg: "rgb(243, 244, 246)" };
  /** Slots can render before the catalog brings the tenant's colors: axe checks the branded widget. */
  const branded = (page: Page) =>
    expect
      .poll(() => inW(page, ".v").evaluate((el) => (el as HTMLElement).style.getPropertyValue("--bk-p")))
      .toBe("#7c3aed");

  it("follows a dark color scheme, and passes axe on the time step and the details form", async () => {
    const page = await open("/inline", { colorScheme: "dark" });
    const slot = inW(page, "[data-slot]").first();
    await slot.waitFor();
    await branded(page);
    expect(await colors(page)).toEqual(DARK);
    expect(await axe(page, ["#c", ".v"])).toEqual([]);
    await slot.click();
    await inW(page, "#bk-name").waitFor();
    await inW(page, "button[type=submit]").click(); // the field errors too
    await expect.poll(() => inW(page, "#bk-name").getAttribute("aria-invalid")).toBe("true");
    expect(await axe(page, ["#c", ".v"])).toEqual([]);
    await page.close();
  });

  it("is dark with data-theme='dark' on the script tag, even in a light color scheme", async () => {
    const page = await open("/dark", { colorScheme: "light" });
    const slot = inW(page, "[data-slot]").first();
    await slot.waitFor();
    await branded(page);
    expect(await colors(page)).toEqual(DARK);
    expect(await axe(page, ["#c", ".v"])).toEqual([]);
    await slot.click();
    await inW(page, "#bk-name").waitFor();
    expect(await axe(page, ["#c", ".v"])).toEqual([]);
    // a light page next to it stays light
    const light = await open("/inline", { colorScheme: "light" });
    await inW(light, "[data-slot]").first().waitFor();
    expect((await colors(light)).bg).toBe("rgb(255, 255, 255)");
    await light.close();
    await page.close();
  });
});
