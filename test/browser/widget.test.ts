import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/stack.ts";
import { axe, hostPage, inW, listen, startWidgetWorld, type WidgetWorld, watch } from "./harness.ts";

let w: WidgetWorld;
let haircut: string;
let ana: string;
const SHOTS = process.env.UPDATE_SCREENSHOTS === "1";

const HOSTILE = `<style>* { color: red !important; font-size: 40px !important; font-family: serif !important; line-height: 3 !important }
button { display: none !important } div { padding: 30px !important; background: yellow !important } :root { font-size: 40px }</style>`;

const pages: Record<string, string> = {};

beforeAll(async () => {
  w = await startWidgetWorld(pages);
  haircut = w.catalog.services.find((s) => s.name === "Haircut")!.id;
  ana = w.catalog.staff.find((s) => s.name === "Ana")!.id;
  // The demo seed's ids are random: the host pages are written once they are known (the server reads this object).
  Object.assign(pages, {
    "/inline": hostPage(
      `<h1>Host</h1><div id="c" data-bookra-inline data-service="${haircut}"></div><p id="after">After</p>`,
    ),
    "/popup": hostPage(
      `<h1>Host</h1><button id="opener" data-bookra-popup data-service="${haircut}">Book</button><p>Text</p>`,
    ),
    "/list": hostPage(`<div id="c" data-bookra-inline data-locale="de"></div>`),
    "/hostile": hostPage(`<div id="c" data-bookra-inline data-service="${haircut}"></div>`, { head: HOSTILE }),
    "/plain": hostPage(
      `<p id="hp">Host paragraph</p><button id="hb">Host button</button><div id="c" data-bookra-inline data-service="${haircut}"></div>`,
      { script: "" },
    ),
  });
}, 180_000);

afterAll(async () => {
  await w?.stop();
});

async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await w.browser.newPage({ viewport });
  await page.goto(`${w.host.url}${path}`);
  return page;
}

async function fillDetails(page: Page, root: string, name = "Ada Lovelace", email = "ada@example.com") {
  await page.locator(`${root} #bk-name`).fill(name);
  await page.locator(`${root} #bk-email`).fill(email);
}

async function adminBookings(): Promise<{ id: string; start: string; status: string }[]> {
  const res = await fetch(`${w.stack.baseUrl}/v1/admin/bookings?limit=100`, {
    headers: { authorization: `Bearer ${w.apiKey}` },
  });
  return ((await res.json()) as { data: { id: string; start: string; status: string }[] }).data;
}

describe("inline", () => {
  it("books a slot end to end, emits booking:confirmed and offers calendar links", async () => {
    const page = await open("/inline");
    const seen = watch(page);
    const events = await listen(page);
    const first = inW(page, "[data-slot]").first();
    await first.waitFor();
    const start = await first.getAttribute("data-slot");
    const grid = inW(page, "[role=grid]");
    expect(await grid.getAttribute("aria-labelledby")).toBe("bk-month");
    expect(await inW(page, ".day.av").count()).toBeGreaterThan(0);
    if (SHOTS) await page.screenshot({ path: resolve(ROOT, "widget/screenshots/desktop-1-time.png") });
    expect(await axe(page, ["#c", ".v"])).toEqual([]);

    await first.click();
    await inW(page, "#bk-name").waitFor();
    // validation: errors tied to the fields, focus on the first one
    await inW(page, "button[type=submit]").click();
    await expect.poll(() => inW(page, "#bk-name").getAttribute("aria-invalid")).toBe("true");
    expect(await inW(page, "#bk-name").getAttribute("aria-describedby")).toBe("bk-name-err");
    expect(await inW(page, "#bk-email").getAttribute("aria-describedby")).toBe("bk-email-err");
    await expect
      .poll(() => page.evaluate(() => document.querySelector("#c")?.shadowRoot?.activeElement?.id))
      .toBe("bk-name");
    expect(await axe(page, ["#c", ".v"])).toEqual([]);
    await fillDetails(page, "#c");
    // WhatsApp only with consent: the checkbox appears with a phone number, unticked
    expect(await inW(page, "#bk-whatsapp").count()).toBe(0);
    await inW(page, "#bk-phone").fill("+44 20 7946 0958");
    expect(await inW(page, "#bk-whatsapp").isChecked()).toBe(false);
    await inW(page, "#bk-whatsapp").check();
    expect(await axe(page, ["#c", ".v"])).toEqual([]);
    if (SHOTS) await page.screenshot({ path: resolve(ROOT, "widget/screenshots/desktop-2-details.png") });
    const posted = page.waitForRequest((r) => r.method() === "POST" && /\/bookings$/.test(new URL(r.url()).pathname));
    await inW(page, "button[type=submit]").click();
    expect((await posted).postDataJSON().customer).toMatchObject({ phone: "+44 20 7946 0958", whatsappOptIn: true });
    await inW(page, "[data-ics]").waitFor();
    if (SHOTS) await page.screenshot({ path: resolve(ROOT, "widget/screenshots/desktop-3-confirmed.png") });
    expect(await axe(page, ["#c", ".v"])).toEqual([]);

    const ics = await inW(page, "[data-ics]").getAttribute("href");
    expect(ics).toMatch(/^data:text\/calendar/);
    expect(decodeURIComponent(ics!)).toContain(`DTSTART:${start!.replace(/[-:]/g, "").replace(/\.\d{3}/, "")}`);
    expect(await inW(page, "[data-google]").getAttribute("href")).toContain(
      "calendar.google.com/calendar/render?action=TEMPLATE",
    );
    const booked = (await adminBookings()).find((b) => b.start === start);
    expect(booked?.status).toBe("confirmed");
    expect(await events()).toEqual(
      expect.arrayContaining([
        ["cb", booked!.id],
        ["dom", booked!.id],
      ]),
    );
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it("starts with the service list in German when asked, with Intl prices", async () => {
    const page = await open("/list");
    await inW(page, ".svc").first().waitFor();
    expect(await inW(page, "h2").first().textContent()).toBe("Leistung wählen");
    expect(await inW(page, ".svc").first().textContent()).toMatch(/45,00\s£/);
    await inW(page, ".svc").first().click();
    await inW(page, "[data-slot]").first().waitFor();
    expect(await inW(page, "label[for=bk-tz]").textContent()).toBe("Zeitzone");
    await page.close();
  });

  it("moves through the calendar with the keyboard", async () => {
    const page = await open("/inline");
    await inW(page, "[data-slot]").first().waitFor();
    const focused = () =>
      page.evaluate(
        () => (document.querySelector("#c")?.shadowRoot?.activeElement as HTMLElement | null)?.dataset.date,
      );
    await inW(page, ".day[tabindex='0']").focus();
    const startKey = (await focused())!;
    await page.keyboard.press("ArrowRight");
    const next = new Date(`${startKey}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    await expect.poll(focused).toBe(next.toISOString().slice(0, 10));
    await page.keyboard.press("PageDown");
    await expect.poll(async () => (await focused())?.slice(0, 7)).not.toBe(startKey.slice(0, 7));
    await page.close();
  });
});

describe("popup", () => {
  it("traps focus in a modal dialog, closes on Escape returning focus, and books end to end", async () => {
    const page = await open("/popup");
    const seen = watch(page);
    await page.locator("#opener").click();
    const dialog = page.locator("[data-bookra-overlay] [role=dialog]");
    await dialog.waitFor();
    expect(await dialog.getAttribute("aria-modal")).toBe("true");
    await dialog.locator("[data-slot]").first().waitFor();
    const inDialog = () =>
      page.evaluate(() => {
        const host = document.querySelector("[data-bookra-overlay]");
        return document.activeElement === host && !!host?.shadowRoot?.activeElement?.closest("[role=dialog]");
      });
    expect(await inDialog()).toBe(true);
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press(i % 3 === 2 ? "Shift+Tab" : "Tab");
      expect(await inDialog()).toBe(true);
    }
    expect(await axe(page, ["[data-bookra-overlay]", ".ov"])).toEqual([]);
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("[data-bookra-overlay]").count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("opener");

    await page.locator("#opener").click();
    await dialog.locator("[data-slot]").first().waitFor();
    if (SHOTS) await page.screenshot({ path: resolve(ROOT, "widget/screenshots/desktop-4-popup.png") });
    // The last time shown, not the second: late in the day (the widget runs on the real clock) the first day shown
    // may offer only one.
    const start = await dialog.locator("[data-slot]").last().getAttribute("data-slot");
    await dialog.locator("[data-slot]").last().click();
    await fillDetails(page, "[data-bookra-overlay]", "Grace Hopper", "grace@example.com");
    await dialog.locator("button[type=submit]").click();
    await dialog.locator("[data-ics]").waitFor();
    expect((await adminBookings()).some((b) => b.start === start && b.status === "confirmed")).toBe(true);
    await dialog.locator("[data-close]").click();
    await expect.poll(() => page.locator("[data-bookra-overlay]").count()).toBe(0);
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it("shows a bad call politely inside the widget and warns, never throwing into the page", async () => {
    const page = await open("/popup");
    const seen = watch(page);
    await page.evaluate(() => {
      const B = (window as any).Bookra;
      B("open", { service: "svc_doesnotexist" });
      B("nonsense", 1, 2);
      B("open", 42);
    });
    await page.locator("[data-bookra-overlay] [role=dialog] .svc").first().waitFor();
    await page.keyboard.press("Escape");
    await page.evaluate(() =>
      (window as unknown as { Bookra: (...a: unknown[]) => void }).Bookra("open", { service: "svc_doesnotexist" }),
    );
    await expect
      .poll(() => page.locator("[data-bookra-overlay] [role=alert]").textContent())
      .toContain("cannot be booked online");
    expect(seen.errors).toEqual([]);
    expect(seen.warnings.join("\n")).toMatch(/\[Bookra\].*unknown or malformed call/);
    expect(seen.warnings.join("\n")).toMatch(/\[Bookra\] unknown service/);
    await page.close();
  });
});

describe("a business that cannot take online payments yet", () => {
  it("says so politely when its deposit service is booked, and stores nothing", async () => {
    // A business of its own, never connected to Stripe, with a deposit service open around the clock.
    const slug = `nopay-${crypto.randomUUID().slice(0, 8)}`;
    const api = async (path: string, body: unknown, key?: string) => {
      const res = await fetch(`${w.stack.baseUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(key && { authorization: `Bearer ${key}` }) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const signup = await api("/v1/signup", {
      businessName: "No Payments Yet",
      slug,
      timezone: "UTC",
      currency: "EUR",
      ownerEmail: `owner@${slug}.example`,
      ownerPassword: "long enough password",
    });
    expect(signup.status).toBe(201);
    const key = signup.body.apiKey as string;
    const svc = await api(
      "/v1/admin/services",
      { name: "Colour", durationMinutes: 60, price: { amount: 8000, currency: "EUR" }, deposit: { percent: 25 } },
      key,
    );
    expect(svc.status).toBe(201);
    const weeklyHours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
    const staff = await api(
      "/v1/admin/staff",
      { name: "Bo", commissionBps: 0, serviceIds: [svc.body.id], weeklyHours },
      key,
    );
    expect(staff.status).toBe(201);
    pages["/nopay"] = hostPage(`<div id="c" data-bookra-inline data-service="${svc.body.id}"></div>`, {
      script: `<script src="${w.stack.baseUrl}/widget.js" data-tenant="${slug}" async></script>`,
    });
    const page = await open("/nopay");
    const seen = watch(page);
    const slot = inW(page, "[data-slot]").first();
    await slot.waitFor();
    await slot.click();
    await fillDetails(page, "#c", "Early Bird", "early@example.com");
    await inW(page, "button[type=submit]").click();
    await expect
      .poll(() => inW(page, "#bk-form-err").textContent())
      .toBe("This business is not taking online payments yet. Please contact them to book this service.");
    expect(await inW(page, "#bk-name").inputValue()).toBe("Early Bird");
    expect(seen.errors).toEqual([]);
    const held = await fetch(`${w.stack.baseUrl}/v1/admin/bookings?limit=10`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(((await held.json()) as { data: unknown[] }).data).toEqual([]);
    await page.close();
  });
});

describe("a slot taken while the customer was choosing", () => {
  it("explains, refreshes the times and lets the customer book another", async () => {
    const page = await open("/inline");
    await inW(page, "[data-slot]").first().waitFor();
    // Choosing Ana asks for her times; the slot taken below must be one of hers, so collect every answer for her
    // (when her month is already full the widget moves on to the next month: a second request) and wait for the
    // list to show only times from them (not the "anyone" list still on screen while her requests run).
    const free = new Set<string>();
    const answers: Promise<void>[] = [];
    page.on("response", (r) => {
      if (!r.url().includes("/availability") || new URL(r.url()).searchParams.get("staffId") !== ana) return;
      answers.push(
        r.json().then((body: { slots: { start: string }[] }) => {
          for (const slot of body.slots) free.add(slot.start);
        }),
      );
    });
    await inW(page, "#bk-staff").selectOption(ana);
    await expect.poll(() => inW(page, "#bk-staff").inputValue()).toBe(ana);
    await expect
      .poll(async () => {
        await Promise.all(answers);
        const shown = await inW(page, "[data-slot]").evaluateAll((els) => els.map((e) => e.getAttribute("data-slot")));
        return shown.length > 0 && shown.every((start) => free.has(start!));
      })
      .toBe(true);
    const slot = inW(page, "[data-slot]").first();
    const start = (await slot.getAttribute("data-slot"))!;
    await slot.click();
    await fillDetails(page, "#c", "Slow Customer", "slow@example.com");
    const stolen = await fetch(`${w.stack.baseUrl}/v1/public/demo-salon/bookings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        serviceId: haircut,
        staffId: ana,
        start,
        customer: { name: "Fast", email: "fast@example.com" },
      }),
    });
    expect(stolen.status).toBe(201);
    await inW(page, "button[type=submit]").click();
    await expect.poll(() => inW(page, ".note[role=alert]").textContent()).toContain("just taken");
    await expect.poll(() => inW(page, `[data-slot="${start}"]`).count()).toBe(0);
    const other = inW(page, "[data-slot]").first();
    await other.waitFor();
    await other.click();
    expect(await inW(page, "#bk-email").inputValue()).toBe("slow@example.com");
    await inW(page, "button[type=submit]").click();
    await inW(page, "[data-ics]").waitFor();
    await page.close();
  });
});

describe("isolation", () => {
  it("keeps hostile host styles out of the widget", async () => {
    const styleOf = (page: Page) =>
      inW(page, "[data-slot]")
        .first()
        .evaluate((el) => {
          const s = getComputedStyle(el);
          const card = getComputedStyle(el.closest(".v")!);
          return {
            color: s.color,
            size: s.fontSize,
            display: s.display,
            family: s.fontFamily,
            cardPad: card.padding,
            cardBg: card.backgroundColor,
          };
        });
    // Slots can render before the catalog (and with it the tenant's branding) arrives: compare once branded.
    const branded = (page: Page) =>
      expect
        .poll(() => inW(page, ".v").evaluate((el) => (el as HTMLElement).style.getPropertyValue("--bk-p")))
        .toBe("#7c3aed");
    const clean = await open("/inline");
    await inW(clean, "[data-slot]").first().waitFor();
    await branded(clean);
    const expected = await styleOf(clean);
    const hostile = await open("/hostile");
    await inW(hostile, "[data-slot]").first().waitFor();
    await branded(hostile);
    expect(await styleOf(hostile)).toEqual(expected);
    expect(expected.display).not.toBe("none");
    await clean.close();
    await hostile.close();
  });

  it("leaves the host page's own styles and layout alone", async () => {
    const page = await open("/plain");
    const snapshot = () =>
      page.evaluate(() =>
        ["#hp", "#hb", "body"].map((sel) => {
          const s = getComputedStyle(document.querySelector(sel)!);
          return [s.color, s.fontSize, s.fontFamily, s.display, s.margin, s.padding, s.backgroundColor, s.lineHeight];
        }),
      );
    const before = await snapshot();
    await page.evaluate((api) => {
      const s = document.createElement("script");
      s.src = `${api}/widget.js`;
      s.dataset.tenant = "demo-salon";
      document.body.appendChild(s);
    }, w.stack.baseUrl);
    await inW(page, "[data-slot]").first().waitFor();
    expect(await snapshot()).toEqual(before);
    expect(await page.evaluate(() => document.styleSheets.length)).toBe(0);
    await page.close();
  });
});

describe("hosted pages", () => {
  it("serve the booking page per tenant and service, and the manage page reschedules and cancels", async () => {
    expect((await fetch(`${w.stack.baseUrl}/book/no-such-tenant`)).status).toBe(404);
    expect((await fetch(`${w.stack.baseUrl}/book/demo-salon/svc_nope`)).status).toBe(404);
    const js = await fetch(`${w.stack.baseUrl}/widget.js`, { headers: { origin: w.host.url } });
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    expect(js.headers.get("access-control-allow-origin")).toBe("*");
    const appFile = (await js.text()).match(/widget-app\.\w+\.js/)![0];
    const app = await fetch(`${w.stack.baseUrl}/${appFile}`);
    expect(app.headers.get("cache-control")).toContain("immutable");

    const page = await w.browser.newPage({ viewport: { width: 360, height: 780 } });
    await page.goto(`${w.stack.baseUrl}/book/demo-salon/${haircut}`);
    expect(await page.title()).toBe("Haircut · Demo Salon");
    const slot = page.locator("[data-bookra-inline] [data-slot]").first();
    await slot.waitFor();
    if (SHOTS) await page.screenshot({ path: resolve(ROOT, "widget/screenshots/phone-1-time.png"), fullPage: true });
    expect(await axe(page, ["[data-bookra-inline]", ".v"])).toEqual([]);

    const res = await fetch(`${w.stack.baseUrl}/v1/public/demo-salon/bookings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        serviceId: haircut,
        start: await slot.getAttribute("data-slot"),
        customer: { name: "M", email: "m@example.com" },
      }),
    });
    const { booking, manageToken } = (await res.json()) as {
      booking: { id: string; staffId: string };
      manageToken: string;
    };
    await page.goto(`${w.stack.baseUrl}/manage/demo-salon/${booking.id}?token=${manageToken}`);
    const root = "[data-bookra-manage]";
    await page.locator(`${root} [data-status=confirmed]`).waitFor();
    if (SHOTS) await page.screenshot({ path: resolve(ROOT, "widget/screenshots/phone-3-manage.png"), fullPage: true });
    await page.locator(`${root} [data-reschedule]`).click();
    // Any offered time will do (the booking's own is taken): late in the day the first day shown may offer only one.
    const target = page.locator(`${root} [data-slot]`).first();
    await target.waitFor();
    const newStart = await target.getAttribute("data-slot");
    await target.click();
    await page.locator(`${root} [data-move]`).click();
    await expect.poll(() => page.locator(`${root} .note`).first().textContent()).toContain("moved");
    const url = `${w.stack.baseUrl}/v1/public/demo-salon/bookings/${booking.id}?token=${manageToken}`;
    const moved = (await (await fetch(url)).json()) as { start: string; staffId: string };
    expect(moved.start).toBe(newStart);
    expect(moved.staffId).toBe(booking.staffId); // same service and staff member
    await page.locator(`${root} [data-cancel]`).click();
    await page.locator(`${root} [data-yes-cancel]`).click();
    await page.locator(`${root} [data-status=cancelled]`).waitFor();
    expect(await axe(page, [root, ".v"])).toEqual([]);
    await page.goto(`${w.stack.baseUrl}/manage/demo-salon/${booking.id}?token=mt_wrong`);
    await expect.poll(() => page.locator(`${root} [role=alert]`).textContent()).toContain("not valid");
    await page.close();
  });

  it("fits a 360 px phone and books through the details form there", async () => {
    const page = await open("/inline", { width: 360, height: 780 });
    const slot = inW(page, "[data-slot]").first();
    await slot.waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(360);
    await slot.click();
    await fillDetails(page, "#c");
    if (SHOTS) await page.screenshot({ path: resolve(ROOT, "widget/screenshots/phone-2-details.png"), fullPage: true });
    await page.close();
  });
});
