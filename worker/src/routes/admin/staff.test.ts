import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type TestApp, type TestTenant, useTestApp } from "../../../../test/helpers/app.ts";
import { insertRawBooking, snapshotRows } from "../../../../test/helpers/rows.ts";
import { Override, Staff, StaffList, TimeOff, TimeOffList } from "../../schemas/staff.ts";

const t = useTestApp();

const HOURS = [
  { weekday: 1, start: "09:00", end: "12:00" },
  { weekday: 1, start: "12:00", end: "17:30" },
  { weekday: 7, start: "20:00", end: "24:00" },
];
const anna = { name: "Anna", email: "Anna@Example.com", commissionBps: 1500, serviceIds: [], weeklyHours: HOURS };
const SERVICE = { name: "Cut", durationMinutes: 45, price: { amount: 4500, currency: "EUR" } };

/** Every row of the tables these routes touch, for "nothing changed" assertions. */
const snapshot = (tenantId: string) =>
  snapshotRows(t, tenantId, [
    "staff",
    "services",
    "staff_services",
    "weekly_hours",
    "date_overrides",
    "time_off",
    "api_keys",
  ]);

async function createStaff(tenant: TestTenant, body: object = anna): Promise<string> {
  const res = await t.request("POST", "/v1/admin/staff", { key: tenant.apiKey, body });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function createService(tenant: TestTenant, body: object = SERVICE): Promise<string> {
  const res = await t.request("POST", "/v1/admin/services", { key: tenant.apiKey, body });
  expect(res.status).toBe(201);
  return res.body.id;
}

const insertBooking = (...a: Parameters<typeof insertRawBooking> extends [TestApp, ...infer R] ? R : never) =>
  insertRawBooking(t, ...a);

describe("staff: happy paths", () => {
  it("creates, reads and lists a staff member with hours stored as minutes", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("POST", "/v1/admin/staff", { key: tenant.apiKey, body: anna });
    expect(res.status).toBe(201);
    const created = Staff.strict().parse(res.body);
    expect(created).toMatchObject({
      name: "Anna",
      email: "anna@example.com",
      commissionBps: 1500,
      serviceIds: [],
      weeklyHours: HOURS,
    });
    expect(created.id).toMatch(/^stf_[0-9a-z]{20}$/);
    const got = await t.request("GET", `/v1/admin/staff/${created.id}`, { key: tenant.apiKey });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created);
    const list = await t.request("GET", "/v1/admin/staff", { key: tenant.apiKey });
    expect(StaffList.parse(list.body)).toEqual({ data: [created], nextCursor: null });
    const rows = await t.database.admin(
      "SELECT weekday, start_minute, end_minute FROM weekly_hours WHERE staff_id = $1 ORDER BY 1, 2",
      [created.id],
    );
    expect(rows).toEqual([
      { weekday: 1, start_minute: 540, end_minute: 720 },
      { weekday: 1, start_minute: 720, end_minute: 1050 },
      { weekday: 7, start_minute: 1200, end_minute: 1440 },
    ]);
  });

  it("needs only a name; the rest defaults to nothing", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("POST", "/v1/admin/staff", { key: tenant.apiKey, body: { name: "Bo" } });
    expect(res.status).toBe(201);
    expect(Staff.parse(res.body)).toMatchObject({ email: null, commissionBps: 0, serviceIds: [], weeklyHours: [] });
  });

  it("links services, and the link is visible from the service side too", async () => {
    const tenant = await t.createTenant();
    const cut = await createService(tenant);
    const colour = await createService(tenant, { ...SERVICE, name: "Colour" });
    const id = await createStaff(tenant, { ...anna, serviceIds: [colour, cut] });
    expect((await t.request("GET", `/v1/admin/staff/${id}`, { key: tenant.apiKey })).body.serviceIds).toEqual([
      cut,
      colour,
    ]);
    expect((await t.request("GET", `/v1/admin/services/${cut}`, { key: tenant.apiKey })).body.staffIds).toEqual([id]);
    await t.request("PATCH", `/v1/admin/staff/${id}`, { key: tenant.apiKey, body: { serviceIds: [colour] } });
    expect((await t.request("GET", `/v1/admin/services/${cut}`, { key: tenant.apiKey })).body.staffIds).toEqual([]);
    expect((await t.request("GET", `/v1/admin/services/${colour}`, { key: tenant.apiKey })).body.staffIds).toEqual([
      id,
    ]);
  });

  it("patches only what is given and replaces hours and services as a whole", async () => {
    const tenant = await t.createTenant();
    const svc = await createService(tenant);
    const id = await createStaff(tenant, { ...anna, serviceIds: [svc] });
    const renamed = await t.request("PATCH", `/v1/admin/staff/${id}`, { key: tenant.apiKey, body: { name: "Anna K" } });
    expect(renamed.status).toBe(200);
    expect(Staff.strict().parse(renamed.body)).toMatchObject({
      name: "Anna K",
      email: "anna@example.com",
      commissionBps: 1500,
      serviceIds: [svc],
      weeklyHours: HOURS,
    });
    const replaced = await t.request("PATCH", `/v1/admin/staff/${id}`, {
      key: tenant.apiKey,
      body: { email: null, serviceIds: [], weeklyHours: [{ weekday: 3, start: "00:00", end: "24:00" }] },
    });
    expect(replaced.body).toMatchObject({
      name: "Anna K",
      email: null,
      serviceIds: [],
      weeklyHours: [{ weekday: 3, start: "00:00", end: "24:00" }],
    });
    expect(await t.database.admin("SELECT count(*)::int AS n FROM weekly_hours WHERE staff_id = $1", [id])).toEqual([
      { n: 1 },
    ]);
    expect((await t.request("PATCH", `/v1/admin/staff/${id}`, { key: tenant.apiKey, body: {} })).body).toEqual(
      replaced.body,
    );
  });

  it("soft-deletes: 204, then 404 everywhere, gone from lists and from its services", async () => {
    const tenant = await t.createTenant();
    const svc = await createService(tenant);
    const id = await createStaff(tenant, { ...anna, serviceIds: [svc] });
    await insertBooking(tenant, id, svc, "confirmed", -48); // a past booking does not block
    await insertBooking(tenant, id, svc, "cancelled", 48); // nor does a cancelled one
    const del = await t.request("DELETE", `/v1/admin/staff/${id}`, { key: tenant.apiKey });
    expect(del.status).toBe(204);
    expect(del.body).toBeNull();
    for (const [method, path, body] of [
      ["GET", `/v1/admin/staff/${id}`],
      ["PATCH", `/v1/admin/staff/${id}`, { name: "Back" }],
      ["DELETE", `/v1/admin/staff/${id}`],
      ["GET", `/v1/admin/staff/${id}/time-off`],
      ["PUT", `/v1/admin/staff/${id}/overrides/2027-03-01`, { intervals: [] }],
    ] as const) {
      const res = await t.request(method, path, { key: tenant.apiKey, ...(body && { body }) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    expect((await t.request("GET", "/v1/admin/staff", { key: tenant.apiKey })).body.data).toEqual([]);
    expect((await t.request("GET", `/v1/admin/services/${svc}`, { key: tenant.apiKey })).body.staffIds).toEqual([]);
    const [row] = await t.database.admin("SELECT deleted_at FROM staff WHERE id = $1", [id]);
    expect(row!.deleted_at).toBeInstanceOf(Date);
    const linked = await t.request("POST", "/v1/admin/services", {
      key: tenant.apiKey,
      body: { ...SERVICE, staffIds: [id] },
    });
    expect(linked.status).toBe(400);
    expect(linked.body.error.message).toContain(id);
  });

  it.each(["confirmed", "pending_payment"])(
    "refuses to delete a member with a future %s booking (409) and keeps them",
    async (status) => {
      const tenant = await t.createTenant();
      const svc = await createService(tenant);
      const id = await createStaff(tenant, { ...anna, serviceIds: [svc] });
      await insertBooking(tenant, id, svc, status, 24);
      const before = await snapshot(tenant.id);
      const res = await t.request("DELETE", `/v1/admin/staff/${id}`, { key: tenant.apiKey });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("CONFLICT");
      expect(await snapshot(tenant.id)).toEqual(before);
    },
  );

  it("pages with an opaque keyset cursor", async () => {
    const tenant = await t.createTenant();
    const ids = [];
    for (const name of ["A", "B", "C", "D", "E"]) ids.push(await createStaff(tenant, { name }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.request("GET", `/v1/admin/staff?limit=2${cursor ? `&cursor=${cursor}` : ""}`, {
        key: tenant.apiKey,
      });
      expect(res.status).toBe(200);
      const page = StaffList.parse(res.body);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((s) => s.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen).toHaveLength(5);
  });

  it.each([
    ["garbage", "cursor=%%%"],
    ["not base64 JSON", `cursor=${Buffer.from("hello").toString("base64url")}`],
    [
      "JSON of the wrong shape",
      `cursor=${Buffer.from(JSON.stringify({ at: "yesterday", id: 1 })).toString("base64url")}`,
    ],
    [
      "an impossible instant",
      `cursor=${Buffer.from(JSON.stringify({ at: "2027-13-45T99:00:00.000000Z", id: "x" })).toString("base64url")}`,
    ],
    ["limit 0", "limit=0"],
    ["limit 101", "limit=101"],
    ["limit abc", "limit=abc"],
  ])("rejects a list query with %s (400)", async (_n, query) => {
    const tenant = await t.createTenant();
    const res = await t.request("GET", `/v1/admin/staff?${query}`, { key: tenant.apiKey });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
  });
});

const badStaffBodies: [string, { body?: unknown; raw?: string }][] = [
  ["malformed JSON", { raw: '{"name": ' }],
  ["an array body", { body: [anna] }],
  ["wrong types", { body: { name: 5, email: [], commissionBps: "10", serviceIds: "svc", weeklyHours: {} } }],
  ["an unknown field", { body: { ...anna, role: "owner" } }],
  [
    "an unknown field in an interval",
    { body: { ...anna, weeklyHours: [{ weekday: 1, start: "09:00", end: "10:00", note: 1 }] } },
  ],
  ["25:00", { body: { ...anna, weeklyHours: [{ weekday: 1, start: "09:00", end: "25:00" }] } }],
  ["9:00", { body: { ...anna, weeklyHours: [{ weekday: 1, start: "9:00", end: "10:00" }] } }],
  ["24:00 as a start", { body: { ...anna, weeklyHours: [{ weekday: 1, start: "24:00", end: "24:00" }] } }],
  ["09:60", { body: { ...anna, weeklyHours: [{ weekday: 1, start: "09:60", end: "10:00" }] } }],
  ["weekday 8", { body: { ...anna, weeklyHours: [{ weekday: 8, start: "09:00", end: "10:00" }] } }],
  ["weekday 0", { body: { ...anna, weeklyHours: [{ weekday: 0, start: "09:00", end: "10:00" }] } }],
  ["weekday 1.5", { body: { ...anna, weeklyHours: [{ weekday: 1.5, start: "09:00", end: "10:00" }] } }],
  ["start = end", { body: { ...anna, weeklyHours: [{ weekday: 1, start: "09:00", end: "09:00" }] } }],
  ["start > end", { body: { ...anna, weeklyHours: [{ weekday: 1, start: "17:00", end: "09:00" }] } }],
  [
    "overlapping intervals",
    {
      body: {
        ...anna,
        weeklyHours: [
          { weekday: 2, start: "09:00", end: "12:00" },
          { weekday: 2, start: "11:59", end: "13:00" },
        ],
      },
    },
  ],
  [
    "a nested interval",
    {
      body: {
        ...anna,
        weeklyHours: [
          { weekday: 2, start: "09:00", end: "18:00" },
          { weekday: 2, start: "10:00", end: "11:00" },
        ],
      },
    },
  ],
  ["commission above 100%", { body: { ...anna, commissionBps: 10_001 } }],
  ["negative commission", { body: { ...anna, commissionBps: -1 } }],
  ["an empty name", { body: { ...anna, name: "   " } }],
  ["a NUL in the name", { body: { ...anna, name: "An\u0000na" } }],
  ["a bad e-mail", { body: { ...anna, email: "not-an-email" } }],
  ["an unknown service id", { body: { ...anna, serviceIds: ["svc_00000000000000000000"] } }],
  ["a non-string service id", { body: { ...anna, serviceIds: [42] } }],
];

describe("staff: errors change nothing", () => {
  it.each(badStaffBodies)("POST with %s → 400", async (_n, opts) => {
    const tenant = await t.createTenant();
    const before = await snapshot(tenant.id);
    const res = await t.request("POST", "/v1/admin/staff", { key: tenant.apiKey, ...opts });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(await snapshot(tenant.id)).toEqual(before);
  });

  it.each(badStaffBodies)("PATCH with %s → 400", async (_n, opts) => {
    const tenant = await t.createTenant();
    const id = await createStaff(tenant);
    const before = await snapshot(tenant.id);
    const res = await t.request("PATCH", `/v1/admin/staff/${id}`, { key: tenant.apiKey, ...opts });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(await snapshot(tenant.id)).toEqual(before);
  });

  it("names the bad id among good ones, including a deleted service and a repeated id", async () => {
    const tenant = await t.createTenant();
    const good = await createService(tenant);
    const gone = await createService(tenant, { ...SERVICE, name: "Gone" });
    expect((await t.request("DELETE", `/v1/admin/services/${gone}`, { key: tenant.apiKey })).status).toBe(204);
    const before = await snapshot(tenant.id);
    const res = await t.request("POST", "/v1/admin/staff", {
      key: tenant.apiKey,
      body: { ...anna, serviceIds: [good, gone] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(gone);
    expect(res.body.error.issues).toEqual([{ path: ["serviceIds", 1], message: "Unknown service id" }]);
    const dup = await t.request("POST", "/v1/admin/staff", {
      key: tenant.apiKey,
      body: { ...anna, serviceIds: [good, good] },
    });
    expect(dup.status).toBe(400);
    expect(await snapshot(tenant.id)).toEqual(before);
  });
});

describe("time off", () => {
  const off = { start: "2027-03-01T09:00:00Z", end: "2027-03-08T18:00:00Z", reason: "Holiday" };

  it("adds, lists and removes time off", async () => {
    const tenant = await t.createTenant();
    const id = await createStaff(tenant);
    const res = await t.request("POST", `/v1/admin/staff/${id}/time-off`, { key: tenant.apiKey, body: off });
    expect(res.status).toBe(201);
    const created = TimeOff.strict().parse(res.body);
    expect(created).toEqual({
      id: expect.stringMatching(/^off_/),
      staffId: id,
      start: "2027-03-01T09:00:00.000Z",
      end: "2027-03-08T18:00:00.000Z",
      reason: "Holiday",
    });
    const second = await t.request("POST", `/v1/admin/staff/${id}/time-off`, {
      key: tenant.apiKey,
      body: { start: "2027-04-01T00:00:00Z", end: "2028-04-01T00:00:00Z" },
    });
    expect(second.status).toBe(201); // 366 days (2028 is a leap year) is the most allowed
    expect(second.body.reason).toBeNull();
    const list = await t.request("GET", `/v1/admin/staff/${id}/time-off?limit=1`, { key: tenant.apiKey });
    expect(TimeOffList.parse(list.body).data).toEqual([created]);
    const next = await t.request("GET", `/v1/admin/staff/${id}/time-off?limit=1&cursor=${list.body.nextCursor}`, {
      key: tenant.apiKey,
    });
    expect(next.body).toEqual({ data: [second.body], nextCursor: null });
    const del = await t.request("DELETE", `/v1/admin/staff/${id}/time-off/${created.id}`, { key: tenant.apiKey });
    expect(del.status).toBe(204);
    expect(
      (await t.request("DELETE", `/v1/admin/staff/${id}/time-off/${created.id}`, { key: tenant.apiKey })).status,
    ).toBe(404);
    expect(await t.database.admin("SELECT id FROM time_off WHERE staff_id = $1", [id])).toEqual([
      { id: second.body.id },
    ]);
  });

  it.each([
    ["malformed JSON", { raw: "{" }],
    ["a local time without Z", { body: { ...off, start: "2027-03-01T09:00:00" } }],
    ["an offset instead of Z", { body: { ...off, start: "2027-03-01T09:00:00+01:00" } }],
    ["an impossible date", { body: { ...off, start: "2027-02-30T09:00:00Z" } }],
    ["hour 24", { body: { ...off, start: "2027-03-01T24:00:00Z" } }],
    ["year 0", { body: { start: "0000-01-01T00:00:00Z", end: "0000-01-02T00:00:00Z" } }],
    ["a number", { body: { ...off, start: 1_800_000_000_000 } }],
    ["start = end", { body: { ...off, end: off.start } }],
    ["start > end", { body: { ...off, start: off.end, end: off.start } }],
    ["more than 366 days", { body: { start: "2027-01-01T00:00:00Z", end: "2028-01-02T00:00:01Z" } }],
    ["an unknown field", { body: { ...off, allDay: true } }],
    ["an overlong reason", { body: { ...off, reason: "x".repeat(501) } }],
  ])("rejects %s with 400 and stores nothing", async (_n, opts) => {
    const tenant = await t.createTenant();
    const id = await createStaff(tenant);
    const res = await t.request("POST", `/v1/admin/staff/${id}/time-off`, { key: tenant.apiKey, ...opts });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(await t.database.admin("SELECT 1 FROM time_off WHERE tenant_id = $1", [tenant.id])).toEqual([]);
  });
});

describe("date overrides", () => {
  it("puts, replaces, lists by range and removes an override; [] is a day off", async () => {
    const tenant = await t.createTenant();
    const id = await createStaff(tenant);
    const put = await t.request("PUT", `/v1/admin/staff/${id}/overrides/2027-03-02`, {
      key: tenant.apiKey,
      body: {
        intervals: [
          { start: "14:00", end: "24:00" },
          { start: "08:00", end: "12:00" },
        ],
      },
    });
    expect(put.status).toBe(200);
    expect(Override.strict().parse(put.body)).toEqual({
      date: "2027-03-02",
      intervals: [
        { start: "08:00", end: "12:00" },
        { start: "14:00", end: "24:00" },
      ],
    });
    const off = await t.request("PUT", `/v1/admin/staff/${id}/overrides/2027-03-02`, {
      key: tenant.apiKey,
      body: { intervals: [] },
    });
    expect(off.body).toEqual({ date: "2027-03-02", intervals: [] });
    await t.request("PUT", `/v1/admin/staff/${id}/overrides/2027-05-01`, {
      key: tenant.apiKey,
      body: { intervals: [{ start: "10:00", end: "11:00" }] },
    });
    const all = await t.request("GET", `/v1/admin/staff/${id}/overrides`, { key: tenant.apiKey });
    expect(all.body.data.map((o: { date: string }) => o.date)).toEqual(["2027-03-02", "2027-05-01"]);
    const march = await t.request("GET", `/v1/admin/staff/${id}/overrides?from=2027-03-01&to=2027-03-31`, {
      key: tenant.apiKey,
    });
    expect(march.body).toEqual({ data: [{ date: "2027-03-02", intervals: [] }], nextCursor: null });
    const page = await t.request("GET", `/v1/admin/staff/${id}/overrides?limit=1`, { key: tenant.apiKey });
    const rest = await t.request("GET", `/v1/admin/staff/${id}/overrides?limit=1&cursor=${page.body.nextCursor}`, {
      key: tenant.apiKey,
    });
    expect(rest.body.data[0].date).toBe("2027-05-01");
    expect(
      (await t.request("DELETE", `/v1/admin/staff/${id}/overrides/2027-03-02`, { key: tenant.apiKey })).status,
    ).toBe(204);
    expect(
      (await t.request("DELETE", `/v1/admin/staff/${id}/overrides/2027-03-02`, { key: tenant.apiKey })).status,
    ).toBe(404);
    expect(
      await t.database.admin("SELECT local_date::text AS d FROM date_overrides WHERE staff_id = $1", [id]),
    ).toEqual([{ d: "2027-05-01" }]);
  });

  it.each([
    ["an impossible date", "2027-02-30", { intervals: [] }],
    ["a short date", "2027-3-1", { intervals: [] }],
    ["year 0", "0000-01-01", { intervals: [] }],
    [
      "overlapping intervals",
      "2027-03-01",
      {
        intervals: [
          { start: "09:00", end: "12:00" },
          { start: "11:00", end: "13:00" },
        ],
      },
    ],
    ["25:00", "2027-03-01", { intervals: [{ start: "09:00", end: "25:00" }] }],
    ["9:00", "2027-03-01", { intervals: [{ start: "9:00", end: "10:00" }] }],
    ["start ≥ end", "2027-03-01", { intervals: [{ start: "10:00", end: "10:00" }] }],
    ["a missing intervals field", "2027-03-01", {}],
    ["an unknown field", "2027-03-01", { intervals: [], reason: "x" }],
    ["an unknown interval field", "2027-03-01", { intervals: [{ start: "09:00", end: "10:00", weekday: 1 }] }],
  ])("rejects %s with 400 and stores nothing", async (_n, date, body) => {
    const tenant = await t.createTenant();
    const id = await createStaff(tenant);
    await t.request("PUT", `/v1/admin/staff/${id}/overrides/2027-03-01`, {
      key: tenant.apiKey,
      body: { intervals: [{ start: "10:00", end: "11:00" }] },
    });
    const before = await snapshot(tenant.id);
    const res = await t.request("PUT", `/v1/admin/staff/${id}/overrides/${date}`, { key: tenant.apiKey, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(await snapshot(tenant.id)).toEqual(before);
  });

  it("rejects a list range with from after to, and a bad cursor", async () => {
    const tenant = await t.createTenant();
    const id = await createStaff(tenant);
    for (const query of [
      "from=2027-03-02&to=2027-03-01",
      "from=2027-02-30",
      `cursor=${Buffer.from('{"date":"2027-02-30"}').toString("base64url")}`,
    ]) {
      const res = await t.request("GET", `/v1/admin/staff/${id}/overrides?${query}`, { key: tenant.apiKey });
      expect(res.status, query).toBe(400);
    }
  });
});

describe("staff: security", () => {
  it("answers 401 without a valid key on every route", async () => {
    const tenant = await t.createTenant();
    const id = await createStaff(tenant);
    const before = await snapshot(tenant.id);
    for (const [method, path] of [
      ["GET", "/v1/admin/staff"],
      ["POST", "/v1/admin/staff"],
      ["GET", `/v1/admin/staff/${id}`],
      ["PATCH", `/v1/admin/staff/${id}`],
      ["DELETE", `/v1/admin/staff/${id}`],
      ["GET", `/v1/admin/staff/${id}/time-off`],
      ["POST", `/v1/admin/staff/${id}/time-off`],
      ["DELETE", `/v1/admin/staff/${id}/time-off/off_00000000000000000000`],
      ["GET", `/v1/admin/staff/${id}/overrides`],
      ["PUT", `/v1/admin/staff/${id}/overrides/2027-03-01`],
      ["DELETE", `/v1/admin/staff/${id}/overrides/2027-03-01`],
    ]) {
      for (const key of [undefined, `sk_${"0".repeat(40)}`]) {
        const body = method === "GET" || method === "DELETE" ? undefined : { name: "X", intervals: [] };
        const res = await t.request(method!, path!, { ...(key && { key }), ...(body && { body }) });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body.error.code).toBe("UNAUTHENTICATED");
      }
    }
    expect(await snapshot(tenant.id)).toEqual(before);
  });

  it("treats another tenant's staff, time off and services as unknown, and changes nothing for either", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const bSvc = await createService(b);
    const bStaff = await createStaff(b, { ...anna, serviceIds: [bSvc] });
    const bOff = await t.request("POST", `/v1/admin/staff/${bStaff}/time-off`, {
      key: b.apiKey,
      body: { start: "2027-03-01T09:00:00Z", end: "2027-03-02T09:00:00Z" },
    });
    await t.request("PUT", `/v1/admin/staff/${bStaff}/overrides/2027-03-03`, {
      key: b.apiKey,
      body: { intervals: [] },
    });
    const aStaff = await createStaff(a);
    const beforeA = await snapshot(a.id);
    const beforeB = await snapshot(b.id);
    for (const [method, path, body] of [
      ["GET", `/v1/admin/staff/${bStaff}`],
      ["PATCH", `/v1/admin/staff/${bStaff}`, { name: "Stolen" }],
      ["DELETE", `/v1/admin/staff/${bStaff}`],
      ["GET", `/v1/admin/staff/${bStaff}/time-off`],
      ["POST", `/v1/admin/staff/${bStaff}/time-off`, { start: "2027-03-01T09:00:00Z", end: "2027-03-02T09:00:00Z" }],
      ["DELETE", `/v1/admin/staff/${bStaff}/time-off/${bOff.body.id}`],
      ["DELETE", `/v1/admin/staff/${aStaff}/time-off/${bOff.body.id}`],
      ["GET", `/v1/admin/staff/${bStaff}/overrides`],
      ["PUT", `/v1/admin/staff/${bStaff}/overrides/2027-03-03`, { intervals: [{ start: "09:00", end: "10:00" }] }],
      ["DELETE", `/v1/admin/staff/${bStaff}/overrides/2027-03-03`],
    ] as const) {
      const res = await t.request(method, path, { key: a.apiKey, ...(body && { body }) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    const list = await t.request("GET", "/v1/admin/staff", { key: a.apiKey });
    expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([aStaff]);
    for (const [method, path] of [
      ["POST", "/v1/admin/staff"],
      ["PATCH", `/v1/admin/staff/${aStaff}`],
    ] as const) {
      const res = await t.request(method, path, { key: a.apiKey, body: { name: "X", serviceIds: [bSvc] } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(bSvc);
      expect(JSON.stringify(res.body)).not.toContain("Cut");
    }
    expect(await snapshot(a.id)).toEqual(beforeA);
    expect(await snapshot(b.id)).toEqual(beforeB);
  });
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a JSON value, so that one leaf (or one whole branch) of a valid body can be swapped for garbage. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const children = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : value && typeof value === "object"
      ? Object.entries(value)
      : [];
  return [prefix, ...children.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function setIn(value: Json, path: (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, Json>;
  copy[head!] = setIn(copy[head!] ?? null, rest, leaf) as Json;
  return copy;
}

describe("garbage bodies never cause a 500", () => {
  const tricky = fc.constantFrom(
    "24:00",
    "25:00",
    "9:00",
    "",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "2027-02-30",
    "2027-03-01T24:00:00Z",
    "svc_00000000000000000000",
    -1,
    0,
    1e308,
    2 ** 53,
    1.5,
    "EUR",
    "__proto__",
    "x".repeat(300),
  );
  const value = fc.oneof(fc.jsonValue(), tricky, fc.string({ unit: "binary" }));
  const garbage = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.anything().map((v) => {
      try {
        return JSON.stringify(v) ?? "null";
      } catch {
        return "{}";
      }
    }),
    fc.string({ unit: "binary" }),
  );
  /** Raw garbage, or a valid body with one branch replaced or one unknown key added. */
  const bodiesFor = (base: Json) =>
    fc.oneof(
      garbage,
      fc.tuple(fc.constantFrom(...pathsOf(base)), value).map(([path, v]) => JSON.stringify(setIn(base, path, v))),
      fc.tuple(fc.string(), value).map(([k, v]) => JSON.stringify({ ...(base as object), [k]: v })),
    );

  it("ids in a path that cannot exist are a 404 (or 400), never a 500", async () => {
    const tenant = await t.createTenant();
    const staffId = await createStaff(tenant);
    const ids = [
      "a%00b",
      "%00",
      "stf_%00",
      "%F0%9F%98%80",
      "STF_ABCDEFGHJKMNPQRSTVWX",
      "x".repeat(64),
      "x".repeat(65),
      "%2E%2E",
      "null",
    ];
    for (const id of ids) {
      for (const [method, path, body] of [
        ["GET", `/v1/admin/staff/${id}`],
        ["PATCH", `/v1/admin/staff/${id}`, { name: "X" }],
        ["DELETE", `/v1/admin/staff/${id}`],
        ["POST", `/v1/admin/staff/${id}/time-off`, { start: "2027-03-01T09:00:00Z", end: "2027-03-02T09:00:00Z" }],
        ["DELETE", `/v1/admin/staff/${staffId}/time-off/${id}`],
        ["PUT", `/v1/admin/staff/${id}/overrides/2027-03-01`, { intervals: [] }],
        ["GET", `/v1/admin/services/${id}`],
        ["PATCH", `/v1/admin/services/${id}`, { name: "X" }],
        ["DELETE", `/v1/admin/services/${id}`],
        ["DELETE", `/v1/admin/api-keys/${id}`],
      ] as const) {
        const res = await t.request(method, path, { key: tenant.apiKey, ...(body && { body }) });
        expect([400, 404], `${method} ${path}`).toContain(res.status);
      }
    }
  });

  it("POST/PATCH/PUT on staff, services and api-keys always answer < 500", async () => {
    const tenant = await t.createTenant();
    const staffId = await createStaff(tenant);
    const serviceId = await createService(tenant);
    const staffBody = {
      name: "Fuzz",
      email: "f@example.com",
      commissionBps: 100,
      serviceIds: [serviceId],
      weeklyHours: [{ weekday: 1, start: "09:00", end: "17:00" }],
    };
    const serviceBody = {
      ...SERVICE,
      description: "d",
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 5,
      minNoticeMinutes: 60,
      maxAdvanceDays: 30,
      slotStepMinutes: 15,
      deposit: { amount: 100 },
      staffIds: [staffId],
    };
    const routes: [string, fc.Arbitrary<string>, Json][] = [
      ["POST", fc.constant("/v1/admin/staff"), staffBody],
      ["PATCH", fc.constant(`/v1/admin/staff/${staffId}`), staffBody],
      [
        "POST",
        fc.constant(`/v1/admin/staff/${staffId}/time-off`),
        { start: "2027-03-01T09:00:00Z", end: "2027-03-02T09:00:00Z", reason: "r" },
      ],
      [
        "PUT",
        fc.constant(`/v1/admin/staff/${staffId}/overrides/2027-03-01`),
        { intervals: [{ start: "09:00", end: "10:00" }] },
      ],
      [
        "PUT",
        fc.string().map((d) => `/v1/admin/staff/${staffId}/overrides/${encodeURIComponent(d)}`),
        { intervals: [] },
      ],
      ["POST", fc.constant("/v1/admin/services"), serviceBody],
      ["PATCH", fc.constant(`/v1/admin/services/${serviceId}`), serviceBody],
      ["POST", fc.constant("/v1/admin/api-keys"), { name: "Fuzz key" }],
    ];
    for (const [method, paths, base] of routes) {
      await fc.assert(
        fc.asyncProperty(paths, bodiesFor(base), async (path, raw) => {
          const res = await t.request(method, path, { key: tenant.apiKey, raw });
          expect(res.status, `${method} ${path} ${raw}`).toBeLessThan(500);
        }),
        { numRuns: 80 },
      );
    }
  });
});
