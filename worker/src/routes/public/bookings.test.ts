import { beforeEach, describe, expect, it } from "vitest";
import { useTestApp } from "../../../../test/helpers/app.ts";
import { createSalon, customer } from "../../../../test/helpers/salon.ts";
import { Availability, Booking, BookingCreated } from "../../schemas/booking.ts";

const t = useTestApp();
// Monday 2027-03-01 08:00 London (UTC+0 in March before the 28th).
const NOW = new Date("2027-03-01T08:00:00Z");
beforeEach(() => {
  t.clock.now = NOW;
});

async function slots(slug: string, q: Record<string, string>) {
  const res = await t.request("GET", `/v1/public/${slug}/availability?${new URLSearchParams(q)}`);
  return res;
}

describe("availability", () => {
  it("lists slots from the working hours and hides booked time", async () => {
    const s = await createSalon(t, { staff: 2 });
    const before = await slots(s.tenant.slug, { serviceId: s.serviceId, from: "2027-03-02", to: "2027-03-02" });
    expect(before.status).toBe(200);
    const body = Availability.parse(before.body);
    expect(body.timezone).toBe("Europe/London");
    expect(body.slots[0]).toEqual({ start: "2027-03-02T09:00:00Z", end: "2027-03-02T10:00:00Z", staffIds: s.staffIds });
    expect(body.slots.at(-1)?.start).toBe("2027-03-02T16:00:00Z");
    expect(body.slots).toHaveLength(29);
    const booked = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, staffId: s.staffIds[0], start: "2027-03-02T10:00:00Z", customer: customer() },
    });
    expect(booked.status).toBe(201);
    const after = Availability.parse(
      (await slots(s.tenant.slug, { serviceId: s.serviceId, from: "2027-03-02", to: "2027-03-02" })).body,
    );
    for (const slot of after.slots) {
      const overlaps = slot.start < "2027-03-02T11:00:00Z" && slot.end > "2027-03-02T10:00:00Z";
      expect(slot.staffIds.includes(s.staffIds[0]!)).toBe(!overlaps);
    }
  });

  it("shows the same instants to a viewer in another zone under their own dates", async () => {
    const s = await createSalon(t, { timezone: "Asia/Kolkata" });
    const tenantDay = Availability.parse(
      (await slots(s.tenant.slug, { serviceId: s.serviceId, from: "2027-03-02", to: "2027-03-02" })).body,
    );
    const viewer = Availability.parse(
      (
        await slots(s.tenant.slug, {
          serviceId: s.serviceId,
          from: "2027-03-01",
          to: "2027-03-02",
          timezone: "Pacific/Pago_Pago",
        })
      ).body,
    );
    expect(viewer.timezone).toBe("Pacific/Pago_Pago");
    const viewerStarts = new Set(viewer.slots.map((x) => x.start));
    for (const slot of tenantDay.slots) expect(viewerStarts.has(slot.start)).toBe(true);
    expect(tenantDay.slots[0]?.start).toBe("2027-03-02T03:30:00Z"); // 09:00 IST
  });

  it.each([
    ["from after to", { from: "2027-03-05", to: "2027-03-01" }],
    ["more than 62 days", { from: "2027-03-01", to: "2027-05-02" }],
    ["a bad date", { from: "2027-02-30", to: "2027-03-01" }],
    ["an unknown zone", { from: "2027-03-01", to: "2027-03-01", timezone: "Moon/Base" }],
  ])("rejects %s with 400", async (_n, q) => {
    const s = await createSalon(t);
    const res = await slots(s.tenant.slug, { serviceId: s.serviceId, ...q });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("404s another tenant's service and an unknown tenant", async () => {
    const a = await createSalon(t);
    const b = await createSalon(t);
    expect((await slots(b.tenant.slug, { serviceId: a.serviceId, from: "2027-03-02", to: "2027-03-02" })).status).toBe(
      404,
    );
    expect((await slots("nobody-here", { serviceId: a.serviceId, from: "2027-03-02", to: "2027-03-02" })).status).toBe(
      404,
    );
  });
});

describe("public bookings", () => {
  it("books, reads with the manage token, reschedules and cancels, writing an outbox row for each", async () => {
    const s = await createSalon(t);
    const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: {
        serviceId: s.serviceId,
        start: "2027-03-02T09:00:00Z",
        customer: { ...customer(), phone: "+44 20 7946 0958" },
        notes: "first visit",
      },
    });
    expect(res.status).toBe(201);
    const created = BookingCreated.parse(res.body);
    expect(created.booking).toMatchObject({
      status: "confirmed",
      staffId: s.staffIds[0],
      start: "2027-03-02T09:00:00Z",
      end: "2027-03-02T10:00:00Z",
      price: { amount: 5000, currency: "EUR" },
    });
    expect(created.manageToken).toMatch(/^mt_/);
    const stored = await t.database.admin("SELECT manage_token_hash FROM bookings WHERE id = $1", [created.booking.id]);
    expect(stored[0]!.manage_token_hash).not.toBe(created.manageToken);

    const path = `/v1/public/${s.tenant.slug}/bookings/${created.booking.id}`;
    expect((await t.request("GET", path)).status).toBe(401);
    expect((await t.request("GET", path, { headers: { authorization: "Bearer mt_wrong" } })).status).toBe(404);
    const viaQuery = await t.request("GET", `${path}?token=${created.manageToken}`);
    expect(Booking.parse(viaQuery.body).id).toBe(created.booking.id);

    const moved = await t.request("POST", `${path}/reschedule`, {
      headers: { authorization: `Bearer ${created.manageToken}` },
      body: { start: "2027-03-02T13:15:00Z" },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      id: created.booking.id,
      start: "2027-03-02T13:15:00Z",
      end: "2027-03-02T14:15:00Z",
    });
    const cancelled = await t.request("POST", `${path}/cancel`, {
      headers: { authorization: `Bearer ${created.manageToken}` },
    });
    expect(cancelled.body.status).toBe("cancelled");
    const again = await t.request("POST", `${path}/cancel`, {
      headers: { authorization: `Bearer ${created.manageToken}` },
    });
    expect(again.status).toBe(200);
    const events = await t.database.admin("SELECT event_type FROM outbox WHERE aggregate_id = $1 ORDER BY created_at", [
      created.booking.id,
    ]);
    expect(events.map((e) => e.event_type)).toEqual(["booking.created", "booking.rescheduled", "booking.cancelled"]);
    // the freed time is offered again
    const free = Availability.parse(
      (await slots(s.tenant.slug, { serviceId: s.serviceId, from: "2027-03-02", to: "2027-03-02" })).body,
    );
    expect(free.slots.map((x) => x.start)).toContain("2027-03-02T13:15:00Z");
  });

  it("holds a deposit booking as pending_payment, and a lapsed hold never blocks anyone", async () => {
    const s = await createSalon(t, { connected: true, service: { deposit: { percent: 20 } } });
    const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("h") },
    });
    expect(res.status).toBe(201);
    expect(res.body.booking).toMatchObject({
      status: "pending_payment",
      deposit: { amount: 1000, currency: "EUR" },
      holdExpiresAt: "2027-03-01T08:15:00Z",
    });
    expect(res.body.checkout.url).toContain(res.body.booking.id);
    const taken = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("x") },
    });
    expect(taken.status).toBe(409);
    t.clock.now = new Date("2027-03-01T08:16:00Z");
    const open = Availability.parse(
      (await slots(s.tenant.slug, { serviceId: s.serviceId, from: "2027-03-02", to: "2027-03-02" })).body,
    );
    expect(open.slots[0]?.start).toBe("2027-03-02T09:00:00Z");
    const second = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("y") },
    });
    expect(second.status).toBe(201);
    const first = await t.database.admin("SELECT status FROM bookings WHERE id = $1", [res.body.booking.id]);
    expect(first[0]!.status).toBe("expired");
    const expired = await t.database.admin(
      "SELECT 1 FROM outbox WHERE aggregate_id = $1 AND event_type = 'booking.expired'",
      [res.body.booking.id],
    );
    expect(expired).toHaveLength(1);
  });

  it.each([
    ["outside working hours", "2027-03-02T17:00:00Z"],
    ["off the step grid", "2027-03-02T09:05:00Z"],
    ["in the past", "2027-02-28T09:00:00Z"],
    ["beyond the booking window", "2027-09-01T09:00:00Z"],
  ])("refuses a start %s with 409 and stores nothing", async (_n, start) => {
    const s = await createSalon(t);
    const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start, customer: customer() },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("SLOT_UNAVAILABLE");
    expect(await t.database.admin("SELECT 1 FROM bookings WHERE tenant_id = $1", [s.tenant.id])).toHaveLength(0);
    expect(await t.database.admin("SELECT 1 FROM customers WHERE tenant_id = $1", [s.tenant.id])).toHaveLength(0);
  });

  it.each([
    ["malformed JSON", { raw: "{" }],
    ["a local time without Z", { body: { serviceId: "svc_x", start: "2027-03-02T09:00:00", customer: customer() } }],
    [
      "a bad e-mail",
      { body: { serviceId: "svc_x", start: "2027-03-02T09:00:00Z", customer: { name: "A", email: "nope" } } },
    ],
    ["a missing customer", { body: { serviceId: "svc_x", start: "2027-03-02T09:00:00Z" } }],
    [
      "an unknown field",
      { body: { serviceId: "svc_x", start: "2027-03-02T09:00:00Z", customer: customer(), price: 0 } },
    ],
  ])("rejects %s with 400", async (_n, opts) => {
    const s = await createSalon(t);
    const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, opts);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("replays the same Idempotency-Key and body, and refuses the key with another body", async () => {
    const s = await createSalon(t);
    const body = { serviceId: s.serviceId, start: "2027-03-02T11:00:00Z", customer: customer("idem") };
    const headers = { "idempotency-key": crypto.randomUUID() };
    const first = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, { body, headers });
    const replay = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, { body, headers });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    const other = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { ...body, start: "2027-03-02T12:00:00Z" },
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await t.database.admin("SELECT 1 FROM bookings WHERE tenant_id = $1", [s.tenant.id])).toHaveLength(1);
  });

  it.each([
    ["the README's old example", "my-first-booking"],
    ["a short order number", "order-42"],
    ["21 characters", "a".repeat(21)],
    ["a space", `${"a".repeat(22)} b`],
    ["a dot", `${"a".repeat(22)}.b`],
    ["256 characters", "a".repeat(256)],
    ["an empty key", ""],
  ])(
    "refuses a guessable or malformed public Idempotency-Key (%s) with 400, on create and reschedule",
    async (_n, key) => {
      const s = await createSalon(t);
      const headers = { "idempotency-key": key };
      const body = { serviceId: s.serviceId, start: "2027-03-02T11:00:00Z", customer: customer("guess") };
      const create = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, { body, headers });
      expect([create.status, create.body.error.code, create.body.error.issues?.[0]?.path]).toEqual([
        400,
        "VALIDATION_FAILED",
        ["idempotency-key"],
      ]);
      const booked = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, { body });
      const { booking, manageToken } = booked.body;
      const move = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${booking.id}/reschedule`, {
        body: { start: "2027-03-02T13:00:00Z" },
        headers: { ...headers, authorization: `Bearer ${manageToken}` },
      });
      expect([move.status, move.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
      expect(await t.database.admin("SELECT starts_at FROM bookings WHERE tenant_id = $1", [s.tenant.id])).toEqual([
        { starts_at: new Date("2027-03-02T11:00:00Z") },
      ]);
      expect(await t.database.admin("SELECT 1 FROM idempotency_keys WHERE tenant_id = $1", [s.tenant.id])).toEqual([]);
    },
  );

  it("accepts a UUID and 22 characters of base64url as public Idempotency-Keys", async () => {
    const s = await createSalon(t);
    for (const [i, key] of [crypto.randomUUID(), "aZ09_-aZ09_-aZ09_-aZ09", "A".repeat(255)].entries()) {
      const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
        body: { serviceId: s.serviceId, start: `2027-03-02T1${i}:00:00Z`, customer: customer(`ok${i}`) },
        headers: { "idempotency-key": key },
      });
      expect(res.status).toBe(201);
    }
  });

  it("checks the manage token before a reschedule replay: a wrong token gets 404, not the booking", async () => {
    const s = await createSalon(t);
    const mine = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("mine") },
    });
    const other = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start: "2027-03-02T15:00:00Z", customer: customer("other") },
    });
    const id = mine.body.booking.id as string;
    const move = (token: string | null) =>
      t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${id}/reschedule`, {
        body: { start: "2027-03-02T11:00:00Z" },
        headers: {
          "idempotency-key": "move-0123456789abcdefghijk",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      });
    const first = await move(mine.body.manageToken);
    expect(first.status).toBe(200);
    const wrong = await move(other.body.manageToken);
    expect([wrong.status, wrong.body.error?.code]).toEqual([404, "NOT_FOUND"]);
    expect(JSON.stringify(wrong.body)).not.toContain(id);
    expect((await move("mt_guessed")).status).toBe(404);
    expect((await move(null)).status).toBe(401);
    const replay = await move(mine.body.manageToken);
    expect([replay.status, replay.body]).toEqual([200, first.body]);

    // Cancel: a retried cancel answers with the booking, but only to its token holder.
    const cancel = (token: string) =>
      t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${id}/cancel`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await cancel(other.body.manageToken)).status).toBe(404);
    expect((await cancel(mine.body.manageToken)).status).toBe(200);
    const again = await cancel(other.body.manageToken);
    expect([again.status, JSON.stringify(again.body).includes(id)]).toEqual([404, false]);
    expect((await cancel(mine.body.manageToken)).body.status).toBe("cancelled");
  });

  it("never lets one tenant's token, slug or ids reach another's booking", async () => {
    const a = await createSalon(t);
    const b = await createSalon(t);
    const res = await t.request("POST", `/v1/public/${a.tenant.slug}/bookings`, {
      body: { serviceId: a.serviceId, start: "2027-03-02T09:00:00Z", customer: customer() },
    });
    const { booking, manageToken } = res.body;
    const auth = { authorization: `Bearer ${manageToken}` };
    expect(
      (await t.request("GET", `/v1/public/${b.tenant.slug}/bookings/${booking.id}`, { headers: auth })).status,
    ).toBe(404);
    expect(
      (await t.request("POST", `/v1/public/${b.tenant.slug}/bookings/${booking.id}/cancel`, { headers: auth })).status,
    ).toBe(404);
    const cross = await t.request("POST", `/v1/public/${b.tenant.slug}/bookings`, {
      body: { serviceId: a.serviceId, start: "2027-03-02T09:00:00Z", customer: customer() },
    });
    expect(cross.status).toBe(404);
    expect((await t.database.admin("SELECT status FROM bookings WHERE id = $1", [booking.id]))[0]!.status).toBe(
      "confirmed",
    );
  });
});
