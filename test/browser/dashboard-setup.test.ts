// The Setup page in Chromium against the real stack (no scripted answers): a fresh owner signs in, sets a staff
// member's weekly hours with a lunch break, creates a service, and the public availability then offers times only
// outside the break; wrong input shows its error at the field and changes nothing; every section is axe-clean.
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/stack.ts";
import { adminCall, freshOwner, signInAt } from "./dashboard-helpers-setup.ts";
import { axe, startWidgetWorld, type WidgetWorld, watch } from "./harness.ts";

const TZ = "Europe/Madrid";
let w: WidgetWorld;
/** `UPDATE_SCREENSHOTS=1` rewrites dashboard/screenshots/*-setup-*.png (shown in the README) from these tests. */
const SHOTS = process.env.UPDATE_SCREENSHOTS === "1";
const shot = (page: Page, name: string) =>
  SHOTS ? page.screenshot({ path: resolve(ROOT, `dashboard/screenshots/${name}.png`), fullPage: true }) : undefined;

/** The Monday at least a week ahead, as a local date (well inside the default 90-day window). */
function nextMonday(): string {
  const d = new Date(Date.now() + 8 * 86_400_000);
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7));
  return d.toISOString().slice(0, 10);
}

const localTime = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    new Date(iso),
  );

beforeAll(async () => {
  w = await startWidgetWorld();
}, 180_000);

afterAll(async () => {
  await w?.stop();
});

describe("Setup, by a fresh owner", () => {
  it("weekly hours with a lunch break and a service: the public availability skips the break", async () => {
    const page = await w.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const { errors } = watch(page);
    const owner = await freshOwner(w.stack.baseUrl, TZ);
    const api = (method: string, path: string) => adminCall(owner, method, path);
    await signInAt(page, owner, "/setup/staff");
    await page.getByRole("heading", { name: "Setup: Staff" }).waitFor();
    await page.getByText("No staff members yet.").waitFor();
    expect(await axe(page, [".setup"])).toEqual([]);

    await page.getByRole("link", { name: "+ Add a staff member" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Ana");
    const monday = page.locator("fieldset.day").first();
    await monday.getByRole("button", { name: /Add hours/ }).click();
    expect(await monday.getByLabel("From").inputValue()).toBe("09:00");
    await monday.getByRole("button", { name: "Add a break" }).click();
    await monday.getByText("Break 13:00–14:00", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Copy Monday to Tuesday–Friday" }).click();
    expect(await page.locator("fieldset.day").nth(4).getByText("Break 13:00–14:00", { exact: true }).count()).toBe(1);
    expect(await axe(page, [".setup"])).toEqual([]);
    await shot(page, "desktop-setup-staff");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/app\/setup\/staff\/stf_/);
    const staffId = new URL(page.url()).pathname.split("/").at(-1)!;
    await page.getByRole("heading", { name: "Edit Ana" }).waitFor();
    const saved = await api("GET", `/v1/admin/staff/${staffId}`);
    expect(saved.body.weeklyHours.filter((h: { weekday: number }) => h.weekday === 1)).toEqual([
      { weekday: 1, start: "09:00", end: "13:00" },
      { weekday: 1, start: "14:00", end: "17:00" },
    ]);
    expect(saved.body.weeklyHours).toHaveLength(10);

    // a wrong input: Tuesday's morning ends before it starts — the error sits at that field, nothing is sent
    const tuesdayEnd = page.locator("#hours-1-0-end");
    await tuesdayEnd.fill("08:00");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.locator("#hours-1-0-end-err").getByText("The end must be after the start.").waitFor();
    expect(await tuesdayEnd.getAttribute("aria-invalid")).toBe("true");
    expect(await tuesdayEnd.getAttribute("aria-describedby")).toBe("hours-1-0-end-err");
    expect((await api("GET", `/v1/admin/staff/${staffId}`)).body.weeklyHours).toEqual(saved.body.weeklyHours);
    expect(await axe(page, [".setup"])).toEqual([]);

    // the service, performed by Ana, every 30 minutes
    await page.getByRole("link", { name: "Services" }).click();
    await page.getByText("No services yet.").waitFor();
    await page.getByRole("link", { name: "+ Add a service" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Cut");
    await page.getByLabel("Price (EUR)").fill("25");
    await page.getByLabel("Duration (minutes)").fill("30");
    await page.getByLabel("Start times every (minutes)").fill("30");
    await page.getByLabel("Ana").check();
    expect(await axe(page, [".setup"])).toEqual([]);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/app\/setup\/services\/svc_/);
    const serviceId = new URL(page.url()).pathname.split("/").at(-1)!;

    const day = nextMonday();
    const res = await fetch(
      `${w.stack.baseUrl}/v1/public/${owner.slug}/availability?serviceId=${serviceId}&from=${day}&to=${day}`,
    );
    expect(res.status).toBe(200);
    const slots = ((await res.json()) as { slots: { start: string; staffIds: string[] }[] }).slots;
    const expected = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30"].concat([
      "14:00",
      "14:30",
      "15:00",
      "15:30",
      "16:00",
      "16:30",
    ]);
    expect(slots.map((s) => localTime(s.start))).toEqual(expected);
    expect(slots.every((s) => s.staffIds.includes(staffId))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("Business: an error from the API shows at its field and changes nothing; the preview is the real widget", async () => {
    const page = await w.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const { errors } = watch(page);
    const owner = await freshOwner(w.stack.baseUrl, TZ);
    const api = (method: string, path: string, body?: unknown) => adminCall(owner, method, path, body);
    const ana = await api("POST", "/v1/admin/staff", {
      name: "Ana",
      weeklyHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "17:00" })),
    });
    await api("POST", "/v1/admin/services", {
      name: "Cut",
      durationMinutes: 30,
      price: { amount: 2500, currency: "EUR" },
      staffIds: [ana.body.id],
    });
    await signInAt(page, owner, "/setup/business");
    await page.getByRole("heading", { name: "Setup: Business" }).waitFor();
    const phone = page.getByLabel("Phone");
    await phone.fill("call me maybe");
    await page.getByLabel("Address").fill("Calle Mayor 1, Madrid");
    await page.locator("form", { has: phone }).getByRole("button", { name: "Save", exact: true }).click();
    await page
      .locator("#b-phone-err")
      .getByText(/phone number in international format/)
      .waitFor();
    expect(await phone.getAttribute("aria-invalid")).toBe("true");
    const before = await api("GET", "/v1/admin/tenant");
    expect(before.body.profile).toEqual({ address: null, phone: null, about: null, logoUrl: null });
    await phone.fill("+34 910 000 000");
    await page.locator("form", { has: phone }).getByRole("button", { name: "Save", exact: true }).click();
    await page.locator("form", { has: phone }).getByText("Saved.").waitFor();
    expect((await api("GET", "/v1/admin/tenant")).body.profile.phone).toBe("+34 910 000 000");

    // the real widget, mounted for this business, follows the draft colour before it is saved
    const widget = page.locator(".preview-widget");
    await widget.getByText("Cut").waitFor();
    await page.getByLabel("Main colour").fill("#0f766e");
    await expect
      .poll(() =>
        widget.evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector(".v")!).getPropertyValue("--p").trim()),
      )
      .toBe("#0f766e");
    expect((await api("GET", "/v1/admin/tenant")).body.branding.primaryColor).toBeUndefined();
    await page
      .locator("form", { has: page.getByLabel("Main colour") })
      .getByRole("button", { name: "Save", exact: true })
      .click();
    await expect.poll(async () => (await api("GET", "/v1/admin/tenant")).body.branding.primaryColor).toBe("#0f766e");
    expect(await axe(page, [".setup"])).toEqual([]);
    await shot(page, "desktop-setup-business");
    expect(errors.filter((e) => !/400/.test(e))).toEqual([]);
    await page.close();
  });

  it("Channels and a phone-sized Staff page: WhatsApp switches on; no sideways scrolling at 360 px; axe-clean", async () => {
    const page = await w.browser.newPage({ viewport: { width: 360, height: 740 } });
    const owner = await freshOwner(w.stack.baseUrl, TZ);
    const api = (method: string, path: string, body?: unknown) => adminCall(owner, method, path, body);
    await api("POST", "/v1/admin/staff", { name: "Ana", weeklyHours: [{ weekday: 1, start: "09:00", end: "17:00" }] });
    await signInAt(page, owner, "/setup/channels");
    const wa = page.getByLabel("Also send WhatsApp messages");
    await wa.check();
    await page.getByText("Saved.").waitFor();
    expect((await api("GET", "/v1/admin/channels")).body).toEqual({ whatsapp: true });
    expect(await axe(page, [".setup"])).toEqual([]);
    await page.getByRole("button", { name: "Menu" }).waitFor();
    await page.goto(`${w.stack.baseUrl}/app/setup/staff`);
    await page.getByRole("link", { name: "Edit Ana" }).click();
    await page.getByRole("heading", { name: "Edit Ana" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axe(page, [".setup"])).toEqual([]);
    await shot(page, "phone-setup-staff");
    await page.close();
  });

  it("a member's date override, time off, invitation and calendar feed; a service deleted after confirming", async () => {
    const context = await w.browser.newContext({
      viewport: { width: 1280, height: 900 },
      permissions: ["clipboard-read", "clipboard-write"],
    });
    const page = await context.newPage();
    const { errors } = watch(page);
    const owner = await freshOwner(w.stack.baseUrl, TZ);
    const api = (method: string, path: string, body?: unknown) => adminCall(owner, method, path, body);
    const ana = (
      await api("POST", "/v1/admin/staff", {
        name: "Ana",
        email: "ana@staff.example",
        weeklyHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "17:00" })),
      })
    ).body;
    const svc = (
      await api("POST", "/v1/admin/services", {
        name: "Cut",
        durationMinutes: 60,
        slotStepMinutes: 60,
        price: { amount: 2500, currency: "EUR" },
        staffIds: [ana.id],
      })
    ).body;
    const monday = nextMonday();
    const tuesday = new Date(Date.parse(`${monday}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const offered = async (date: string) =>
      (
        (await (
          await fetch(
            `${owner.baseUrl}/v1/public/${owner.slug}/availability?serviceId=${svc.id}&from=${date}&to=${date}`,
          )
        ).json()) as { slots: { start: string }[] }
      ).slots.map((s) => localTime(s.start));
    expect(await offered(monday)).toHaveLength(8);
    await signInAt(page, owner, `/setup/staff/${ana.id}`);

    // Monday off: the date's override replaces the week's hours, and the widget's availability follows
    await page.locator("#ov-date").fill(monday);
    await page.getByLabel("Day off").check();
    await page.getByRole("button", { name: "Save this date" }).click();
    await page.getByRole("button", { name: /^Remove the override of / }).waitFor();
    expect(await offered(monday)).toEqual([]);

    // time off: an end before the start is refused by the API and said at the end field; then 10:00–12:00
    await page.locator("#to-start").fill(`${tuesday}T12:00`);
    await page.locator("#to-end").fill(`${tuesday}T10:00`);
    await page.getByRole("button", { name: "Add time off" }).click();
    await page.locator("#to-end-err").getByText("start must be before end").waitFor();
    expect((await api("GET", `/v1/admin/staff/${ana.id}/time-off`)).body.data).toEqual([]);
    await page.locator("#to-start").fill(`${tuesday}T10:00`);
    await page.locator("#to-end").fill(`${tuesday}T12:00`);
    await page.getByLabel("Reason (optional)").fill("Dentist");
    await page.getByRole("button", { name: "Add time off" }).click();
    await page.getByText("Dentist").waitFor();
    const off = (await api("GET", `/v1/admin/staff/${ana.id}/time-off`)).body.data;
    expect(off.map((o: { start: string; end: string }) => [localTime(o.start), localTime(o.end)])).toEqual([
      ["10:00", "12:00"],
    ]);
    expect(await offered(tuesday)).toEqual(["09:00", "12:00", "13:00", "14:00", "15:00", "16:00"]);

    // a dashboard invitation for Ana's record, to the e-mail on file
    expect(await page.getByLabel("Their e-mail").inputValue()).toBe("ana@staff.example");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByText("Invitation sent to ana@staff.example.").waitFor();
    const invitations = (await api("GET", "/v1/admin/invitations")).body.data;
    expect(invitations).toMatchObject([
      { email: "ana@staff.example", role: "staff", staffId: ana.id, status: "pending" },
    ]);

    // the private calendar feed URL, shown once, with a copy button
    await page.getByRole("button", { name: "Create a feed link" }).click();
    const url = await page.getByLabel("Feed URL (shown only now)").inputValue();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+\.ics$/);
    expect((await fetch(url)).status).toBe(200);
    await page.getByRole("button", { name: "Copy", exact: true }).click();
    await page.getByText("Copied.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    expect(await axe(page, [".setup"])).toEqual([]);

    // delete a service: asked first (the question takes the focus), then gone
    await page.goto(`${owner.baseUrl}/app/setup/services/${svc.id}`);
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const question = page.locator("fieldset.confirm legend");
    await expect.poll(() => question.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await question.textContent()).toContain("Delete Cut?");
    expect(await axe(page, [".setup"])).toEqual([]);
    await page.locator("fieldset.confirm").getByRole("button", { name: "Delete", exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/app/setup/services");
    await page.getByText("No services yet.").waitFor();
    expect((await api("GET", `/v1/admin/services/${svc.id}`)).status).toBe(404);
    expect(errors.filter((e) => !/400/.test(e))).toEqual([]);
    await context.close();
  });
});
