// The pages the side effects expose: private staff ICS feeds (issue, read, rotate), invoice pages, the dev mailbox,
// and the channel settings — happy paths, errors and the security cases.
import ICAL from "ical.js";
import { beforeEach, describe, expect, it } from "vitest";
import { customerEmailHandler } from "../../worker/src/effects/handlers/customer-email.ts";
import { invoiceHandler } from "../../worker/src/effects/handlers/invoice.ts";
import { invoiceTokenFor } from "../../worker/src/effects/invoices.ts";
import { CalendarFeed, Channels } from "../../worker/src/schemas/effects.ts";
import { useTestApp } from "../helpers/app.ts";
import { createSalon } from "../helpers/salon.ts";
import { CONFIG, effects } from "./helpers.ts";

const t = useTestApp();
const fx = effects(t);
const NOW = new Date("2027-03-01T08:00:00Z");
beforeEach(() => {
  t.clock.now = NOW;
});

async function issueFeed(key: string, staffId: string) {
  return t.request("POST", `/v1/admin/staff/${staffId}/calendar-feed`, { key });
}

const pathOf = (url: string) => new URL(url).pathname;

describe("staff calendar feed", () => {
  it("lists the staff member's upcoming active bookings as iCalendar in UTC", async () => {
    const s = await createSalon(t, { staff: 2 });
    const first = await fx.book(s, "2027-03-02T09:00:00Z", { name: "Ada; Lovelace, Countess" });
    const second = await fx.book(s, "2027-03-03T14:30:00Z");
    const cancelled = await fx.book(s, "2027-03-02T12:00:00Z");
    await t.request(
      "POST",
      `/v1/public/${s.tenant.slug}/bookings/${cancelled.id}/cancel?token=${cancelled.manageToken}`,
    );
    await fx.book(s, "2027-03-02T09:00:00Z", { staffId: s.staffIds[1] }); // someone else's

    const issued = await issueFeed(s.tenant.apiKey, s.staffIds[0]!);
    expect(issued.status).toBe(201);
    const feed = CalendarFeed.parse(issued.body);
    expect(feed.url).toMatch(new RegExp(`^http://bookra\\.test/feeds/staff/${s.staffIds[0]}/fd_[0-9a-z]{40}\\.ics$`));

    const res = await t.app.request(pathOf(feed.url));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("cache-control")).toContain("no-store");
    const cal = new ICAL.Component(ICAL.parse(await res.text()));
    expect(cal.getFirstPropertyValue("method")).toBe("PUBLISH");
    const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.uid)).toEqual([`${first.id}@bookra`, `${second.id}@bookra`]);
    expect(events.map((e) => [e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()])).toEqual([
      ["2027-03-02T09:00:00.000Z", "2027-03-02T10:00:00.000Z"],
      ["2027-03-03T14:30:00.000Z", "2027-03-03T15:30:00.000Z"],
    ]);
    expect(events.every((e) => e.startDate.zone?.tzid === "UTC")).toBe(true);
    expect(events[0]!.summary).toBe("Cut: Ada; Lovelace, Countess");

    t.clock.now = new Date("2027-03-02T11:00:00Z"); // the first booking is over
    const later = new ICAL.Component(ICAL.parse(await (await t.app.request(pathOf(feed.url))).text()));
    expect(later.getAllSubcomponents("vevent").map((v) => v.getFirstPropertyValue("uid"))).toEqual([
      `${second.id}@bookra`,
    ]);
  });

  it("answers 404 to a wrong, malformed or rotated token, and to another staff member's id", async () => {
    const s = await createSalon(t, { staff: 2 });
    const old = CalendarFeed.parse((await issueFeed(s.tenant.apiKey, s.staffIds[0]!)).body);
    const token = pathOf(old.url).split("/").at(-1)!.replace(".ics", "");
    const wrong = `fd_${"a".repeat(40)}`;
    for (const path of [
      `/feeds/staff/${s.staffIds[0]}/${wrong}.ics`,
      `/feeds/staff/${s.staffIds[0]}/${token}`, // no .ics
      `/feeds/staff/${s.staffIds[0]}/${token.toUpperCase()}.ics`,
      `/feeds/staff/${s.staffIds[1]}/${token}.ics`,
      `/feeds/staff/nobody/${token}.ics`,
    ]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(404);
    }
    expect((await t.app.request(pathOf(old.url))).status).toBe(200);
    const rotated = CalendarFeed.parse((await issueFeed(s.tenant.apiKey, s.staffIds[0]!)).body);
    expect(rotated.url).not.toBe(old.url);
    expect((await t.app.request(pathOf(old.url))).status).toBe(404);
    expect((await t.app.request(pathOf(rotated.url))).status).toBe(200);
    const stored = await t.database.admin("SELECT token_hash FROM staff_calendar_feeds WHERE staff_id = $1", [
      s.staffIds[0],
    ]);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/); // only the hash is kept
  });

  it("issues feeds only with the tenant's own key, for its own live staff", async () => {
    const a = await createSalon(t);
    const b = await createSalon(t);
    expect((await t.request("POST", `/v1/admin/staff/${a.staffIds[0]}/calendar-feed`)).status).toBe(401);
    expect((await issueFeed(`sk_${"0".repeat(40)}`, a.staffIds[0]!)).status).toBe(401);
    const foreign = await issueFeed(b.tenant.apiKey, a.staffIds[0]!);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("NOT_FOUND");
    expect((await issueFeed(a.tenant.apiKey, `stf_${"0".repeat(20)}`)).status).toBe(404);
    expect((await issueFeed(a.tenant.apiKey, "not-an-id")).status).toBe(404);
    await t.request("DELETE", `/v1/admin/staff/${a.staffIds[0]}`, { key: a.tenant.apiKey });
    expect((await issueFeed(a.tenant.apiKey, a.staffIds[0]!)).status).toBe(404);
  });
});

describe("invoice page", () => {
  it("renders the amount in the tenant's currency for the holder of the link, and 404s anyone else", async () => {
    const s = await createSalon(t, { service: { price: { amount: 4550, currency: "EUR" } } });
    const b = await fx.book(s, "2027-03-02T09:00:00Z", { name: "Grace <b>Hopper</b>" });
    await fx.run(invoiceHandler, await fx.lastEvent(b.id, "booking.created"));
    const [row] = await t.database.admin("SELECT id FROM invoices WHERE booking_id = $1", [b.id]);
    const token = await invoiceTokenFor(CONFIG, row!.id);

    const res = await t.app.request(`/invoices/${row!.id}?token=${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<th class="amount" id="total">€45.50</th>');
    expect(html).toContain("Invoice No. 000001");
    expect(html).toContain(`Business ${s.tenant.slug}`);
    expect(html).toContain("Grace &lt;b&gt;Hopper&lt;/b&gt;");
    expect(html).not.toContain("<b>Hopper");

    const other = await createSalon(t);
    const otherBooking = await fx.book(other, "2027-03-02T09:00:00Z");
    await fx.run(invoiceHandler, await fx.lastEvent(otherBooking.id, "booking.created"));
    const [otherRow] = await t.database.admin("SELECT id FROM invoices WHERE booking_id = $1", [otherBooking.id]);
    for (const path of [
      `/invoices/${row!.id}`,
      `/invoices/${row!.id}?token=${b.manageToken}`,
      `/invoices/${otherRow!.id}?token=${token}`,
      `/invoices/inv_${"0".repeat(20)}?token=${await invoiceTokenFor(CONFIG, `inv_${"0".repeat(20)}`)}`,
      `/invoices/nonsense?token=${token}`,
    ]) {
      expect((await t.app.request(path)).status, path).toBe(404);
    }
  });
});

describe("dev mailbox", () => {
  it("shows recorded messages with their .ics and manage links, only when configured (BOOKRA_ENV=local)", async () => {
    const s = await createSalon(t);
    const b = await fx.book(s, "2027-03-02T09:00:00Z", { name: "<script>alert(1)</script>" });
    await fx.run(customerEmailHandler, await fx.lastEvent(b.id, "booking.created"));

    const res = await t.withConfig({ devMailbox: true }).request("/dev/mailbox");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Booking confirmed: Cut");
    expect(html).toContain(`<a href="http://bookra.test/manage/${s.tenant.slug}/${b.id}?token=${b.manageToken}">`);
    expect(html).toContain("invite.ics");
    expect(html).toContain("BEGIN:VCALENDAR");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain('<section id="webhooks">');

    expect((await t.app.request("/dev/mailbox")).status).toBe(404);
    expect((await t.app.request("/dev/mailbox", {}, { BOOKRA_ENV: "production" })).status).toBe(404);
    // Configuration decides, never a request's bindings: the worker turns BOOKRA_ENV into configuration once.
    expect((await t.app.request("/dev/mailbox", {}, { BOOKRA_ENV: "local" })).status).toBe(404);
  });
});

describe("channels", () => {
  it("reads and sets the tenant's WhatsApp switch, validated and tenant-scoped", async () => {
    const a = await createSalon(t);
    const b = await createSalon(t);
    expect(Channels.parse((await t.request("GET", "/v1/admin/channels", { key: a.tenant.apiKey })).body)).toEqual({
      whatsapp: false,
    });
    expect(
      (await t.request("PUT", "/v1/admin/channels", { key: a.tenant.apiKey, body: { whatsapp: true } })).body,
    ).toEqual({ whatsapp: true });
    expect((await t.request("GET", "/v1/admin/channels", { key: a.tenant.apiKey })).body).toEqual({ whatsapp: true });
    expect((await t.request("GET", "/v1/admin/channels", { key: b.tenant.apiKey })).body).toEqual({ whatsapp: false });
    const bad = await t.request("PUT", "/v1/admin/channels", { key: a.tenant.apiKey, body: { whatsapp: "yes" } });
    expect(bad.status).toBe(400);
    expect(
      (await t.request("PUT", "/v1/admin/channels", { key: a.tenant.apiKey, body: { whatsapp: true, sms: true } }))
        .status,
    ).toBe(400);
    expect((await t.request("GET", "/v1/admin/channels")).status).toBe(401);
  });
});
