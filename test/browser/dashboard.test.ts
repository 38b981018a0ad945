// The dashboard in Chromium against the real stack (issue 12's acceptance): the worker in workerd serves /app/ and
// the API, Postgres is real, e-mails are read from the dev mailbox and webhooks reach a receiver on loopback. No API
// answer is scripted. The worker reads the real clock, so each business is signed up in a zone where it is early
// morning (dashboard-world.ts); the pages run on a clock fixed at the instant the business signed up.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/stack.ts";
import {
  bookAt,
  call,
  connectStripe,
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

describe("a staff member invited by e-mail", () => {
  it("accepts from the e-mailed link, sees only their own calendar, and every owner-only call is 403/404 with nothing changed", async () => {
    const b = await signUpBusiness(base);
    const anas = await bookAt(base, b, { staffId: b.ana.id, serviceId: b.haircut }, 9, 0, {
      name: "Client Of Ana",
      email: `ca-${b.slug}@example.com`,
    });
    await bookAt(base, b, { staffId: b.ben.id, serviceId: b.beard }, 9, 0, {
      name: "Client Of Ben",
      email: `cb-${b.slug}@example.com`,
    });
    await must(
      base,
      "POST",
      "/v1/admin/invitations",
      { email: b.ben.email, role: "staff", staffId: b.ben.id },
      b.apiKey,
    );
    let link = "";
    await expect
      .poll(
        async () => {
          const m = (await mailbox(base)).find((x) => x.recipient === b.ben.email);
          link = /https?:\/\/\S+\/app\/accept-invitation#token=\S+/.exec(m?.body ?? "")?.[0] ?? "";
          return m?.subject;
        },
        { timeout: 30_000 },
      )
      .toBe(`You are invited to ${b.name}'s dashboard`);
    expect(link.startsWith(`${base}/app/accept-invitation#token=`)).toBe(true);
    const password = `ben-${crypto.randomUUID()}`;
    const { context, page } = await dashboardContext(w, b);
    if (existsSync(resolve(ROOT, "dashboard/src/app/accept-invitation.tsx"))) {
      // the e-mailed link opens the accept page: a name and a password, then signed in on Today
      await page.goto(link);
      await page.locator("#name").fill("Ben");
      await page.locator("#password").fill(password);
      await page.locator("form button[type=submit]").click();
      await page.waitForURL(`${base}/app/today`);
      await page.goto(`${base}/app/calendar?view=day&date=${b.today}`);
    } else {
      const token = decodeURIComponent(link.split("#token=")[1]!);
      const accepted = await call(base, "POST", `/v1/auth/invitations/${token}`, { name: "Ben", password });
      expect(accepted.status).toBe(201);
      await signInThroughPage(page, base, `/calendar?view=day&date=${b.today}`, b.ben.email, password);
    }
    const me = await call(
      base,
      "GET",
      "/v1/auth/session",
      undefined,
      (await context.cookies()).find((c) => c.name === "bookra_session")?.value,
    );
    expect(me.body).toMatchObject({ role: "staff", staffId: b.ben.id });
    await page.locator(".grid .booking", { hasText: "Client Of Ben" }).waitFor();
    expect(await page.locator(".grid .col-head").allTextContents()).toEqual(["Ben"]);
    expect(await page.locator(".grid .booking").count()).toBe(1);
    expect(await page.locator("#cal-staff").count()).toBe(0);
    expect(await page.getByRole("navigation").getByRole("link").allTextContents()).toEqual([
      "Today",
      "Calendar",
      "Bookings",
      "Money",
    ]);
    // a hand-made URL naming Ana still shows Ben's own calendar only
    await page.goto(`${base}/app/calendar?view=week&date=${b.today}&staff=${b.ana.id}`);
    await page.locator(".grid .booking", { hasText: "Client Of Ben" }).waitFor();
    expect(await page.getByText("Client Of Ana").count()).toBe(0);

    // Through the API with Ben's own session: every owner-only call is refused, and nothing changes.
    const cookie = (await context.cookies()).find((c) => c.name === "bookra_session")!.value;
    const snapshot = async () =>
      Promise.all(
        [
          "/v1/admin/tenant",
          "/v1/admin/staff",
          `/v1/admin/staff/${b.ana.id}`,
          `/v1/admin/staff/${b.ana.id}/time-off`,
          "/v1/admin/services",
          "/v1/admin/api-keys",
          "/v1/admin/webhook-endpoints",
          "/v1/admin/invitations",
          `/v1/admin/bookings/${anas.id}`,
        ].map(async (p) => (await must(base, "GET", p, undefined, b.apiKey)) as unknown),
      );
    const before = await snapshot();
    const attempts: [string, string, unknown?][] = [
      ["GET", "/v1/admin/api-keys"],
      ["POST", "/v1/admin/api-keys", { name: "mine now" }],
      ["PATCH", "/v1/admin/tenant", { name: "Taken Over" }],
      ["POST", "/v1/admin/staff", { name: "Eve", commissionBps: 0, serviceIds: [], weeklyHours: [] }],
      ["PATCH", `/v1/admin/staff/${b.ana.id}`, { name: "Not Ana" }],
      ["DELETE", `/v1/admin/staff/${b.ana.id}`],
      [
        "POST",
        `/v1/admin/staff/${b.ana.id}/time-off`,
        { start: localInstant(b.today, 12, 0, b.offsetHours), end: localInstant(b.today, 13, 0, b.offsetHours) },
      ],
      ["PATCH", `/v1/admin/services/${b.haircut}`, { name: "Free haircut" }],
      ["DELETE", `/v1/admin/services/${b.haircut}`],
      ["POST", "/v1/admin/invitations", { email: `eve-${b.slug}@example.com`, role: "owner" }],
      ["GET", "/v1/admin/webhook-endpoints"],
      ["POST", "/v1/admin/webhook-endpoints", { url: receiver.url }],
      ["GET", "/v1/admin/customers"],
      ["GET", `/v1/admin/bookings/${anas.id}`],
      ["GET", `/v1/admin/bookings/${anas.id}/timeline`],
      ["POST", `/v1/admin/bookings/${anas.id}/cancel`],
      ["POST", `/v1/admin/bookings/${anas.id}/reschedule`, { start: localInstant(b.today, 11, 0, b.offsetHours) }],
      ["POST", `/v1/admin/bookings/${anas.id}/complete`],
    ];
    const answers: string[] = [];
    for (const [method, path, body] of attempts)
      answers.push(`${method} ${path} → ${(await call(base, method, path, body, cookie)).status}`);
    expect(answers.filter((a) => !/→ (403|404)$/.test(a))).toEqual([]);
    expect(await snapshot()).toEqual(before);
    // (and the session is Ben's: his own calendar answers)
    const own = await call(base, "GET", `/v1/admin/calendar?from=${b.today}&to=${b.today}`, undefined, cookie);
    expect(own.status).toBe(200);
    expect(own.body.staff.map((s: { id: string }) => s.id)).toEqual([b.ben.id]);
    await context.close();
  });
});

describe("the dashboard's focused checks, on real data", () => {
  it("a deep link while signed out shows the sign-in page (axe-clean, under the CSP) and keeps where to return", async () => {
    const b = await signUpBusiness(base);
    const { context, page } = await dashboardContext(w, b);
    const res = await page.goto(`${base}/app/calendar?view=week`);
    expect(res!.status()).toBe(200);
    expect(res!.headers()["content-security-policy"]).toContain("default-src 'none'");
    await expect.poll(() => page.url()).toBe(`${base}/app/sign-in?next=%2Fcalendar%3Fview%3Dweek`);
    await page.getByRole("heading", { name: "Sign in to your business" }).waitFor();
    expect(await axe(page, ["body"])).toEqual([]);
    // a wrong password is said on the form, and nothing else happens
    await page.getByLabel("E-mail").fill(b.owner.email);
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    expect(page.url()).toBe(`${base}/app/sign-in?next=%2Fcalendar%3Fview%3Dweek`);
    await context.close();
  });

  it("a lost session goes to sign-in, and signing in again returns to the same page", async () => {
    const b = await signUpBusiness(base);
    await bookAt(base, b, { staffId: b.ana.id, serviceId: b.haircut }, 9, 0);
    const { context, page } = await dashboardContext(w, b);
    const path = `/calendar?view=day&date=${b.today}&staff=${b.ana.id}`;
    await signInThroughPage(page, base, path, b.owner.email, b.owner.password);
    await page.locator(".grid .booking").first().waitFor();
    // the session ends elsewhere (signed out from another tab: the server revokes it)
    const cookie = (await context.cookies()).find((c) => c.name === "bookra_session")!.value;
    expect((await call(base, "DELETE", "/v1/auth/sessions", undefined, cookie)).status).toBe(204);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("heading", { name: "Sign in to your business" }).waitFor();
    await page.getByText("Your session has ended. Sign in again to continue.").waitFor();
    const tomorrow = new Date(Date.parse(`${b.today}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const next = `/calendar?view=day&date=${tomorrow}&staff=${b.ana.id}`;
    expect(new URL(page.url()).searchParams.get("next")).toBe(next);
    await page.getByLabel("E-mail").fill(b.owner.email);
    await page.getByLabel("Password").fill(b.owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.url()).toBe(`${base}/app${next}`);
    await page.locator(".grid").waitFor();
    await context.close();
  });

  it("the keyboard moves a booking: Alt+ArrowDown twice, then Enter, reschedules it 30 minutes later", async () => {
    const b = await signUpBusiness(base);
    const booked = await bookAt(base, b, { staffId: b.ana.id, serviceId: b.haircut }, 9, 0);
    const { context, page } = await dashboardContext(w, b);
    await signInThroughPage(
      page,
      base,
      `/calendar?view=day&date=${b.today}&staff=${b.ana.id}`,
      b.owner.email,
      b.owner.password,
    );
    const el = page.locator(".grid .booking").first();
    await el.focus();
    await page.keyboard.press("Alt+ArrowDown");
    await page.keyboard.press("Alt+ArrowDown");
    await page.keyboard.press("Enter");
    await page.getByText(`Moved to ${b.today} 09:30.`).waitFor();
    const after = await must(base, "GET", `/v1/admin/bookings/${booked.id}`, undefined, b.apiKey);
    expect(Date.parse(after.start)).toBe(Date.parse(localInstant(b.today, 9, 30, b.offsetHours)));
    // focus stays on the booking, now at 09:30
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.querySelector(".b-time")?.textContent))
      .toMatch(/^9:30\sAM$/);
    await context.close();
  });

  it("Today and the calendar's day and week are axe-clean with real bookings, and the calendar is one tab stop", async () => {
    const b = await signUpBusiness(base);
    await bookAt(base, b, { staffId: b.ana.id, serviceId: b.haircut }, 9, 0);
    await bookAt(base, b, { staffId: b.ben.id, serviceId: b.beard }, 9, 30);
    const { context, page } = await dashboardContext(w, b);
    const { errors } = watch(page);
    await signInThroughPage(page, base, "/today", b.owner.email, b.owner.password);
    await page.getByRole("heading", { name: "Ben" }).waitFor();
    expect(await axe(page, ["body"])).toEqual([]);
    for (const view of ["day", "week"]) {
      await page.goto(`${base}/app/calendar?view=${view}&date=${b.today}`);
      await expect.poll(() => page.locator(".grid .booking").count()).toBe(2);
      expect(await axe(page, ["body"])).toEqual([]);
    }
    expect(await page.locator(".grid [tabindex='0']").count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("on a 360 px phone: Today has a menu and the calendar is an agenda, with no sideways scrolling (axe-clean)", async () => {
    const b = await signUpBusiness(base);
    await bookAt(base, b, { staffId: b.ana.id, serviceId: b.haircut }, 9, 0);
    await bookAt(base, b, { staffId: b.ben.id, serviceId: b.beard }, 11, 30);
    const { context, page } = await dashboardContext(w, b, { width: 360, height: 740 });
    await signInThroughPage(page, base, "/today", b.owner.email, b.owner.password);
    await page.getByRole("heading", { name: "Ana" }).waitFor();
    await page.getByRole("button", { name: "Menu" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.goto(`${base}/app/calendar?view=week&date=${b.today}`);
    await page.locator(".agenda").waitFor();
    expect(await page.locator(".grid").count()).toBe(0);
    expect(await page.locator(".agenda .booking").count()).toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axe(page, ["body"])).toEqual([]);
    await context.close();
  });
});

describe("the calendar's gestures, on real data", () => {
  it("a click on an empty time opens the walk-in form: the API's refusals show at their field, a taken time on the form, and a good one books", async () => {
    const b = await signUpBusiness(base);
    const { context, page } = await dashboardContext(w, b);
    await signInThroughPage(
      page,
      base,
      `/calendar?view=day&date=${b.today}&staff=${b.ana.id}`,
      b.owner.email,
      b.owner.password,
    );
    const col = page.locator(".grid .col-body").first();
    await col.waitFor();
    const c = (await col.boundingBox())!;
    await page.mouse.click(c.x + 30, c.y + yOf(14) + 2);
    const dialog = page.getByRole("dialog", { name: "New booking" });
    await dialog.waitFor();
    await dialog.getByLabel("Customer name").fill("Walk In");
    await dialog.getByLabel("Customer e-mail").fill("not-an-email");
    await dialog.getByRole("button", { name: "Book" }).click();
    await dialog.getByText("Enter a valid e-mail, such as ana@example.com.").waitFor();
    // the API's own refusal (a phone it does not accept) is shown at the phone field
    await dialog.getByLabel("Customer e-mail").fill("walk.in@example.com");
    await dialog.getByLabel("Phone (optional)").fill("call me");
    await dialog.getByRole("button", { name: "Book" }).click();
    await dialog.locator("#wi-phone-err").waitFor();
    expect(await dialog.getByLabel("Phone (optional)").getAttribute("aria-invalid")).toBe("true");
    expect(await dialog.locator("#wi-phone-err").textContent()).toContain("international format");
    // meanwhile someone else takes 14:00: the form says so and keeps what was typed
    await bookAt(base, b, { staffId: b.ana.id, serviceId: b.haircut }, 14, 0, {
      name: "Someone Else",
      email: `else-${b.slug}@example.com`,
    });
    await dialog.getByLabel("Phone (optional)").fill("+34 600 000 000");
    await dialog.getByRole("button", { name: "Book" }).click();
    await dialog.getByRole("alert").filter({ hasText: "That time has just been taken. Choose another." }).waitFor();
    expect(await dialog.getByLabel("Customer name").inputValue()).toBe("Walk In");
    const listed = async () =>
      (await must(base, "GET", "/v1/admin/bookings?limit=10", undefined, b.apiKey)).data as { start: string }[];
    expect(await listed()).toHaveLength(1);
    // closed with its button (the dialog's late close event once swallowed the next click on the grid)
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "hidden" });
    // 16:00 is free: booked, and shown
    await page.mouse.click(c.x + 30, c.y + yOf(16) + 2);
    await dialog.getByLabel("Customer name").fill("Walk In");
    await dialog.getByLabel("Customer e-mail").fill("walk.in@example.com");
    await dialog.getByRole("button", { name: "Book" }).click();
    await page.locator(".grid .booking", { hasText: "Walk In" }).waitFor();
    expect((await listed()).map((x) => Date.parse(x.start))).toContain(
      Date.parse(localInstant(b.today, 16, 0, b.offsetHours)),
    );
    await context.close();
  });

  it("a drag over empty time blocks it (time off) in one gesture, and Undo takes it back", async () => {
    const b = await signUpBusiness(base);
    const { context, page } = await dashboardContext(w, b);
    await signInThroughPage(
      page,
      base,
      `/calendar?view=day&date=${b.today}&staff=${b.ben.id}`,
      b.owner.email,
      b.owner.password,
    );
    const col = page.locator(".grid .col-body").first();
    await col.waitFor();
    const c = (await col.boundingBox())!;
    await drag(page, { x: c.x + 30, y: c.y + yOf(15) + 2 }, { x: c.x + 30, y: c.y + yOf(17) - 4 });
    await page.getByText("Blocked 15:00–17:00.").waitFor();
    const timeOff = async () =>
      (await must(base, "GET", `/v1/admin/staff/${b.ben.id}/time-off`, undefined, b.apiKey)).data as {
        start: string;
        end: string;
      }[];
    const off = await timeOff();
    expect(off.map((o) => [Date.parse(o.start), Date.parse(o.end)])).toEqual([
      [
        Date.parse(localInstant(b.today, 15, 0, b.offsetHours)),
        Date.parse(localInstant(b.today, 17, 0, b.offsetHours)),
      ],
    ]);
    await page.locator(".grid .off", { hasText: "Blocked" }).waitFor();
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(timeOff).toEqual([]);
    await expect.poll(() => page.locator(".grid .off").count()).toBe(0);
    await context.close();
  });

  it("everyone's day shows each staff member's hours, time off, a hold and the statuses side by side (axe-clean)", async () => {
    const b = await signUpBusiness(base);
    const colour = await must(
      base,
      "POST",
      "/v1/admin/services",
      {
        name: "Colour",
        durationMinutes: 90,
        price: { amount: 9000, currency: "EUR" },
        deposit: { percent: 30 },
        slotStepMinutes: 30,
        staffIds: [b.ana.id],
      },
      b.apiKey,
    );
    const done = await bookAt(base, b, { staffId: b.ana.id, serviceId: b.haircut }, 9, 0, {
      name: "Done Already",
      email: `done-${b.slug}@example.com`,
    });
    await must(base, "POST", `/v1/admin/bookings/${done.id}/complete`, {}, b.apiKey);
    await bookAt(base, b, { staffId: b.ben.id, serviceId: b.beard }, 10, 0, {
      name: "Still Coming",
      email: `coming-${b.slug}@example.com`,
    });
    await connectStripe(w, b.apiKey); // a deposit is booked online only once the business can take charges
    const held = await must(base, "POST", `/v1/public/${b.slug}/bookings`, {
      serviceId: colour.id,
      staffId: b.ana.id,
      start: localInstant(b.today, 11, 0, b.offsetHours),
      customer: { name: "On Hold", email: `hold-${b.slug}@example.com` },
    });
    expect(held.booking.status).toBe("pending_payment");
    await must(
      base,
      "POST",
      `/v1/admin/staff/${b.ben.id}/time-off`,
      {
        start: localInstant(b.today, 13, 0, b.offsetHours),
        end: localInstant(b.today, 15, 0, b.offsetHours),
        reason: "Training",
      },
      b.apiKey,
    );
    const { context, page } = await dashboardContext(w, b);
    await signInThroughPage(page, base, `/calendar?view=day&date=${b.today}`, b.owner.email, b.owner.password);
    await expect.poll(() => page.locator(".grid .booking").count()).toBe(3);
    expect(await page.locator(".grid .col-head").allTextContents()).toEqual(["Ana", "Ben"]);
    expect(await page.locator(".grid .col-body").nth(1).locator(".off", { hasText: "Training" }).count()).toBe(1);
    expect(await page.locator(".grid .booking.status-completed", { hasText: "Done Already" }).count()).toBe(1);
    expect(await page.locator(".grid .booking.status-pending_payment", { hasText: "On Hold" }).count()).toBe(1);
    expect(await page.locator(".grid .booking.status-confirmed", { hasText: "Still Coming" }).count()).toBe(1);
    expect(await page.locator(".grid .col-body .work").count()).toBe(2);
    expect(await axe(page, ["body"])).toEqual([]);
    // Today lists the hold as awaiting payment
    await page.goto(`${base}/app/today`);
    await page.getByRole("heading", { name: "Holds awaiting payment" }).waitFor();
    expect(await page.locator(".panel", { hasText: "Holds awaiting payment" }).textContent()).toContain("On Hold");
    await context.close();
  });
});
