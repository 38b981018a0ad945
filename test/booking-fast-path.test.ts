// The one-round-trip booking (migrations/0009 book(), services/bookings/schedule-cache.ts) against the real database:
// it is taken when the isolate knows the schedule, it decides exactly as the long way does, and any change to what the
// engine reads sends the next booking back to fresh data.
import { beforeEach, describe, expect, it } from "vitest";
import { scheduleCacheStats } from "../worker/src/services/bookings/schedule-cache.ts";
import { type TestApp, useTestApp } from "./helpers/app.ts";
import { createSalon, customer, type Salon } from "./helpers/salon.ts";
import { sqlTraffic } from "./helpers/sql-traffic.ts";

const t = useTestApp();
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z"); // a Monday; London is on UTC until 28 March
});

const book = (s: Salon, start: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
    body: {
      serviceId: s.serviceId,
      staffId: s.staffIds[0],
      start,
      customer: customer(start.replace(/\W/g, "")),
      ...extra,
    },
    ...(headers && { headers }),
  });

/** The SQL each pooled connection was sent while `fn` ran: one entry per round trip. */
/** The public routes' own slug look-up (a booking by slug on a known schedule makes none: its scope resolves it). */
const isSlugLookup = (q: string) => q.startsWith("SELECT tenant_id_for_slug(");

async function sentWhile<T>(app: TestApp, fn: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
  return sqlTraffic(app.database.db, fn);
}

const stats = () => ({ ...scheduleCacheStats });

describe("booking in one round trip on a known schedule", () => {
  it("is one statement after the first booking of a staff member, and stores what the long way stores", async () => {
    const s = await createSalon(t);
    const first = await sentWhile(t, () =>
      book(s, "2027-03-02T09:00:00Z", {}, { "idempotency-key": "k-first-3f9a1c7e5b2d4a6c8e" }),
    );
    expect(first.result.status).toBe(201);
    expect(first.sent.filter((q) => !isSlugLookup(q))).toHaveLength(2);

    const before = stats();
    const second = await sentWhile(t, () =>
      book(s, "2027-03-02T11:00:00Z", {}, { "idempotency-key": "k-second-3f9a1c7e5b2d4a6c8e" }),
    );
    expect(second.result.status).toBe(201);
    const bookingTrips = second.sent.filter((q) => !isSlugLookup(q));
    expect(bookingTrips).toHaveLength(1);
    expect(bookingTrips[0]).toMatch(/^BEGIN;.*SELECT book\(.*; COMMIT$/s);
    // The whole request is that one round trip: the slug is resolved inside it, not looked up first.
    expect(second.sent).toEqual(bookingTrips);
    expect(bookingTrips[0]).toContain(`tenant_id_for_slug('${s.tenant.slug}')`);
    expect(scheduleCacheStats.hits - before.hits).toBe(1);
    expect(scheduleCacheStats.stale - before.stale).toBe(0);

    // Both rows look alike apart from their times, ids and customers.
    const rows = await t.database.admin(
      `SELECT b.id, b.status, b.staff_id, b.starts_at, b.ends_at, b.blocked_from, b.blocked_until, b.price_amount,
              b.currency, b.source, c.email, k.response_status, k.response_body->'booking'->>'id' AS stored_id,
              o.event_type, o.payload
       FROM bookings b JOIN customers c ON c.id = b.customer_id
       JOIN idempotency_keys k ON k.tenant_id = b.tenant_id AND k.response_body->'booking'->>'id' = b.id
       JOIN outbox o ON o.aggregate_id = b.id
       WHERE b.tenant_id = $1 ORDER BY b.starts_at`,
      [s.tenant.id],
    );
    expect(rows).toHaveLength(2);
    const [a, b] = [rows[0]!, rows[1]!];
    for (const [row, res] of [
      [a, first.result],
      [b, second.result],
    ] as const) {
      expect(row.id).toBe(res.body.booking.id);
      expect(row).toMatchObject({
        status: "confirmed",
        staff_id: s.staffIds[0],
        price_amount: "5000",
        currency: "EUR",
        source: "public",
        response_status: 201,
        stored_id: row.id,
        event_type: "booking.created",
      });
      expect(row.ends_at.getTime() - row.starts_at.getTime()).toBe(3_600_000);
      expect(row.blocked_from).toEqual(row.starts_at);
      expect(row.payload).toMatchObject({ bookingId: row.id, status: "confirmed", staffId: s.staffIds[0] });
    }
    expect(b.email).toBe(customer("20270302T110000Z").email.toLowerCase()); // stored lower-cased

    // The manage token of the fast booking works, and a replay of its key returns the same booking.
    const own = await t.request(
      "GET",
      `/v1/public/${s.tenant.slug}/bookings/${second.result.body.booking.id}?token=${second.result.body.manageToken}`,
    );
    expect(own.status).toBe(200);
    const replay = await book(s, "2027-03-02T11:00:00Z", {}, { "idempotency-key": "k-second-3f9a1c7e5b2d4a6c8e" });
    expect(replay.status).toBe(201);
    expect(replay.body.booking.id).toBe(second.result.body.booking.id);
    expect(replay.body.manageToken).toBe(second.result.body.manageToken);
    const reused = await book(s, "2027-03-02T13:00:00Z", {}, { "idempotency-key": "k-second-3f9a1c7e5b2d4a6c8e" });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("still refuses a taken time: the exclusion constraint decides (409)", async () => {
    const s = await createSalon(t, { service: { bufferAfterMinutes: 15 } });
    expect((await book(s, "2027-03-02T09:00:00Z")).status).toBe(201);
    const before = stats();
    const clash = await book(s, "2027-03-02T10:00:00Z"); // inside the first one's buffer
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe("SLOT_UNAVAILABLE");
    expect(scheduleCacheStats.hits - before.hits).toBe(1);
    expect((await book(s, "2027-03-02T10:15:00Z")).status).toBe(201);
  });

  it("expires a lapsed hold in the way in the same statement, with its booking.expired row", async () => {
    const s = await createSalon(t, { connected: true, service: { deposit: { percent: 20 } } });
    const held = await book(s, "2027-03-02T09:00:00Z");
    expect(held.body.booking.status).toBe("pending_payment");
    const other = await book(s, "2027-03-02T12:00:00Z"); // a live hold elsewhere stays as it is
    t.clock.now = new Date(Date.parse(held.body.booking.holdExpiresAt) + 1_000);
    const before = stats();
    const { result, sent } = await sentWhile(t, () => book(s, "2027-03-02T09:00:00Z", { customer: customer("late") }));
    expect(result.status).toBe(201);
    expect(sent.filter((q) => !isSlugLookup(q))).toHaveLength(1);
    expect(scheduleCacheStats.hits - before.hits).toBe(1);
    const rows = await t.database.admin<{ id: string; status: string }>(
      "SELECT id, status FROM bookings WHERE tenant_id = $1",
      [s.tenant.id],
    );
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(status[held.body.booking.id]).toBe("expired");
    expect(status[result.body.booking.id]).toBe("pending_payment");
    expect(status[other.body.booking.id]).toBe("pending_payment");
    const expired = await t.database.admin(
      "SELECT payload FROM outbox WHERE event_type = 'booking.expired' AND aggregate_id = $1",
      [held.body.booking.id],
    );
    expect(expired).toEqual([
      { payload: expect.objectContaining({ bookingId: held.body.booking.id, staffId: s.staffIds[0] }) },
    ]);
  });

  it("gives concurrent requests for one slot exactly one 201 and 409s (50 at once, schedule known)", async () => {
    const s = await createSalon(t);
    expect((await book(s, "2027-03-02T09:00:00Z")).status).toBe(201);
    const before = stats();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => book(s, "2027-03-02T14:00:00Z", { customer: customer(`race${i}`) })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(49);
    expect(scheduleCacheStats.hits - before.hits).toBe(50);
    const n = await t.database.admin(
      "SELECT 1 FROM bookings WHERE tenant_id = $1 AND starts_at = '2027-03-02T14:00Z'",
      [s.tenant.id],
    );
    expect(n).toHaveLength(1);
  });

  it("gives overlapping concurrent starts winners that never overlap (schedule known)", async () => {
    const s = await createSalon(t, { service: { bufferBeforeMinutes: 5, bufferAfterMinutes: 10 } });
    expect((await book(s, "2027-03-03T09:00:00Z")).status).toBe(201);
    const starts = Array.from({ length: 24 }, (_, i) => new Date(Date.parse("2027-03-02T09:00:00Z") + i * 15 * 60_000));
    const results = await Promise.all(
      [...starts, ...starts].map((d, i) =>
        book(s, d.toISOString().replace(".000", ""), { customer: customer(`ov${i}`) }),
      ),
    );
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const rows = await t.database.admin<{ blocked_from: Date; blocked_until: Date }>(
      "SELECT blocked_from, blocked_until FROM bookings WHERE tenant_id = $1 AND starts_at < '2027-03-03' ORDER BY blocked_from",
      [s.tenant.id],
    );
    expect(rows.length).toBe(results.filter((r) => r.status === 201).length);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < rows.length; i++)
      expect(rows[i]!.blocked_from.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.blocked_until.getTime());
  });

  it("books once for the same Idempotency-Key sent 10 times at once (schedule known)", async () => {
    const s = await createSalon(t);
    expect((await book(s, "2027-03-02T09:00:00Z")).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        book(s, "2027-03-02T15:00:00Z", {}, { "idempotency-key": "same-key-3f9a1c7e5b2d4a6c8e" }),
      ),
    );
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map((r) => r.body.booking.id)).size).toBe(1);
    const n = await t.database.admin("SELECT 1 FROM bookings WHERE tenant_id = $1", [s.tenant.id]);
    expect(n).toHaveLength(2);
  });
});

/** Each change to what the engine reads, made after the schedule is known, and what the next booking must get. */
const changes: {
  name: string;
  change: (s: Salon) => Promise<{ status: number }>;
  start: string;
  expect: (res: { status: number; body: any }) => void;
}[] = [
  {
    name: "weekly hours shortened",
    change: (s) =>
      t.request("PATCH", `/v1/admin/staff/${s.staffIds[0]}`, {
        key: s.tenant.apiKey,
        body: { weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "09:00", end: "12:00" })) },
      }),
    start: "2027-03-02T14:00:00Z",
    expect: (res) => expect(res.status).toBe(409),
  },
  {
    name: "time off added",
    change: (s) =>
      t.request("POST", `/v1/admin/staff/${s.staffIds[0]}/time-off`, {
        key: s.tenant.apiKey,
        body: { start: "2027-03-02T13:00:00Z", end: "2027-03-02T15:00:00Z" },
      }),
    start: "2027-03-02T13:30:00Z",
    expect: (res) => expect(res.status).toBe(409),
  },
  {
    name: "a day off by override",
    change: (s) =>
      t.request("PUT", `/v1/admin/staff/${s.staffIds[0]}/overrides/2027-03-02`, {
        key: s.tenant.apiKey,
        body: { intervals: [] },
      }),
    start: "2027-03-02T14:00:00Z",
    expect: (res) => expect(res.status).toBe(409),
  },
  {
    name: "the staff member no longer performs the service",
    change: (s) =>
      t.request("PATCH", `/v1/admin/services/${s.serviceId}`, { key: s.tenant.apiKey, body: { staffIds: [] } }),
    start: "2027-03-02T14:00:00Z",
    expect: (res) => expect(res.status).toBe(409),
  },
  {
    name: "the service made longer",
    change: (s) =>
      t.request("PATCH", `/v1/admin/services/${s.serviceId}`, { key: s.tenant.apiKey, body: { durationMinutes: 90 } }),
    start: "2027-03-02T14:00:00Z",
    expect: (res) => {
      expect(res.status).toBe(201);
      expect(res.body.booking.end).toBe("2027-03-02T15:30:00Z");
    },
  },
  {
    name: "a deposit asked for",
    change: (s) =>
      t.request("PATCH", `/v1/admin/services/${s.serviceId}`, {
        key: s.tenant.apiKey,
        body: { deposit: { percent: 50 } },
      }),
    start: "2027-03-02T14:00:00Z",
    expect: (res) => {
      expect(res.status).toBe(201);
      expect(res.body.booking.status).toBe("pending_payment");
      expect(res.body.booking.deposit).toMatchObject({ amount: 2500 });
    },
  },
  {
    name: "the business moved to another zone",
    change: (s) =>
      t.request("PATCH", "/v1/admin/tenant", { key: s.tenant.apiKey, body: { timezone: "America/New_York" } }),
    // 14:00 UTC is 09:00 in New York: offered now, and 09:00 UTC (04:00 there) no longer is.
    start: "2027-03-02T09:00:00Z",
    expect: (res) => expect(res.status).toBe(409),
  },
  {
    name: "weekly hours extended (the cached rules refuse, fresh data allows)",
    change: (s) =>
      t.request("PATCH", `/v1/admin/staff/${s.staffIds[0]}`, {
        key: s.tenant.apiKey,
        body: { weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "09:00", end: "20:00" })) },
      }),
    start: "2027-03-02T18:00:00Z",
    expect: (res) => expect(res.status).toBe(201),
  },
];

describe("a schedule change under a known schedule", () => {
  it.each(changes)("is seen by the next booking: $name", async ({ change, start, expect: check }) => {
    // Connected to Stripe, so that a deposit asked for can be booked online.
    const s = await createSalon(t, { connected: true });
    expect((await book(s, "2027-03-02T10:00:00Z")).status).toBe(201); // the schedule is now known here
    const changed = await change(s);
    expect(changed.status).toBeLessThan(300);
    check(await book(s, start));
  });

  it("sends a booking the long way exactly once after a change, then the short way again", async () => {
    const s = await createSalon(t);
    expect((await book(s, "2027-03-02T10:00:00Z")).status).toBe(201);
    const off = await t.request("POST", `/v1/admin/staff/${s.staffIds[0]}/time-off`, {
      key: s.tenant.apiKey,
      body: { start: "2027-03-05T09:00:00Z", end: "2027-03-05T17:00:00Z" },
    });
    expect(off.status).toBe(201);
    const before = stats();
    const stale = await sentWhile(t, () => book(s, "2027-03-02T12:00:00Z"));
    expect(stale.result.status).toBe(201);
    expect(scheduleCacheStats.stale - before.stale).toBe(1);
    // The short statement that found the schedule changed, then the long way's two round trips.
    expect(stale.sent.filter((q) => !isSlugLookup(q))).toHaveLength(3);
    const again = await sentWhile(t, () => book(s, "2027-03-02T14:00:00Z"));
    expect(again.result.status).toBe(201);
    expect(again.sent.filter((q) => !isSlugLookup(q))).toHaveLength(1);
    expect(scheduleCacheStats.stale - before.stale).toBe(1);
  });
});

describe("a start the known schedule refuses", () => {
  it("is decided on fresh data, which then becomes the known schedule", async () => {
    const s = await createSalon(t);
    expect((await book(s, "2027-03-02T10:00:00Z")).status).toBe(201);
    const longer = await t.request("PATCH", `/v1/admin/staff/${s.staffIds[0]}`, {
      key: s.tenant.apiKey,
      body: { weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "09:00", end: "21:00" })) },
    });
    expect(longer.status).toBe(200);
    const evening = await sentWhile(t, () => book(s, "2027-03-02T18:00:00Z"));
    expect(evening.result.status).toBe(201);
    expect(evening.sent.filter((q) => !isSlugLookup(q))).toHaveLength(2);
    const later = await sentWhile(t, () => book(s, "2027-03-02T19:00:00Z"));
    expect(later.result.status).toBe(201);
    expect(later.sent.filter((q) => !isSlugLookup(q))).toHaveLength(1);
    const offGrid = await book(s, "2027-03-02T20:05:00Z"); // refused by the engine on fresh data too
    expect(offGrid.status).toBe(409);
  });
});

describe("the schedule version", () => {
  const version = async (s: Salon) =>
    (
      await t.database.admin<{ v: string }>("SELECT schedule_version::text AS v FROM tenants WHERE id = $1", [
        s.tenant.id,
      ])
    )[0]!.v;

  it("is renewed by every change the engine reads and by none of the bookings", async () => {
    const s = await createSalon(t, { staff: 2 });
    const key = s.tenant.apiKey;
    const steps: [string, () => Promise<{ status: number; body: any }>][] = [
      [
        "new service",
        () =>
          t.request("POST", "/v1/admin/services", {
            key,
            body: { name: "Colour", durationMinutes: 30, price: { amount: 100, currency: "EUR" }, staffIds: [] },
          }),
      ],
      [
        "service edited",
        () => t.request("PATCH", `/v1/admin/services/${s.serviceId}`, { key, body: { bufferAfterMinutes: 5 } }),
      ],
      [
        "new staff member",
        () => t.request("POST", "/v1/admin/staff", { key, body: { name: "New", serviceIds: [s.serviceId] } }),
      ],
      [
        "hours edited",
        () =>
          t.request("PATCH", `/v1/admin/staff/${s.staffIds[0]}`, {
            key,
            body: { weeklyHours: [{ weekday: 2, start: "10:00", end: "16:00" }] },
          }),
      ],
      [
        "services of a staff member",
        () => t.request("PATCH", `/v1/admin/staff/${s.staffIds[1]}`, { key, body: { serviceIds: [] } }),
      ],
      [
        "time off",
        () =>
          t.request("POST", `/v1/admin/staff/${s.staffIds[0]}/time-off`, {
            key,
            body: { start: "2027-04-01T00:00:00Z", end: "2027-04-02T00:00:00Z" },
          }),
      ],
      [
        "override",
        () =>
          t.request("PUT", `/v1/admin/staff/${s.staffIds[0]}/overrides/2027-04-05`, {
            key,
            body: { intervals: [{ start: "12:00", end: "13:00" }] },
          }),
      ],
      ["override removed", () => t.request("DELETE", `/v1/admin/staff/${s.staffIds[0]}/overrides/2027-04-05`, { key })],
      [
        "tenant policies",
        () => t.request("PATCH", "/v1/admin/tenant", { key, body: { policies: { holdMinutes: 20 } } }),
      ],
      ["staff member removed", () => t.request("DELETE", `/v1/admin/staff/${s.staffIds[1]}`, { key })],
    ];
    for (const [name, step] of steps) {
      const v0 = await version(s);
      const res = await step();
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      expect(await version(s), name).not.toBe(v0);
    }

    const v0 = await version(s);
    const created = await book(s, "2027-03-02T10:00:00Z");
    expect(created.status).toBe(201);
    const cancelled = await t.request(
      "POST",
      `/v1/public/${s.tenant.slug}/bookings/${created.body.booking.id}/cancel?token=${created.body.manageToken}`,
      { body: {} },
    );
    expect(cancelled.status).toBe(200);
    expect(await version(s)).toBe(v0);
  });

  it("is kept by a branding or name edit of the tenant, and renewed by an hours edit after it", async () => {
    const s = await createSalon(t);
    const key = s.tenant.apiKey;
    const v0 = await version(s);
    const branded = await t.request("PATCH", "/v1/admin/tenant", {
      key,
      body: { branding: { primaryColor: "#123456" }, name: "Renamed salon" },
    });
    expect(branded.status, JSON.stringify(branded.body)).toBe(200);
    expect(await version(s)).toBe(v0);
    const hours = await t.request("PATCH", `/v1/admin/staff/${s.staffIds[0]}`, {
      key,
      body: { weeklyHours: [{ weekday: 3, start: "09:00", end: "12:00" }] },
    });
    expect(hours.status, JSON.stringify(hours.body)).toBe(200);
    expect(await version(s)).not.toBe(v0);
  });

  it("is another tenant's business: a change renews only the changed tenant's version", async () => {
    const a = await createSalon(t);
    const b = await createSalon(t);
    const [va, vb] = [await version(a), await version(b)];
    expect(
      (
        await t.request("PATCH", `/v1/admin/services/${a.serviceId}`, {
          key: a.tenant.apiKey,
          body: { durationMinutes: 45 },
        })
      ).status,
    ).toBe(200);
    expect(await version(a)).not.toBe(va);
    expect(await version(b)).toBe(vb);
  });
});

describe("the longest bookings", () => {
  it("block availability and booking on the far side of their 48 hours (the index bound is exact)", async () => {
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
    const s = await createSalon(t, {
      hours: allDay,
      service: { durationMinutes: 1440, bufferBeforeMinutes: 720, bufferAfterMinutes: 720, slotStepMinutes: 60 },
    });
    const short = await t.request("POST", "/v1/admin/services", {
      key: s.tenant.apiKey,
      body: {
        name: "Trim",
        durationMinutes: 60,
        price: { amount: 100, currency: "EUR" },
        slotStepMinutes: 60,
        staffIds: s.staffIds,
      },
    });
    expect(short.status).toBe(201);
    const long = await book(s, "2027-03-03T00:00:00Z"); // blocks 03-02 12:00 .. 03-04 12:00
    expect(long.status).toBe(201);
    const day = await t.request(
      "GET",
      `/v1/public/${s.tenant.slug}/availability?serviceId=${short.body.id}&from=2027-03-04&to=2027-03-04&timezone=UTC`,
    );
    expect(day.status).toBe(200);
    const starts = day.body.slots.map((slot: { start: string }) => slot.start);
    expect(starts[0]).toBe("2027-03-04T12:00:00Z");
    expect(starts).not.toContain("2027-03-04T11:00:00Z");
    const inside = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: {
        serviceId: short.body.id,
        staffId: s.staffIds[0],
        start: "2027-03-04T11:00:00Z",
        customer: customer("x"),
      },
    });
    expect(inside.status).toBe(409);
  });
});

describe('"any staff"', () => {
  it("books the least booked free person, in one round trip once the schedule is known; a replay names the same", async () => {
    const s = await createSalon(t, { staff: 3 });
    const anyone = (start: string, key: string, n: string) =>
      t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
        body: { serviceId: s.serviceId, start, customer: customer(n) },
        headers: { "idempotency-key": key },
      });
    // Stylist 1 is busy at 10:00 and already has a booking that day; 2 and 3 have none: 2 comes first in the catalogue.
    expect((await book(s, "2027-03-02T10:00:00Z")).status).toBe(201);
    const first = await sentWhile(t, () => anyone("2027-03-02T10:00:00Z", "any-1-3f9a1c7e5b2d4a6c8e0f", "any1"));
    expect(first.result.status).toBe(201);
    expect(first.result.body.booking.staffId).toBe(s.staffIds[1]);
    expect(first.sent.filter((q) => !isSlugLookup(q))).toHaveLength(2);
    // Now the schedule of all three is known: one round trip, and the database applies the fair rule.
    const { result: second, sent } = await sentWhile(t, () =>
      anyone("2027-03-02T10:00:00Z", "any-2-3f9a1c7e5b2d4a6c8e0f", "any2"),
    );
    expect(second.body.booking.staffId).toBe(s.staffIds[2]);
    expect(sent.filter((q) => !isSlugLookup(q))).toHaveLength(1);
    const replay = await anyone("2027-03-02T10:00:00Z", "any-2-3f9a1c7e5b2d4a6c8e0f", "any2");
    expect(replay.status).toBe(201);
    expect(replay.body.booking).toEqual(second.body.booking);
    const full = await anyone("2027-03-02T10:00:00Z", "any-3-3f9a1c7e5b2d4a6c8e0f", "any3");
    expect(full.status).toBe(409);
  });

  it("falls through to the next person when the first choice is taken meanwhile, in the database", async () => {
    // Equally booked, so every request tries Stylist 1 first; the losers of that race must land on Stylist 2.
    const s = await createSalon(t, { staff: 2 });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
          body: { serviceId: s.serviceId, start: "2027-03-02T11:00:00Z", customer: customer(`fall${i}`) },
        }),
      ),
    );
    expect(
      results
        .filter((r) => r.status === 201)
        .map((r) => r.body.booking.staffId)
        .sort(),
    ).toEqual([...s.staffIds].sort());
    expect(results.filter((r) => r.status === 409)).toHaveLength(4);
  });

  it("gives 30 concurrent requests on 3 staff exactly 3 bookings on 3 people (schedule known)", async () => {
    const s = await createSalon(t, { staff: 3 });
    const anyone = (start: string, n: string) =>
      t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
        body: { serviceId: s.serviceId, start, customer: customer(n) },
      });
    expect((await anyone("2027-03-03T09:00:00Z", "warm")).status).toBe(201);
    const before = stats();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => anyone("2027-03-02T15:00:00Z", `c${i}`)));
    expect(scheduleCacheStats.hits - before.hits).toBe(30);
    const won = results.filter((r) => r.status === 201);
    expect(won.map((r) => r.body.booking.staffId).sort()).toEqual([...s.staffIds].sort());
    expect(results.filter((r) => r.status === 409)).toHaveLength(27);
  });

  it("counts the day's bookings in the tenant's zone, lapsed holds not included", async () => {
    // Kolkata is UTC+05:30: 2027-03-02 there runs from 03-01 18:30 to 03-02 18:30 UTC.
    t.clock.now = new Date("2027-02-27T00:00:00Z");
    const s = await createSalon(t, {
      staff: 2,
      timezone: "Asia/Kolkata",
      connected: true,
      service: { deposit: { percent: 10 } },
    });
    const at = (staff: number, start: string) =>
      t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
        body: {
          serviceId: s.serviceId,
          staffId: s.staffIds[staff],
          start,
          customer: customer(start.replace(/\W/g, "")),
        },
      });
    const anyone = (start: string) =>
      t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
        body: { serviceId: s.serviceId, start, customer: customer(`any${start.replace(/\W/g, "")}`) },
      });
    expect((await at(0, "2027-03-02T04:30:00Z")).status).toBe(201); // 10:00 local, the same local day: counts
    expect((await at(1, "2027-03-01T04:30:00Z")).status).toBe(201); // the day before: does not count
    expect((await anyone("2027-03-02T06:30:00Z")).body.booking.staffId).toBe(s.staffIds[1]);
    // Stylist 2 now has one that day too; a hold of Stylist 1's that lapses stops counting, so 1 is less booked again.
    const held = await at(0, "2027-03-02T08:30:00Z");
    t.clock.now = new Date(Date.parse(held.body.booking.holdExpiresAt) + 1_000);
    expect((await anyone("2027-03-02T10:30:00Z")).body.booking.staffId).toBe(s.staffIds[0]);
  });
});

describe("a slug the isolate knows that names another business now", () => {
  it("books nothing for the old business: book() finds another tenant's version, and the slug is looked up afresh", async () => {
    const a = await createSalon(t);
    expect((await book(a, "2027-03-02T09:00:00Z")).status).toBe(201); // the schedule and slug are now known here
    const bookingsOfA = async () =>
      (await t.database.admin("SELECT count(*)::int AS n FROM bookings WHERE tenant_id = $1", [a.tenant.id]))[0]!.n;
    const before = await bookingsOfA();
    const oldSlug = a.tenant.slug;
    await t.database.admin("UPDATE tenants SET slug = $1 WHERE id = $2", [`${oldSlug}-moved`, a.tenant.id]);

    // No business has the slug: 404, and nothing written for the business that had it.
    const gone = await sentWhile(t, () => book(a, "2027-03-02T11:00:00Z"));
    expect(gone.result.status).toBe(404);
    expect(gone.result.body.error.code).toBe("NOT_FOUND");
    expect(gone.sent[0]).toContain(`tenant_id_for_slug('${oldSlug}')`); // tried by slug first: book() answered stale
    expect(await bookingsOfA()).toBe(before);

    // Another business takes the slug: a booking of the old one's service through it is refused, nothing written.
    const b = await createSalon(t);
    await t.database.admin("UPDATE tenants SET slug = $1 WHERE id = $2", [oldSlug, b.tenant.id]);
    const taken = await book({ ...a, tenant: { ...a.tenant, slug: oldSlug } }, "2027-03-02T13:00:00Z");
    expect(taken.status).toBe(404);
    expect(await bookingsOfA()).toBe(before);
    // And the new owner's own service books through it.
    const own = await book({ ...b, tenant: { ...b.tenant, slug: oldSlug } }, "2027-03-02T13:00:00Z");
    expect(own.status).toBe(201);
  });
});
