// Per-tenant caps (domain/limits.ts): the write past each one is a 422 LIMIT_REACHED and stores nothing, also when
// parallel requests race for the last place.
import { beforeEach, describe, expect, it } from "vitest";
import { TENANT_LIMITS } from "../worker/src/domain/limits.ts";
import { newId } from "../worker/src/lib/ids.ts";
import { type TestTenant, useTestApp } from "./helpers/app.ts";
import { snapshotRows } from "./helpers/rows.ts";

const t = useTestApp();
const NOW = new Date("2027-03-01T08:00:00Z");
beforeEach(() => {
  t.clock.now = NOW;
});

const TABLES = ["staff", "services", "staff_services", "weekly_hours", "date_overrides", "webhook_endpoints"];
const snapshot = (tenant: TestTenant) => snapshotRows(t, tenant.id, TABLES);
const SERVICE = { name: "Cut", durationMinutes: 30, price: { amount: 4500, currency: "EUR" } };
const staffBody = (serviceIds: string[] = []) => ({ name: "Sam", serviceIds, weeklyHours: [] });

/** `n` staff members written straight to the table (the API would take long to fill a cap); their ids. */
async function insertStaff(tenant: TestTenant, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => newId("stf"));
  await t.database.admin("INSERT INTO staff (id, tenant_id, name) SELECT id, $2, 'Filler' FROM unnest($1::text[]) id", [
    ids,
    tenant.id,
  ]);
  return ids;
}

async function insertServices(tenant: TestTenant, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => newId("svc"));
  await t.database.admin(
    `INSERT INTO services (id, tenant_id, name, duration_minutes, price_amount, currency)
     SELECT id, $2, 'Filler', 30, 1000, 'EUR' FROM unnest($1::text[]) id`,
    [ids, tenant.id],
  );
  return ids;
}

async function link(tenant: TestTenant, staffIds: string[], serviceId: string) {
  await t.database.admin(
    "INSERT INTO staff_services (tenant_id, staff_id, service_id) SELECT $2, s, $3 FROM unnest($1::text[]) s",
    [staffIds, tenant.id, serviceId],
  );
}

const post = (tenant: TestTenant, path: string, body: object) =>
  t.request("POST", path, { key: tenant.apiKey, body, headers: { "idempotency-key": crypto.randomUUID() } });

function expectLimit(res: { status: number; body: any }) {
  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe("LIMIT_REACHED");
}

describe("staff per business", () => {
  it("refuses the staff member past the cap and stores nothing", async () => {
    const tenant = await t.createTenant();
    await insertStaff(tenant, TENANT_LIMITS.staffPerTenant);
    const before = await snapshot(tenant);
    expectLimit(await post(tenant, "/v1/admin/staff", staffBody()));
    expect(await snapshot(tenant)).toEqual(before);
  });

  it("lets exactly the free places go to parallel requests", async () => {
    const tenant = await t.createTenant();
    await insertStaff(tenant, TENANT_LIMITS.staffPerTenant - 2);
    const results = await Promise.all(Array.from({ length: 6 }, () => post(tenant, "/v1/admin/staff", staffBody())));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 422, 422, 422, 422]);
    const [row] = await t.database.admin("SELECT count(*)::int AS n FROM staff WHERE tenant_id = $1", [tenant.id]);
    expect(row?.n).toBe(TENANT_LIMITS.staffPerTenant);
  });

  it("counts live staff only: a deleted member frees a place", async () => {
    const tenant = await t.createTenant();
    const [first] = await insertStaff(tenant, TENANT_LIMITS.staffPerTenant);
    expect((await t.request("DELETE", `/v1/admin/staff/${first}`, { key: tenant.apiKey })).status).toBe(204);
    expect((await post(tenant, "/v1/admin/staff", staffBody())).status).toBe(201);
  });
});

describe("services per business", () => {
  it("refuses the service past the cap and stores nothing", async () => {
    const tenant = await t.createTenant();
    await insertServices(tenant, TENANT_LIMITS.servicesPerTenant);
    const before = await snapshot(tenant);
    expectLimit(await post(tenant, "/v1/admin/services", SERVICE));
    expect(await snapshot(tenant)).toEqual(before);
  });
});

describe("staff per service", () => {
  it("refuses a service, new or patched, with more staff than the cap", async () => {
    const tenant = await t.createTenant();
    const staffIds = await insertStaff(tenant, TENANT_LIMITS.staffPerService + 1);
    const [serviceId] = await insertServices(tenant, 1);
    const before = await snapshot(tenant);
    expectLimit(await post(tenant, "/v1/admin/services", { ...SERVICE, staffIds }));
    const patched = await t.request("PATCH", `/v1/admin/services/${serviceId}`, {
      key: tenant.apiKey,
      body: { staffIds },
    });
    expectLimit(patched);
    expect(await snapshot(tenant)).toEqual(before);
    const fits = await t.request("PATCH", `/v1/admin/services/${serviceId}`, {
      key: tenant.apiKey,
      body: { staffIds: staffIds.slice(1) },
    });
    expect(fits.status).toBe(200);
  });

  it("refuses a staff member, new or patched, joining a full service", async () => {
    const tenant = await t.createTenant();
    const members = await insertStaff(tenant, TENANT_LIMITS.staffPerService);
    const [outsider] = await insertStaff(tenant, 1);
    const [serviceId] = await insertServices(tenant, 1);
    await link(tenant, members, serviceId!);
    const before = await snapshot(tenant);
    expectLimit(await post(tenant, "/v1/admin/staff", staffBody([serviceId!])));
    const patched = await t.request("PATCH", `/v1/admin/staff/${outsider}`, {
      key: tenant.apiKey,
      body: { serviceIds: [serviceId] },
    });
    expectLimit(patched);
    expect(await snapshot(tenant)).toEqual(before);
    // A member already in the service is not counted twice when its services are replaced.
    const member = await t.request("PATCH", `/v1/admin/staff/${members[0]}`, {
      key: tenant.apiKey,
      body: { serviceIds: [serviceId] },
    });
    expect(member.status).toBe(200);
  });
});

describe("date overrides per staff member", () => {
  it("refuses a new future date past the cap, still replaces an existing one, and stores nothing else", async () => {
    const tenant = await t.createTenant();
    const [staffId] = await insertStaff(tenant, 1);
    await t.database.admin(
      `INSERT INTO date_overrides (tenant_id, staff_id, local_date, intervals)
       SELECT $1, $2, DATE '2027-03-01' + g, '[]'::jsonb FROM generate_series(0, $3 - 1) g`,
      [tenant.id, staffId, TENANT_LIMITS.futureOverridesPerStaff],
    );
    const before = await snapshot(tenant);
    const put = (date: string) =>
      t.request("PUT", `/v1/admin/staff/${staffId}/overrides/${date}`, {
        key: tenant.apiKey,
        body: { intervals: [{ start: "10:00", end: "12:00" }] },
      });
    expectLimit(await put("2029-01-01"));
    expect(await snapshot(tenant)).toEqual(before);
    expect((await put("2027-03-02")).status).toBe(200);
  });
});

describe("webhook endpoints per business", () => {
  it("refuses the endpoint past the cap, and parallel requests get exactly the free places", async () => {
    const tenant = await t.createTenant();
    const create = () => post(tenant, "/v1/admin/webhook-endpoints", { url: "https://example.com/hooks/bookra" });
    for (let i = 0; i < TENANT_LIMITS.webhookEndpointsPerTenant - 1; i++) expect((await create()).status).toBe(201);
    const results = await Promise.all([create(), create(), create()]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422]);
    for (const res of results.filter((r) => r.status === 422)) expectLimit(res);
    const before = await snapshot(tenant);
    expectLimit(await create());
    expect(await snapshot(tenant)).toEqual(before);
  });
});
