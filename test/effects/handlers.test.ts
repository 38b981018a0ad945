// Each side-effect handler against the real Postgres with the local providers: real bookings made through the app,
// the outbox rows they wrote, the handler run the way the consumer runs it. Exactly the right message, recorded once.
import ICAL from "ical.js";
import { beforeEach, describe, expect, it } from "vitest";
import { calendarEventIdFor, calendarHandler } from "../../worker/src/effects/handlers/calendar.ts";
import { customerEmailHandler } from "../../worker/src/effects/handlers/customer-email.ts";
import { EFFECT_HANDLERS } from "../../worker/src/effects/handlers/index.ts";
import { invoiceHandler } from "../../worker/src/effects/handlers/invoice.ts";
import { staffNoticeHandler } from "../../worker/src/effects/handlers/staff-notice.ts";
import { whatsAppHandler } from "../../worker/src/effects/handlers/whatsapp.ts";
import { sweepReminders } from "../../worker/src/effects/reminders.ts";
import { looksLikeId } from "../../worker/src/lib/ids.ts";
import { createProviders } from "../../worker/src/providers/index.ts";
import { expireHolds } from "../../worker/src/services/bookings/outbox-rows.ts";
import { useTestApp } from "../helpers/app.ts";
import { createSalon } from "../helpers/salon.ts";
import { effects } from "./helpers.ts";

const t = useTestApp();
const fx = effects(t);
// Monday 2027-03-01 08:00 London (UTC+0); bookings on Tuesday.
const NOW = new Date("2027-03-01T08:00:00Z");
beforeEach(() => {
  t.clock.now = NOW;
});

function ics(text: string | undefined) {
  const cal = new ICAL.Component(ICAL.parse(text ?? ""));
  const vevent = cal.getFirstSubcomponent("vevent")!;
  return { method: cal.getFirstPropertyValue("method"), vevent, event: new ICAL.Event(vevent) };
}

describe("customer-email", () => {
  it("sends one confirmation with the invitation and a working manage link, however often it runs", async () => {
    const s = await createSalon(t);
    const b = await fx.book(s, "2027-03-02T09:00:00Z");
    const created = await fx.lastEvent(b.id, "booking.created");
    await fx.run(customerEmailHandler, created);
    await fx.run(customerEmailHandler, created);
    const mails = await fx.recorded(s.tenant.id);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail).toMatchObject({
      kind: "email",
      idempotency_key: `${created.id}/customer-email`,
      subject: expect.stringMatching(/^Booking confirmed: Cut, Tuesday,? 2 March 2027 at 09:00 \(Europe\/London\)/),
    });
    expect(mail.recipient).toMatch(/^customer.+@example\.com$/);
    const link = `http://bookra.test/manage/${s.tenant.slug}/${b.id}?token=${b.manageToken}`;
    expect(mail.body).toContain(link);
    const viaLink = await t.request("GET", `/v1/public/${s.tenant.slug}/bookings/${b.id}?token=${b.manageToken}`);
    expect(viaLink.status).toBe(200);

    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({
      filename: "invite.ics",
      contentType: "text/calendar; charset=utf-8; method=REQUEST",
    });
    const inv = ics(mail.attachments[0]!.content);
    expect(inv.method).toBe("REQUEST");
    expect(inv.event.uid).toBe(`${b.id}@bookra`);
    expect(inv.event.sequence).toBe(0);
    expect(inv.event.startDate.zone?.tzid).toBe("UTC");
    expect(inv.event.startDate.toJSDate().toISOString()).toBe("2027-03-02T09:00:00.000Z");
    expect(inv.event.endDate.toJSDate().toISOString()).toBe("2027-03-02T10:00:00.000Z");
    expect(inv.vevent.getFirstPropertyValue("url")).toBe(link);
  });

  it("updates the same calendar event on a move (higher SEQUENCE, new times) and cancels it after", async () => {
    const s = await createSalon(t);
    const b = await fx.book(s, "2027-03-02T09:00:00Z");
    const moved = await t.request(
      "POST",
      `/v1/public/${s.tenant.slug}/bookings/${b.id}/reschedule?token=${b.manageToken}`,
      { body: { start: "2027-03-02T13:00:00Z" } },
    );
    expect(moved.status).toBe(200);
    await fx.run(customerEmailHandler, await fx.lastEvent(b.id, "booking.rescheduled"));
    expect(
      (await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${b.id}/cancel?token=${b.manageToken}`)).status,
    ).toBe(200);
    const cancelled = await fx.lastEvent(b.id, "booking.cancelled");
    await fx.run(customerEmailHandler, cancelled);
    await fx.run(customerEmailHandler, cancelled);

    const [move, cancel, ...rest] = await fx.recorded(s.tenant.id, "email");
    expect(rest).toEqual([]);
    expect(move!.subject).toMatch(/^Booking moved: Cut, Tuesday,? 2 March 2027 at 13:00/);
    const m = ics(move!.attachments[0]!.content);
    expect([m.method, m.event.uid, m.event.sequence]).toEqual(["REQUEST", `${b.id}@bookra`, 1]);
    expect(m.event.startDate.toJSDate().toISOString()).toBe("2027-03-02T13:00:00.000Z");
    expect(cancel!.subject).toMatch(/^Booking cancelled: Cut, Tuesday,? 2 March 2027 at 13:00/);
    expect(cancel!.body).not.toContain("token=");
    const c = ics(cancel!.attachments[0]!.content);
    expect([c.method, c.event.uid, c.event.sequence, c.vevent.getFirstPropertyValue("status")]).toEqual([
      "CANCEL",
      `${b.id}@bookra`,
      2,
      "CANCELLED",
    ]);
  });

  it("says nothing about a hold awaiting payment, then tells the customer when it expires", async () => {
    const s = await createSalon(t, { connected: true, service: { deposit: { percent: 20 } } });
    const b = await fx.book(s, "2027-03-02T09:00:00Z");
    expect(b.status).toBe("pending_payment");
    await fx.run(customerEmailHandler, await fx.lastEvent(b.id, "booking.created"));
    expect(await fx.recorded(s.tenant.id)).toEqual([]);
    const later = new Date("2027-03-01T09:00:00Z");
    await t.database.db.withTenantTx(s.tenant.id, (tx) => expireHolds(tx, [b.id], later));
    await fx.run(customerEmailHandler, await fx.lastEvent(b.id, "booking.expired"));
    const [mail, ...rest] = await fx.recorded(s.tenant.id);
    expect(rest).toEqual([]);
    expect(mail!.subject).toMatch(/^Booking not completed: Cut/);
    expect(ics(mail!.attachments[0]!.content).method).toBe("CANCEL");
  });

  it("does not confirm a booking that was cancelled before the message went out", async () => {
    const s = await createSalon(t);
    const b = await fx.book(s, "2027-03-02T09:00:00Z");
    await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${b.id}/cancel?token=${b.manageToken}`);
    await fx.run(customerEmailHandler, await fx.lastEvent(b.id, "booking.created"));
    expect(await fx.recorded(s.tenant.id)).toEqual([]);
  });
});

describe("24 h reminders", () => {
  it("writes one reminder_due row per booking and start, which becomes one reminder e-mail", async () => {
    const s = await createSalon(t);
    const b = await fx.book(s, "2027-03-02T09:00:00Z"); // booked 25 h ahead
    const soon = await fx.book(s, "2027-03-01T11:00:00Z"); // booked 3 h ahead: no reminder
    const reminders = async (id: string) => (await fx.events(id)).filter((e) => e.type === "booking.reminder_due");

    await sweepReminders(t.database.db, new Date("2027-03-01T08:30:00Z"));
    expect(await reminders(b.id)).toEqual([]); // 24.5 h away: not yet
    t.database.db.takeCommittedOutbox();
    await sweepReminders(t.database.db, new Date("2027-03-01T09:30:00Z"));
    const relayed = t.database.db.takeCommittedOutbox(); // what relayCommitted would send right away
    await sweepReminders(t.database.db, new Date("2027-03-01T10:00:00Z"));
    const due = await reminders(b.id);
    expect(due).toHaveLength(1);
    expect(relayed).toContainEqual({ outboxId: due[0]!.id, tenantId: s.tenant.id });
    expect(due[0]!.payload).toMatchObject({ bookingId: b.id, start: "2027-03-02T09:00:00Z" });
    expect(await reminders(soon.id)).toEqual([]);

    await fx.run(customerEmailHandler, due[0]!);
    await fx.run(customerEmailHandler, due[0]!);
    const [mail, ...rest] = await fx.recorded(s.tenant.id);
    expect(rest).toEqual([]);
    expect(mail!.subject).toMatch(/^Reminder: Cut, Tuesday,? 2 March 2027 at 09:00/);
    expect(mail!.body).toContain(`token=${b.manageToken}`);
    expect(mail!.attachments).toEqual([]);
  });

  it("gives reminder events ids like every other event's (newId: evt_ + 20 base-32 characters, not md5 hex)", async () => {
    const s = await createSalon(t);
    const booked = [];
    for (const hour of ["09", "10", "11", "12"]) booked.push(await fx.book(s, `2027-03-02T${hour}:00:00Z`));
    await sweepReminders(t.database.db, new Date("2027-03-01T12:30:00Z"));
    const ids = await Promise.all(booked.map(async (b) => (await fx.lastEvent(b.id, "booking.reminder_due")).id));
    for (const id of ids) expect(looksLikeId("evt", id), id).toBe(true);
    // md5 gives only 0-9a-f; four newId suffixes (80 characters) are all within it with probability 2^-80.
    expect(ids.join("").replaceAll("evt_", "")).toMatch(/[g-z]/);
  });

  it("skips a reminder whose booking moved or was cancelled since it was written", async () => {
    const s = await createSalon(t);
    const b = await fx.book(s, "2027-03-02T09:00:00Z");
    await sweepReminders(t.database.db, new Date("2027-03-01T10:00:00Z"));
    const due = await fx.lastEvent(b.id, "booking.reminder_due");
    await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${b.id}/cancel?token=${b.manageToken}`);
    await fx.run(customerEmailHandler, due);
    expect(await fx.recorded(s.tenant.id)).toEqual([]);
  });
});

describe("staff-notice", () => {
  it("e-mails a staff member with an address about new, moved and cancelled bookings, once each", async () => {
    const s = await createSalon(t);
    const quiet = await fx.book(s, "2027-03-02T09:00:00Z");
    await fx.run(staffNoticeHandler, await fx.lastEvent(quiet.id, "booking.created"));
    expect(await fx.recorded(s.tenant.id)).toEqual([]); // no address yet

    const patched = await t.request("PATCH", `/v1/admin/staff/${s.staffIds[0]}`, {
      key: s.tenant.apiKey,
      body: { email: "stylist@example.com" },
    });
    expect(patched.status).toBe(200);
    const b = await fx.book(s, "2027-03-02T11:00:00Z", { name: "Grace Hopper" });
    const notify = async (type: string) => {
      const e = await fx.lastEvent(b.id, type);
      await fx.run(staffNoticeHandler, e);
      await fx.run(staffNoticeHandler, e);
    };
    await notify("booking.created");
    await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${b.id}/reschedule?token=${b.manageToken}`, {
      body: { start: "2027-03-02T14:00:00Z" },
    });
    await notify("booking.rescheduled");
    await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${b.id}/cancel?token=${b.manageToken}`);
    await notify("booking.cancelled");
    await notify("booking.rescheduled"); // the move redelivered after the cancellation changes nothing
    const mails = await fx.recorded(s.tenant.id);
    expect(mails.map((m) => [m.recipient, m.subject?.split(":")[0]])).toEqual([
      ["stylist@example.com", "New booking"],
      ["stylist@example.com", "Booking moved"],
      ["stylist@example.com", "Booking cancelled"],
    ]);
    expect(mails[0]!.body).toContain("Grace Hopper");
    expect(mails[1]!.subject).toContain("14:00");
  });
});

describe("whatsapp", () => {
  it("messages customers with a phone number who opted in once the tenant switches WhatsApp on", async () => {
    const s = await createSalon(t);
    const b = await fx.book(s, "2027-03-02T09:00:00Z", { phone: "+44 20 7946 0958", whatsappOptIn: true });
    const created = await fx.lastEvent(b.id, "booking.created");
    await fx.run(whatsAppHandler, created);
    expect(await fx.recorded(s.tenant.id)).toEqual([]); // channel off

    const on = await t.request("PUT", "/v1/admin/channels", { key: s.tenant.apiKey, body: { whatsapp: true } });
    expect(on.body).toEqual({ whatsapp: true });
    await fx.run(whatsAppHandler, created);
    await fx.run(whatsAppHandler, created);
    const noPhone = await fx.book(s, "2027-03-02T11:00:00Z");
    await fx.run(whatsAppHandler, await fx.lastEvent(noPhone.id, "booking.created"));

    const messages = await fx.recorded(s.tenant.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      kind: "whatsapp",
      recipient: "442079460958",
      subject: "bookra_booking_confirmed",
      idempotency_key: `${created.id}/whatsapp`,
    });
    expect(messages[0]!.body).toContain(`token=${b.manageToken}`);
  });

  it("sends nothing to a customer who did not opt in, even with a phone number and the channel on", async () => {
    const s = await createSalon(t);
    await t.request("PUT", "/v1/admin/channels", { key: s.tenant.apiKey, body: { whatsapp: true } });
    const silent = await fx.book(s, "2027-03-02T09:00:00Z", { phone: "+44 20 7946 0958" });
    const refused = await fx.book(s, "2027-03-02T11:00:00Z", { phone: "+44 20 7946 0959", whatsappOptIn: false });
    const agreed = await fx.book(s, "2027-03-02T13:00:00Z", { phone: "+44 20 7946 0960", whatsappOptIn: true });
    for (const b of [silent, refused, agreed])
      await fx.run(whatsAppHandler, await fx.lastEvent(b.id, "booking.created"));
    const messages = await fx.recorded(s.tenant.id, "whatsapp");
    expect(messages.map((m) => m.recipient)).toEqual(["442079460960"]);
    const stored = await t.database.admin<{ id: string; whatsapp_opt_in: boolean }>(
      "SELECT id, whatsapp_opt_in FROM bookings WHERE tenant_id = $1",
      [s.tenant.id],
    );
    expect(Object.fromEntries(stored.map((r) => [r.id, r.whatsapp_opt_in]))).toEqual({
      [silent.id]: false,
      [refused.id]: false,
      [agreed.id]: true,
    });
  });
});

describe("header values", () => {
  it("a service, business and staff member named with CR/LF give single-line subjects and template parameters", async () => {
    const s = await createSalon(t, { service: { name: "Cut\r\nBcc: x@evil" } });
    const tenant = await t.request("PATCH", "/v1/admin/tenant", {
      key: s.tenant.apiKey,
      body: { name: "Salon\nReply-To: a@evil" },
    });
    expect(tenant.status).toBe(200);
    await t.request("PUT", "/v1/admin/channels", { key: s.tenant.apiKey, body: { whatsapp: true } });
    await t.database.admin("UPDATE staff SET email = 'stylist@example.com' WHERE id = $1", [s.staffIds[0]]);
    const b = await fx.book(s, "2027-03-02T09:00:00Z", { phone: "+44 20 7946 0958", whatsappOptIn: true });
    const created = await fx.lastEvent(b.id, "booking.created");
    for (const handler of [customerEmailHandler, staffNoticeHandler]) await fx.run(handler, created);
    const mails = await fx.recorded(s.tenant.id, "email");
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Booking confirmed: Cut Bcc: x@evil, Tuesday/),
      expect.stringMatching(/^New booking: Cut Bcc: x@evil, Tuesday/),
    ]);
    for (const m of mails) expect(m.subject).not.toMatch(/[\r\n]/);

    const sent: { parameters: string[] }[] = [];
    const providers = createProviders({ BOOKRA_ENV: "local" }, t.database.db);
    const spy = {
      ...providers,
      whatsapp: {
        adapter: "spy",
        send: async (m: { template: { parameters: string[] } }) => {
          sent.push(m.template);
        },
      },
    };
    await fx.run(whatsAppHandler, created, spy);
    expect(sent[0]!.parameters.slice(0, 2)).toEqual(["Salon Reply-To: a@evil", "Cut Bcc: x@evil"]);
  });
});

describe("calendar", () => {
  it("does nothing without a connection, then creates, moves and deletes one event per booking", async () => {
    const s = await createSalon(t);
    const b = await fx.book(s, "2027-03-02T09:00:00Z", { name: "Ada Lovelace" });
    await fx.run(calendarHandler, await fx.lastEvent(b.id, "booking.created"));
    expect(await fx.recorded(s.tenant.id)).toEqual([]);

    await t.database.admin(
      "INSERT INTO staff_calendar_connections (tenant_id, staff_id, calendar_id, refresh_token) VALUES ($1, $2, 'primary', 'rt')",
      [s.tenant.id, s.staffIds[0]],
    );
    await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${b.id}/reschedule?token=${b.manageToken}`, {
      body: { start: "2027-03-02T15:00:00Z" },
    });
    const created = await fx.lastEvent(b.id, "booking.created");
    await fx.run(calendarHandler, created);
    await fx.run(calendarHandler, created);
    await fx.run(calendarHandler, await fx.lastEvent(b.id, "booking.rescheduled"));
    await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${b.id}/cancel?token=${b.manageToken}`);
    await fx.run(calendarHandler, await fx.lastEvent(b.id, "booking.cancelled"));

    const eventId = await calendarEventIdFor(b.id);
    expect(eventId).toMatch(/^[a-v0-9]{5,1024}$/);
    const ops = await fx.recorded(s.tenant.id, "calendar");
    expect(ops.map((o) => [o.calendar_op, o.attachments[0]?.eventId])).toEqual([
      ["upsert", eventId],
      ["upsert", eventId],
      ["delete", eventId],
    ]);
    expect(ops[0]!.subject).toBe("Cut: Ada Lovelace");
    expect(ops[1]!.attachments[0]).toMatchObject({
      startsAt: "2027-03-02T15:00:00.000Z",
      endsAt: "2027-03-02T16:00:00.000Z",
    });
  });
});

describe("invoice", () => {
  const numbers = async (tenantId: string) =>
    (
      await t.database.admin("SELECT number::int AS n FROM invoices WHERE tenant_id = $1 ORDER BY number", [tenantId])
    ).map((r) => r.n);

  it("issues one invoice per confirmed booking, numbered from 1 per tenant", async () => {
    const s = await createSalon(t);
    const other = await createSalon(t);
    const a = await fx.book(s, "2027-03-02T09:00:00Z");
    const b = await fx.book(s, "2027-03-02T11:00:00Z");
    const elsewhere = await fx.book(other, "2027-03-02T09:00:00Z");
    for (const id of [a.id, b.id]) {
      const e = await fx.lastEvent(id, "booking.created");
      await fx.run(invoiceHandler, e);
      await fx.run(invoiceHandler, e);
    }
    await fx.run(invoiceHandler, await fx.lastEvent(elsewhere.id, "booking.created"));
    expect(await numbers(s.tenant.id)).toEqual([1, 2]);
    expect(await numbers(other.tenant.id)).toEqual([1]);
    const [row] = await t.database.admin(
      "SELECT amount::int AS amount, currency, booking_id FROM invoices WHERE tenant_id = $1 AND number = 1",
      [s.tenant.id],
    );
    expect(row).toEqual({ amount: 5000, currency: "EUR", booking_id: a.id });
  });

  it("does not invoice a hold awaiting payment", async () => {
    const s = await createSalon(t, { connected: true, service: { deposit: { percent: 20 } } });
    const b = await fx.book(s, "2027-03-02T09:00:00Z");
    await fx.run(invoiceHandler, await fx.lastEvent(b.id, "booking.created"));
    expect(await numbers(s.tenant.id)).toEqual([]);
  });

  it("stays gapless when many transactions issue at once and some of them roll back", async () => {
    const s = await createSalon(t, { staff: 3 });
    const starts = ["09", "10", "11", "12", "13", "14", "15", "16"].map((h) => `2027-03-02T${h}:00:00Z`);
    const booked = await Promise.all(
      s.staffIds.flatMap((staffId) => starts.map((start) => fx.book(s, start, { staffId }))),
    );
    const events = await Promise.all(booked.map((b) => fx.lastEvent(b.id, "booking.created")));
    const attempts = new Map<string, number>();
    // Every third transaction fails after taking its number (as a crash would), then is retried.
    const issue = async (e: (typeof events)[number]): Promise<void> => {
      const n = (attempts.get(e.id) ?? 0) + 1;
      attempts.set(e.id, n);
      try {
        await t.database.db.withTenantTx(e.tenantId, async (tx) => {
          await invoiceHandler.run({
            tx,
            event: e,
            providers: createProviders({ BOOKRA_ENV: "local" }, t.database.db),
            config: { manageTokenSecret: "x".repeat(32), publicBaseUrl: "" },
            now: NOW,
          });
          if (n === 1 && events.indexOf(e) % 3 === 0) throw new Error("crash after issuing");
        });
      } catch {
        return issue(e);
      }
    };
    await Promise.all(events.map(issue));
    expect(booked).toHaveLength(24);
    expect(await numbers(s.tenant.id)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect([...attempts.values()].filter((n) => n === 2)).toHaveLength(8);
  });
});

describe("EFFECT_HANDLERS", () => {
  it("lists each handler once under a unique name, for the events the bookings write", () => {
    const names = EFFECT_HANDLERS.map((h) => h.name);
    expect(names).toEqual(["customer-email", "staff-notice", "whatsapp", "calendar", "invoice"]);
    for (const h of EFFECT_HANDLERS) expect(h.events.length).toBeGreaterThan(0);
  });
});
