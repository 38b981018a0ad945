// GET /v1/admin/calendar: working hours per local date (overrides applied, across DST), time off, bookings and
// live holds per staff member; bounded ranges and other tenants' staff refused.
import { describe, expect, it } from "vitest";
import { useTestApp } from "../../../../test/helpers/app.ts";
import { createSalon, customer } from "../../../../test/helpers/salon.ts";
import { Calendar } from "../../schemas/calendar.ts";

const t = useTestApp();

describe("admin calendar", () => {
  it("shows each staff member's hours per local date, time off, bookings and live holds", async () => {
    t.clock.now = new Date("2027-03-01T08:00:00Z");
    const s = await createSalon(t, { staff: 2, connected: true, service: { deposit: { percent: 50 } } });
    const key = s.tenant.apiKey;
    const [ana, ben] = s.staffIds as [string, string];
    const free = await t.request("POST", "/v1/admin/services", {
      key,
      body: { name: "Trim", durationMinutes: 60, price: { amount: 2000, currency: "EUR" }, staffIds: [ana, ben] },
    });
    expect(free.status).toBe(201);
    // London moves to BST on 28 March 2027: 09:00 local is 09:00Z on the 27th and 08:00Z on the 29th.
    expect(
      (
        await t.request("PUT", `/v1/admin/staff/${ana}/overrides/2027-03-28`, {
          key,
          body: {
            intervals: [
              { start: "13:00", end: "17:00" },
              { start: "09:00", end: "12:00" },
            ],
          },
        })
      ).status,
    ).toBe(200);
    expect(
      (await t.request("PUT", `/v1/admin/staff/${ben}/overrides/2027-03-27`, { key, body: { intervals: [] } })).status,
    ).toBe(200);
    const off = await t.request("POST", `/v1/admin/staff/${ben}/time-off`, {
      key,
      body: { start: "2027-03-29T12:00:00Z", end: "2027-03-29T16:00:00Z", reason: "Dentist" },
    });
    expect(off.status).toBe(201);
    const admin = await t.request("POST", "/v1/admin/bookings", {
      key,
      body: { serviceId: free.body.id, staffId: ana, start: "2027-03-29T08:00:00Z", customer: customer("cal") },
    });
    const hold = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, staffId: ana, start: "2027-03-29T10:00:00Z", customer: customer("hold") },
    });
    expect(hold.body.booking).toMatchObject({ status: "pending_payment" });
    const gone = await t.request("POST", "/v1/admin/bookings", {
      key,
      body: { serviceId: free.body.id, staffId: ana, start: "2027-03-29T12:00:00Z", customer: customer("gone") },
    });
    expect((await t.request("POST", `/v1/admin/bookings/${gone.body.booking.id}/cancel`, { key })).status).toBe(200);
    const outside = await t.request("POST", "/v1/admin/bookings", {
      key,
      body: { serviceId: s.serviceId, staffId: ana, start: "2027-03-30T08:00:00Z", customer: customer("later") },
    });
    expect(outside.status).toBe(201);

    const res = await t.request("GET", "/v1/admin/calendar?from=2027-03-27&to=2027-03-29", { key });
    expect(res.status).toBe(200);
    const cal = Calendar.parse(res.body);
    expect(cal).toMatchObject({ timezone: "Europe/London", from: "2027-03-27", to: "2027-03-29" });
    expect(cal.staff.map((x) => x.id)).toEqual([ana, ben]);
    const [a, b] = cal.staff as [(typeof cal.staff)[0], (typeof cal.staff)[0]];
    expect(a.days).toEqual([
      { date: "2027-03-27", working: [{ start: "2027-03-27T09:00:00Z", end: "2027-03-27T17:00:00Z" }] },
      {
        date: "2027-03-28",
        working: [
          { start: "2027-03-28T08:00:00Z", end: "2027-03-28T11:00:00Z" },
          { start: "2027-03-28T12:00:00Z", end: "2027-03-28T16:00:00Z" },
        ],
      },
      { date: "2027-03-29", working: [{ start: "2027-03-29T08:00:00Z", end: "2027-03-29T16:00:00Z" }] },
    ]);
    expect(b.days[0]).toEqual({ date: "2027-03-27", working: [] });
    expect(b.timeOff).toEqual([
      {
        id: off.body.id,
        staffId: ben,
        start: "2027-03-29T12:00:00.000Z",
        end: "2027-03-29T16:00:00.000Z",
        reason: "Dentist",
      },
    ]);
    expect(a.bookings.map((x) => [x.id, x.status, x.holdExpiresAt !== null])).toEqual([
      [admin.body.booking.id, "confirmed", false],
      [hold.body.booking.id, "pending_payment", true],
    ]);
    expect(a.bookings[0]).toMatchObject({ serviceName: "Trim", customer: { name: "Customer cal" } });
    expect(b.bookings).toEqual([]);

    // A lapsed hold no longer occupies the calendar; one staff member alone.
    t.clock.now = new Date("2027-03-01T09:00:00Z");
    const later = Calendar.parse(
      (await t.request("GET", `/v1/admin/calendar?from=2027-03-29&to=2027-03-29&staffId=${ana}`, { key })).body,
    );
    expect(later.staff.map((x) => x.id)).toEqual([ana]);
    expect(later.staff[0]!.bookings.map((x) => x.id)).toEqual([admin.body.booking.id]);
  });

  it("refuses bad ranges with a 400 and other businesses' staff with a 404", async () => {
    const a = await createSalon(t);
    const b = await createSalon(t);
    const key = a.tenant.apiKey;
    expect((await t.request("GET", "/v1/admin/calendar?from=2027-03-01&to=2027-04-11", { key })).status).toBe(200); // 42 days
    for (const q of [
      "from=2027-03-01&to=2027-04-12",
      "from=2027-03-02&to=2027-03-01",
      "from=2027-02-30&to=2027-03-01",
      "from=2027-03-01",
      "from=2027-03-01T00:00:00Z&to=2027-03-02",
      `from=2027-03-01&to=2027-03-02&staffId=${"x".repeat(65)}`,
    ]) {
      const r = await t.request("GET", `/v1/admin/calendar?${q}`, { key });
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe("VALIDATION_FAILED");
    }
    for (const staffId of [b.staffIds[0], "stf_00000000000000000000", "nope"])
      expect(
        (await t.request("GET", `/v1/admin/calendar?from=2027-03-01&to=2027-03-02&staffId=${staffId}`, { key })).status,
      ).toBe(404);
    const other = Calendar.parse(
      (await t.request("GET", "/v1/admin/calendar?from=2027-03-01&to=2027-03-02", { key: b.tenant.apiKey })).body,
    );
    expect(other.staff.map((x) => x.id)).toEqual(b.staffIds);
    expect((await t.request("GET", "/v1/admin/calendar?from=2027-03-01&to=2027-03-02")).status).toBe(401);
  });
});
