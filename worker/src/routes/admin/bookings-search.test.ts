// GET /v1/admin/bookings for the dashboard: search by customer, several statuses, dates in the business's zone,
// service and staff names in each row, and the cursor staying correct under every filter.
import { describe, expect, it } from "vitest";
import { useTestApp } from "../../../../test/helpers/app.ts";
import { createSalon } from "../../../../test/helpers/salon.ts";
import { BookingList } from "../../schemas/booking.ts";

const t = useTestApp();

async function book(key: string, serviceId: string, start: string, customer: Record<string, string>) {
  const r = await t.request("POST", "/v1/admin/bookings", { key, body: { serviceId, start, customer } });
  expect(r.status).toBe(201);
  return r.body.booking.id as string;
}

async function listAll(key: string, query: string, limit = 1): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const r = await t.request("GET", `/v1/admin/bookings?limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ""}`, {
      key,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const page = BookingList.parse(r.body);
    seen.push(...page.data.map((b) => b.id));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe("admin bookings: search and filters", () => {
  it("finds bookings by a part of the customer's name, e-mail or phone, case-insensitively, page by page", async () => {
    const s = await createSalon(t);
    const key = s.tenant.apiKey;
    const ana = { name: "Ana Müller", email: "ana.m@example.com", phone: "+44 20 7946 0958" };
    const bo = { name: "Bo Fern", email: "bo@fern.example", phone: "+1 (555) 010-2000" };
    const a1 = await book(key, s.serviceId, "2027-03-02T09:00:00Z", ana);
    const b1 = await book(key, s.serviceId, "2027-03-02T11:00:00Z", bo);
    const a2 = await book(key, s.serviceId, "2027-03-03T09:00:00Z", ana);
    expect(await listAll(key, "q=ana%20M")).toEqual([a1, a2]);
    expect(await listAll(key, "q=%20%20FERN.EX%20")).toEqual([b1]); // trimmed, any case, the e-mail
    expect(await listAll(key, "q=7946%200958")).toEqual([a1, a2]);
    expect(await listAll(key, "q=5550102")).toEqual([b1]); // the phone's digits alone
    expect(await listAll(key, "q=%25")).toEqual([]); // % is a character, not a wildcard
    expect(await listAll(key, "q=_")).toEqual([]);
    const rows = BookingList.parse((await t.request("GET", "/v1/admin/bookings?q=bo", { key })).body).data;
    expect(rows).toMatchObject([{ id: b1, serviceName: "Cut", staffName: "Stylist 1", customer: { phone: bo.phone } }]);
    expect((await t.request("GET", `/v1/admin/bookings?q=${"x".repeat(101)}`, { key })).status).toBe(400);
  });

  it("filters by several statuses, comma-separated or repeated, with staff and service", async () => {
    const s = await createSalon(t, { staff: 2 });
    const key = s.tenant.apiKey;
    const c = { name: "Cy", email: "cy@example.com" };
    const ids: string[] = [];
    for (const h of [10, 11, 12, 13]) ids.push(await book(key, s.serviceId, `2027-03-02T${h}:00:00Z`, c));
    const [done, cancelled, confirmed, alsoConfirmed] = ids as [string, string, string, string];
    expect((await t.request("POST", `/v1/admin/bookings/${done}/complete`, { key })).status).toBe(200);
    expect((await t.request("POST", `/v1/admin/bookings/${cancelled}/cancel`, { key })).status).toBe(200);
    expect(await listAll(key, "status=completed,cancelled")).toEqual([done, cancelled]);
    expect(await listAll(key, "status=confirmed&status=completed")).toEqual([done, confirmed, alsoConfirmed]);
    expect(await listAll(key, `status=confirmed&serviceId=${s.serviceId}&q=cy`)).toEqual([confirmed, alsoConfirmed]);
    for (const bad of ["status=bogus", "status=confirmed,confirmed", "status=", "status=confirmed,"])
      expect((await t.request("GET", `/v1/admin/bookings?${bad}`, { key })).status, bad).toBe(400);
  });

  it("reads from/to dates in the business's time zone, to inclusive; instants keep working", async () => {
    // Auckland is UTC+13 in March: 09:00 local on 3 March is 20:00 UTC on 2 March.
    const s = await createSalon(t, { timezone: "Pacific/Auckland" });
    const key = s.tenant.apiKey;
    const c = { name: "Di", email: "di@example.com" };
    const onSecond = await book(key, s.serviceId, "2027-03-01T21:00:00Z", c); // 10:00 on 2 March local
    const onThird = await book(key, s.serviceId, "2027-03-02T20:00:00Z", c); // 09:00 on 3 March local
    const lateThird = await book(key, s.serviceId, "2027-03-03T03:00:00Z", c); // 16:00 on 3 March local
    expect(await listAll(key, "from=2027-03-03&to=2027-03-03")).toEqual([onThird, lateThird]);
    expect(await listAll(key, "to=2027-03-02")).toEqual([onSecond]);
    expect(await listAll(key, "from=2027-03-02&to=2027-03-02")).toEqual([onSecond]);
    expect(await listAll(key, "from=2027-03-02T00:00:00Z&to=2027-03-03T00:00:00Z")).toEqual([onThird]);
    for (const bad of ["from=2027-02-30", "to=03/03/2027", "from=2027-03-03T09:00"])
      expect((await t.request("GET", `/v1/admin/bookings?${bad}`, { key })).status, bad).toBe(400);
  });
});
