// The real adapters against a fetch we pass in (request shape, headers, idempotency key; no network), provider
// selection by configuration, and the local adapters' failure switches.
import { describe, expect, it, vi } from "vitest";
import type { Database } from "../db/client.ts";
import { resendEmail } from "./email.ts";
import { googleCalendar } from "./google-calendar.ts";
import { createProviders } from "./index.ts";
import { LOCAL_SENDER, localProviders, parseFailureInjection } from "./local.ts";
import { ProviderError } from "./types.ts";
import { whatsAppCloud } from "./whatsapp.ts";

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

/** A fetch that records each request and answers from the queue of responses (the last one repeats). */
function fakeFetch(...responses: (() => Response)[]) {
  const calls: Call[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: String(input),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: init?.body === undefined ? "" : String(init.body),
    });
    const next = responses.length > 1 ? responses.shift()! : responses[0]!;
    return next();
  };
  return { fetch: fn as typeof fetch, calls };
}

const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const noDb = {} as Database; // local adapters only touch the database when they record

const mail = {
  tenantId: "ten_x",
  idempotencyKey: "evt_1/customer-email",
  to: "ada@example.com",
  fromName: 'Salon "Ada" <x>',
  subject: "Booking confirmed",
  text: "Hello",
  html: "<p>Hello</p>",
  attachments: [
    {
      filename: "invite.ics",
      contentType: "text/calendar; charset=utf-8; method=REQUEST",
      content: "BEGIN:VCALENDAR\r\nSUMMARY:Café\r\n",
    },
  ],
};

describe("Resend e-mail adapter", () => {
  it("posts the message with the bearer key and the idempotency key", async () => {
    const f = fakeFetch(json(200, { id: "re_1" }));
    await resendEmail({ apiKey: "re_test", from: "Bookra <bookings@bookra.app>", fetch: f.fetch }).send(mail);
    expect(f.calls).toHaveLength(1);
    const call = f.calls[0]!;
    expect(call.url).toBe("https://api.resend.com/emails");
    expect(call.method).toBe("POST");
    expect(call.headers.get("authorization")).toBe("Bearer re_test");
    expect(call.headers.get("idempotency-key")).toBe("evt_1/customer-email");
    const body = JSON.parse(call.body);
    expect(body).toMatchObject({
      to: ["ada@example.com"],
      subject: "Booking confirmed",
      text: "Hello",
      html: "<p>Hello</p>",
    });
    expect(body.from).toBe('"Salon Ada x" <bookings@bookra.app>'); // the tenant's name cannot break the header
    expect(body.attachments[0].filename).toBe("invite.ics");
    expect(body.attachments[0].content_type).toContain("method=REQUEST");
    expect(new TextDecoder().decode(Uint8Array.from(atob(body.attachments[0].content), (c) => c.charCodeAt(0)))).toBe(
      mail.attachments[0]!.content,
    );
  });

  it("keeps the subject and the From name on one line whatever the tenant typed", async () => {
    const f = fakeFetch(json(200, { id: "re_1" }));
    await resendEmail({ apiKey: "k", from: "a@b.c", fetch: f.fetch }).send({
      ...mail,
      fromName: "Salon\r\nBcc: x@evil",
      subject: "Booking confirmed: Cut\r\nBcc: x@evil\u0085\u2028\t, Tuesday",
    });
    const body = JSON.parse(f.calls[0]!.body);
    expect(body.subject).toBe("Booking confirmed: Cut Bcc: x@evil , Tuesday");
    expect(body.from).toBe('"Salon Bcc: x@evil" <a@b.c>');
  });

  it.each([
    [422, false],
    [429, true],
    [500, true],
  ])("turns HTTP %i into a ProviderError (retryable: %s)", async (status, retryable) => {
    const f = fakeFetch(json(status, { message: "nope" }));
    const err = await resendEmail({ apiKey: "k", from: "a@b.c", fetch: f.fetch })
      .send(mail)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: "email", status, retryable });
  });
});

describe("WhatsApp Cloud API adapter", () => {
  it("sends the approved template to the phone number id, with the key as callback data", async () => {
    const f = fakeFetch(json(200, { messages: [{ id: "wamid.1" }] }));
    await whatsAppCloud({ accessToken: "EAAB", phoneNumberId: "1055", templateLanguage: "en_GB", fetch: f.fetch }).send(
      {
        tenantId: "ten_x",
        idempotencyKey: "evt_1/whatsapp",
        to: "442079460958",
        template: { name: "bookra_booking_confirmed", parameters: ["Salon", "Cut", "Tuesday"] },
        text: "ignored by the real adapter",
      },
    );
    const call = f.calls[0]!;
    expect(call.url).toBe("https://graph.facebook.com/v21.0/1055/messages");
    expect(call.headers.get("authorization")).toBe("Bearer EAAB");
    expect(JSON.parse(call.body)).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "442079460958",
      type: "template",
      template: {
        name: "bookra_booking_confirmed",
        language: { code: "en_GB" },
        components: [{ type: "body", parameters: ["Salon", "Cut", "Tuesday"].map((text) => ({ type: "text", text })) }],
      },
      biz_opaque_callback_data: "evt_1/whatsapp",
    });
  });
});

describe("Google Calendar adapter", () => {
  const connection = { staffId: "stf_1", calendarId: "ada@example.com", refreshToken: "1//refresh" };
  const event = {
    eventId: "bookraabc123",
    summary: "Cut: Ada",
    description: "Booking bkg_1",
    startsAt: new Date("2027-03-02T09:00:00Z"),
    endsAt: new Date("2027-03-02T10:00:00Z"),
    timeZone: "Europe/London",
  };
  const token = json(200, { access_token: "ya29.token", expires_in: 3599 });

  it("refreshes the access token and inserts the event under its deterministic id", async () => {
    const f = fakeFetch(token, json(200, { id: event.eventId }));
    await googleCalendar({ clientId: "cid", clientSecret: "secret", fetch: f.fetch }).upsertEvent({
      tenantId: "ten_x",
      idempotencyKey: "evt_1/calendar",
      connection,
      event,
    });
    expect(f.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "POST https://oauth2.googleapis.com/token",
      "POST https://www.googleapis.com/calendar/v3/calendars/ada%40example.com/events?sendUpdates=none",
    ]);
    expect(Object.fromEntries(new URLSearchParams(f.calls[0]!.body))).toEqual({
      client_id: "cid",
      client_secret: "secret",
      refresh_token: "1//refresh",
      grant_type: "refresh_token",
    });
    expect(f.calls[1]!.headers.get("authorization")).toBe("Bearer ya29.token");
    expect(JSON.parse(f.calls[1]!.body)).toMatchObject({
      id: "bookraabc123",
      status: "confirmed",
      start: { dateTime: "2027-03-02T09:00:00.000Z", timeZone: "Europe/London" },
      end: { dateTime: "2027-03-02T10:00:00.000Z", timeZone: "Europe/London" },
    });
  });

  it("updates the same event when the id already exists (a retry or a move), reusing the token", async () => {
    const f = fakeFetch(token, json(409, { error: { code: 409 } }), json(200, {}), json(200, {}));
    const cal = googleCalendar({ clientId: "cid", clientSecret: "secret", fetch: f.fetch });
    await cal.upsertEvent({ tenantId: "ten_x", idempotencyKey: "evt_2/calendar", connection, event });
    await cal.upsertEvent({ tenantId: "ten_x", idempotencyKey: "evt_3/calendar", connection, event });
    expect(f.calls.map((c) => c.method)).toEqual(["POST", "POST", "PUT", "POST"]);
    expect(f.calls[2]!.url).toBe(
      "https://www.googleapis.com/calendar/v3/calendars/ada%40example.com/events/bookraabc123?sendUpdates=none",
    );
  });

  it("deletes, treating an event that is already gone as done", async () => {
    const f = fakeFetch(token, () => new Response(null, { status: 410 }));
    await googleCalendar({ clientId: "cid", clientSecret: "secret", fetch: f.fetch }).deleteEvent({
      tenantId: "ten_x",
      idempotencyKey: "evt_4/calendar",
      connection,
      eventId: "bookraabc123",
    });
    expect(f.calls[1]).toMatchObject({
      method: "DELETE",
      url: "https://www.googleapis.com/calendar/v3/calendars/ada%40example.com/events/bookraabc123?sendUpdates=none",
    });
  });

  it("fails the attempt when the refresh token is refused", async () => {
    const f = fakeFetch(json(400, { error: "invalid_grant" }));
    const err = await googleCalendar({ clientId: "cid", clientSecret: "secret", fetch: f.fetch })
      .deleteEvent({ tenantId: "ten_x", idempotencyKey: "k", connection, eventId: "bookraabc123" })
      .catch((e) => e);
    expect(err).toMatchObject({ provider: "calendar", status: 400, retryable: false });
  });
});

describe("createProviders", () => {
  const credentials = {
    RESEND_API_KEY: "re_x",
    EMAIL_FROM: "Bookra <bookings@bookra.app>",
    WHATSAPP_ACCESS_TOKEN: "EAAB",
    WHATSAPP_PHONE_NUMBER_ID: "1055",
    GOOGLE_CLIENT_ID: "cid",
    GOOGLE_CLIENT_SECRET: "secret",
  };

  it("uses the real adapters outside local when credentials are set", () => {
    const p = createProviders({ BOOKRA_ENV: "production", ...credentials }, noDb);
    expect([p.email.adapter, p.whatsapp.adapter, p.calendar.adapter]).toEqual(["resend", "whatsapp-cloud", "google"]);
    expect(p.email.senderAddress).toBe("bookings@bookra.app");
  });

  it("records locally with BOOKRA_ENV=local even when credentials are set", () => {
    const p = createProviders({ BOOKRA_ENV: "local", ...credentials }, noDb);
    expect([p.email.adapter, p.whatsapp.adapter, p.calendar.adapter]).toEqual(["local", "local", "local"]);
    expect(p.email.senderAddress).toBe(LOCAL_SENDER);
  });

  it("records locally whatever lacks credentials", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const p = createProviders({ BOOKRA_ENV: "production", RESEND_API_KEY: "re_x", EMAIL_FROM: "a@b.c" }, noDb);
    expect([p.email.adapter, p.whatsapp.adapter, p.calendar.adapter]).toEqual(["resend", "local", "local"]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('"recordedOnly":["whatsapp","calendar"]'));
    warn.mockRestore();
  });
});

describe("local failure injection", () => {
  it("parses the rate and the down list", () => {
    expect(parseFailureInjection({})).toMatchObject({ failureRate: 0 });
    expect(parseFailureInjection({ LOCAL_PROVIDER_FAILURE_RATE: "0.25" }).failureRate).toBe(0.25);
    expect([...parseFailureInjection({ LOCAL_PROVIDERS_DOWN: " Email, calendar " }).down].sort()).toEqual([
      "calendar",
      "email",
    ]);
    expect([...parseFailureInjection({ LOCAL_PROVIDERS_DOWN: "all" }).down].sort()).toEqual([
      "calendar",
      "email",
      "whatsapp",
    ]);
  });

  it.each([
    { LOCAL_PROVIDER_FAILURE_RATE: "1.5" },
    { LOCAL_PROVIDER_FAILURE_RATE: "often" },
    { LOCAL_PROVIDERS_DOWN: "sms" },
  ])("refuses a malformed setting %o", (env) => {
    expect(() => parseFailureInjection(env)).toThrow();
  });

  it("throws for a provider that is down, and with the configured probability", async () => {
    const down = localProviders(noDb, { failureRate: 0, down: new Set(["whatsapp"]) });
    await expect(
      down.whatsapp.send({
        tenantId: "ten_x",
        idempotencyKey: "k",
        to: "44",
        template: { name: "t", parameters: [] },
        text: "",
      }),
    ).rejects.toThrow(/down/);
    const flaky = localProviders(noDb, { failureRate: 0.5, down: new Set(), random: () => 0.49 });
    await expect(flaky.email.send(mail)).rejects.toBeInstanceOf(ProviderError);
  });
});
