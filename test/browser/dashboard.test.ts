// The dashboard in Chromium against the real stack (issue 12's acceptance): the worker in workerd serves /app/ and
// the API, Postgres is real, e-mails are read from the dev mailbox and webhooks reach a receiver on loopback. No API
// answer is scripted. The worker reads the real clock, so each business is signed up in a zone where it is early
// morning (dashboard-world.ts); the pages run on a clock fixed at 06:30 that morning.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/stack.ts";
import {
  type Business,
  bookAt,
  call,
  type DashboardWorld,
  dashboardContext,
  localInstant,
  mailbox,
  must,
  signInThroughPage,
  signUpBusiness,
  startDashboardWorld,
  startReceiver,
} from "./dashboard-world.ts";
import { axe, watch } from "./harness.ts";

let w: DashboardWorld;
let base: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  w = await startDashboardWorld();
  base = w.stack.baseUrl;
  receiver = await startReceiver();
}, 180_000);

afterAll(async () => {
  await receiver?.close();
  await w?.stop();
});

/** Pixels per minute of the calendar grid (an hour is 48 px); its hours start at 08:00 for these businesses. */
const PX = 0.8;
const yOf = (hh: number, mm = 0) => ((hh - 8) * 60 + mm) * PX;

/** Drags the pointer from one point to another in small steps (a person's drag, with pointer events). */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

/** Whether a page of another helper's round exists yet in this checkout (a placeholder page does not count). */
const built = (page: string) => {
  try {
    return !readFileSync(resolve(ROOT, `dashboard/src/pages/${page}/index.tsx`), "utf8").includes("Placeholder");
  } catch {
    return false;
  }
};

const slotsOffered = async (page: Page) =>
  page.locator("[data-bookra-inline] [data-slot]").evaluateAll((els) => els.map((e) => e.getAttribute("data-slot")));

describe("an owner's day, end to end", () => {
  it("sign up → hours and a service → a widget booking on Today and in the Calendar → drag, a refused drag → complete → block an afternoon → the timeline", async () => {
    const b = await signUpBusiness(base, { webhookUrl: receiver.url });
    const at = (hh: number, mm = 0) => localInstant(b.today, hh, mm, b.offsetHours);
    const customer = { name: "Lucía Ferrer", email: `lucia-${b.slug}@example.com` };

    // 1. A customer books the first time offered in the real widget page: 08:00 today with Ana.
    // (the widget shows times in the visitor's zone: this visitor is in the business's)
    const shopContext = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: b.timezone });
    const shop = await shopContext.newPage();
    const shopSeen = watch(shop);
    await shop.goto(`${base}/book/${b.slug}/${b.haircut}`);
    const first = shop.locator("[data-bookra-inline] [data-slot]").first();
    await first.waitFor();
    const offeredBefore = await slotsOffered(shop);
    expect(offeredBefore[0]).toBe(at(8).replace(".000Z", "Z"));
    expect(offeredBefore).toContain(at(15).replace(".000Z", "Z"));
    await first.click();
    await shop.locator("[data-bookra-inline] #bk-name").fill(customer.name);
    await shop.locator("[data-bookra-inline] #bk-email").fill(customer.email);
    await shop.locator("[data-bookra-inline] button[type=submit]").click();
    await shop.locator("[data-bookra-inline] [data-ics]").waitFor();
    expect(shopSeen.errors).toEqual([]);
    const listed = await must(base, "GET", "/v1/admin/bookings?limit=10", undefined, b.apiKey);
    expect(listed.data).toHaveLength(1);
    const booking = listed.data[0];
    expect(booking).toMatchObject({ status: "confirmed", staffId: b.ana.id });
    expect(Date.parse(booking.start)).toBe(Date.parse(at(8)));

    // 2. The owner signs in (a deep link to Today goes through sign-in and back) and sees it on Today.
    const { context, page } = await dashboardContext(w, b);
    const seen = watch(page);
    await signInThroughPage(page, base, "/today", b.owner.email, b.owner.password);
    const anaToday = page.locator("section.panel", { has: page.getByRole("heading", { name: "Ana" }) });
    await anaToday.locator(".booking", { hasText: customer.name }).waitFor();
    // (English times are "8:00 AM", with whatever space ICU puts before AM)
    expect(await anaToday.locator(".next").textContent()).toMatch(/^Next: 8:00\sAM Lucía Ferrer · Haircut$/);

    // 3. … and in the Calendar, Ana's day, at 08:00.
    await page.goto(`${base}/app/calendar?view=day&date=${b.today}&staff=${b.ana.id}`);
    const inGrid = page.locator(".grid .booking", { hasText: customer.name });
    await inGrid.waitFor();
    expect(await inGrid.locator(".b-time").textContent()).toMatch(/^8:00\sAM$/);

    // 4. Drag it to 10:00: the API moves it, and the customer gets the e-mail that says so.
    let box = (await inGrid.boundingBox())!;
    await drag(page, { x: box.x + 20, y: box.y + 10 }, { x: box.x + 20, y: box.y + 10 + yOf(10) - yOf(8) });
    await page.getByText(`Moved to ${b.today} 10:00.`).waitFor();
    await expect.poll(async () => (await inGrid.locator(".b-time").textContent()) ?? "").toMatch(/^10:00\sAM$/);
    const afterMove = await must(base, "GET", `/v1/admin/bookings/${booking.id}`, undefined, b.apiKey);
    expect(Date.parse(afterMove.start)).toBe(Date.parse(at(10)));
    await expect
      .poll(async () => (await mailbox(base)).filter((m) => m.recipient === customer.email).map((m) => m.subject), {
        timeout: 30_000,
      })
      .toEqual(expect.arrayContaining([expect.stringMatching(/^Booking moved: Haircut/)]));

    // 5. Someone else takes 12:00 (a phone booking); a drag onto it snaps back with the message, nothing moves.
    await bookAt(base, b, { staffId: b.ana.id, serviceId: b.haircut }, 12, 0, {
      name: "Marta Gil",
      email: `marta-${b.slug}@example.com`,
    });
    await page.reload();
    await page.locator(".grid .booking", { hasText: "Marta Gil" }).waitFor();
    box = (await inGrid.boundingBox())!;
    await drag(page, { x: box.x + 20, y: box.y + 10 }, { x: box.x + 20, y: box.y + 10 + yOf(12) - yOf(10) });
    await page.getByText("That time is taken, so the booking stayed where it was.").waitFor();
    expect(await inGrid.boundingBox()).toEqual(box);
    const stayed = await must(base, "GET", `/v1/admin/bookings/${booking.id}`, undefined, b.apiKey);
    expect(Date.parse(stayed.start)).toBe(Date.parse(at(10)));

    // 6. Complete it from Today, in one tap.
    await page.goto(`${base}/app/today`);
    await page.getByRole("button", { name: /^Complete: Lucía Ferrer 10:00\sAM$/ }).click();
    await anaToday
      .locator(".booking", { hasText: customer.name })
      .locator(".badge", { hasText: "Completed" })
      .waitFor();
    await expect
      .poll(async () => (await call(base, "GET", `/v1/admin/bookings/${booking.id}`, undefined, b.apiKey)).body.status)
      .toBe("completed");

    // 7. Block the afternoon (14:00–18:00) with one drag over Ana's empty time; the widget stops offering it.
    await page.goto(`${base}/app/calendar?view=day&date=${b.today}&staff=${b.ana.id}`);
    const col = page.locator(".grid .col-body").first();
    await inGrid.waitFor();
    const c = (await col.boundingBox())!;
    await drag(page, { x: c.x + 30, y: c.y + yOf(14) + 2 }, { x: c.x + 30, y: c.y + yOf(18) - 4 });
    await page.getByText("Blocked 14:00–18:00.").waitFor();
    await page.locator(".grid .off").waitFor();
    await shop.reload();
    await shop.locator("[data-bookra-inline] [data-slot]").first().waitFor();
    const afternoon = (s: string | null) => Date.parse(s!) >= Date.parse(at(14)) && Date.parse(s!) < Date.parse(at(24));
    expect(offeredBefore.filter(afternoon)).toHaveLength(7); // 14:00 … 17:00, on the half hour
    const offeredAfter = await slotsOffered(shop);
    expect(offeredAfter).toContain(at(8).replace(".000Z", "Z")); // the morning is still offered (08:00 is free again)
    expect(offeredAfter.filter(afternoon)).toEqual([]);

    // 8. The booking's timeline (real outbox rows, completions and deliveries) lists the e-mails and webhooks.
    const timeline = async () =>
      (await must(base, "GET", `/v1/admin/bookings/${booking.id}/timeline`, undefined, b.apiKey)).entries as {
        kind: string;
        eventType: string | null;
        handler: string | null;
        status: string | null;
        endpoint: { url: string } | null;
      }[];
    await expect
      .poll(
        async () =>
          (await timeline())
            .filter((e) => e.kind === "effect" && e.handler === "customer-email")
            .map((e) => e.eventType)
            .sort(),
        { timeout: 30_000 },
      )
      .toEqual(["booking.created", "booking.rescheduled"]);
    await expect
      .poll(
        async () =>
          (await timeline())
            .filter((e) => e.kind === "webhook_delivery" && e.status === "succeeded")
            .map((e) => `${e.eventType} → ${e.endpoint?.url}`),
        { timeout: 30_000 },
      )
      .toEqual(expect.arrayContaining([`booking.rescheduled → ${receiver.url}`, `booking.created → ${receiver.url}`]));
    expect((await timeline()).map((e) => e.kind)).toEqual(expect.arrayContaining(["created", "completed"]));
    if (built("bookings")) {
      // the booking's page, once the Bookings round has built it, shows the same records
      await page.goto(`${base}/app/bookings/${booking.id}`);
      await page.getByText(customer.name).first().waitFor();
      expect(await page.getByRole("alert").count()).toBe(0);
    }
    expect(seen.errors).toEqual([]);
    await shopContext.close();
    await context.close();
  });
});
