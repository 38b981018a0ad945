// The Bookings and Customers pages in Chromium against the real stack (worker, database, outbox): no scripted
// answers. A business of its own, bookings made through the public API, the owner signed in through the form.

import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hhmm, toLocal } from "../../dashboard/src/models/time.ts";
import { ROOT } from "../../scripts/lib/stack.ts";
import { admin, type Business, book, freeStarts, seedBusiness, signInAsOwner } from "./dashboard-helpers-bookings.ts";
import { axe, startWidgetWorld, type WidgetWorld, watch } from "./harness.ts";

/** `UPDATE_SCREENSHOTS=1` rewrites dashboard/screenshots/*-bookings*.png and *-customer*.png from these tests. */
const SHOTS = process.env.UPDATE_SCREENSHOTS === "1";
const shot = (page: Page, name: string) =>
  SHOTS ? page.screenshot({ path: resolve(ROOT, `dashboard/screenshots/${name}.png`), fullPage: true }) : undefined;

let w: WidgetWorld;
let biz: Business;
let phoebe: { id: string; customerId: string };
let other: { id: string; customerId: string };
const tag = Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  w = await startWidgetWorld();
  biz = await seedBusiness(w.stack.baseUrl);
  const haircut = biz.services.find((s) => s.name === "Haircut")!.id;
  const starts = await freeStarts(w.stack.baseUrl, biz, haircut);
  expect(starts.length).toBeGreaterThan(10);
  phoebe = await book(w.stack.baseUrl, biz, {
    serviceId: haircut,
    start: starts.at(-1)!,
    customer: { name: `Phoebe Phone ${tag}`, email: `phoebe-${tag}@example.com`, phone: "+44 20 7946 0958" },
  });
  other = await book(w.stack.baseUrl, biz, {
    serviceId: haircut,
    start: starts[0]!,
    customer: { name: `Otto Other ${tag}`, email: `otto-${tag}@example.com` },
  });
  await admin(w.stack.baseUrl, biz, "POST", `/v1/admin/bookings/${other.id}/cancel`);
}, 240_000);

afterAll(async () => {
  await w?.stop();
});

const rows = (page: Page) => page.locator("ul.results > li");
const here = (page: Page) => {
  const u = new URL(page.url());
  return u.pathname + u.search;
};

describe("the Bookings page", () => {
  it("search finds a booking by phone digits, a status filter narrows, and both survive a reload", async () => {
    const page = await w.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const { errors } = watch(page);
    await signInAsOwner(page, w.stack.baseUrl, biz, "/bookings");
    await page.getByRole("heading", { name: "Bookings", level: 1 }).waitFor();
    await expect.poll(() => rows(page).count()).toBe(2);

    await page.getByRole("searchbox", { name: "Search" }).fill("2079460958");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => here(page)).toBe("/app/bookings?q=2079460958");
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().textContent()).toContain(`Phoebe Phone ${tag}`);

    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => rows(page).count()).toBe(2);
    await page.getByRole("checkbox", { name: "Cancelled" }).check();
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => here(page)).toBe("/app/bookings?status=cancelled");
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().textContent()).toContain(`Otto Other ${tag}`);

    await page.reload();
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().textContent()).toContain(`Otto Other ${tag}`);
    expect(await page.getByRole("checkbox", { name: "Cancelled" }).isChecked()).toBe(true);

    // a range with "from" after "to" is refused at the field, and nothing is asked
    await page.getByLabel("From", { exact: true }).fill("2030-01-10");
    await page.getByLabel("To", { exact: true }).fill("2030-01-01");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText("“From” must be on or before “To”.").waitFor();
    expect(await page.getByLabel("To", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(here(page)).toBe("/app/bookings?status=cancelled");

    expect(await axe(page, ["body"])).toEqual([]);
    await shot(page, "desktop-bookings");
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(page, "phone-bookings");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a booking's page shows the confirmation e-mail in its timeline once the outbox has sent it", async () => {
    // the outbox works on its own: wait (by polling the API) until the customer e-mail's completion is recorded
    await expect
      .poll(
        async () => {
          const tl = (await admin(w.stack.baseUrl, biz, "GET", `/v1/admin/bookings/${phoebe.id}/timeline`)) as {
            entries: { kind: string; handler: string | null }[];
          };
          return tl.entries.some((e) => e.kind === "effect" && e.handler === "customer-email");
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe(true);
    const page = await w.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const { errors } = watch(page);
    await signInAsOwner(page, w.stack.baseUrl, biz, `/bookings?q=${encodeURIComponent(`Phoebe Phone ${tag}`)}`);
    await expect.poll(() => rows(page).count()).toBe(1);
    await rows(page).first().getByRole("link").click();
    await expect.poll(() => here(page)).toBe(`/app/bookings/${phoebe.id}`);
    await page.getByRole("heading", { name: `Booking: Phoebe Phone ${tag}` }).waitFor();
    const timeline = page.locator("ol.timeline");
    await timeline.locator('li[data-kind="created"]').filter({ hasText: "Booking created" }).waitFor();
    const email = timeline.locator(`li[data-source$="/customer-email"]`);
    await email.first().waitFor();
    expect(await email.first().textContent()).toContain("E-mail to the customer sent");
    // an action the booking's state refuses is explained where it was asked (no no-show before it starts)
    await page.getByRole("button", { name: "Mark no-show" }).click();
    await page.locator(".actions-panel [role=alert]").waitFor();
    expect(await page.locator(".actions-panel [role=alert]").textContent()).toMatch(/^Not possible now: /);

    // reschedule: a time nobody works is refused and said at the form; a free one moves it and the timeline says so
    const tz = "Europe/London";
    const current = (await admin(w.stack.baseUrl, biz, "GET", `/v1/admin/bookings/${phoebe.id}`)) as {
      start: string;
      staffId: string;
      serviceId: string;
    };
    await page.getByLabel("New time").fill("03:00");
    await page.getByRole("button", { name: "Move booking" }).click();
    await page
      .locator(".reschedule [role=alert]")
      .filter({ hasText: "That time is not free: choose another." })
      .waitFor();
    const free = (await freeStarts(w.stack.baseUrl, biz, current.serviceId, current.staffId)).find(
      (s) => s !== current.start,
    )!;
    const local = toLocal(free, tz);
    await page.getByLabel("New date").fill(local.date);
    await page.getByLabel("New time").fill(hhmm(local.minutes));
    await page.getByRole("button", { name: "Move booking" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /^Moved to / })
      .waitFor();
    await timeline.locator('li[data-kind="rescheduled"]').filter({ hasText: "Booking moved" }).waitFor();
    expect(
      ((await admin(w.stack.baseUrl, biz, "GET", `/v1/admin/bookings/${phoebe.id}`)) as { start: string }).start,
    ).toBe(free);

    expect(await axe(page, ["body"])).toEqual([]);
    await shot(page, "desktop-booking");
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("the Customers page", () => {
  it("finds a customer, shows their counts, and private notes saved survive a reload", async () => {
    const page = await w.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const { errors } = watch(page);
    await signInAsOwner(page, w.stack.baseUrl, biz, "/customers");
    await page.getByRole("searchbox", { name: "Search" }).fill("7946 0958");
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => page.locator("ul.customer-list > li").count()).toBe(1);
    await page.getByRole("link", { name: `Phoebe Phone ${tag}` }).click();
    await expect.poll(() => here(page)).toBe(`/app/customers/${phoebe.customerId}`);
    await page.getByRole("heading", { name: `Phoebe Phone ${tag}`, level: 1 }).waitFor();
    expect(await page.locator('[data-count="total"]').textContent()).toBe("1");
    expect(await page.locator('[data-count="noShows"]').textContent()).toBe("0");

    const notes = page.getByLabel("Private notes");
    // over the limit: said at the field by the counter, and not sent
    await notes.fill("x".repeat(5001));
    await page.getByText("1 characters too many (at most 5000).").waitFor();
    expect(await notes.getAttribute("aria-invalid")).toBe("true");
    const text = `Prefers mornings ${tag}.\nAllergic to lavender.`;
    await notes.fill(text);
    expect(await page.locator("#cu-notes-count").textContent()).toBe(`${text.length} of 5000 characters`);
    await page.getByRole("button", { name: "Save notes" }).click();
    await page.getByText("Notes saved.").waitFor();
    await page.reload();
    await page.getByRole("heading", { name: `Phoebe Phone ${tag}`, level: 1 }).waitFor();
    expect(await page.getByLabel("Private notes").inputValue()).toBe(text);

    expect(await axe(page, ["body"])).toEqual([]);
    await shot(page, "desktop-customer");
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(page, "phone-customer");
    expect(errors).toEqual([]);
    await page.close();
  });
});
