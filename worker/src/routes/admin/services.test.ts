import { describe, expect, it } from "vitest";
import { type TestApp, type TestTenant, useTestApp } from "../../../../test/helpers/app.ts";
import { insertRawBooking, snapshotRows } from "../../../../test/helpers/rows.ts";
import { Service, ServiceList } from "../../schemas/service.ts";

const t = useTestApp();

const cut = { name: "Cut & finish", durationMinutes: 45, price: { amount: 4500, currency: "EUR" } };
const full = {
  ...cut,
  description: "Wash, cut and blow-dry",
  bufferBeforeMinutes: 5,
  bufferAfterMinutes: 10,
  minNoticeMinutes: 120,
  maxAdvanceDays: 60,
  slotStepMinutes: 30,
  deposit: { percent: 20 },
};

/** Every row of the tables these routes touch, for "nothing changed" assertions. */
const snapshot = (tenantId: string) => snapshotRows(t, tenantId, ["staff", "services", "staff_services"]);

async function post(tenant: TestTenant, path: string, body: object): Promise<string> {
  const res = await t.request("POST", path, { key: tenant.apiKey, body });
  expect(res.status).toBe(201);
  return res.body.id;
}
const createService = (tenant: TestTenant, body: object = cut) => post(tenant, "/v1/admin/services", body);
const createStaff = (tenant: TestTenant, name = "Anna") => post(tenant, "/v1/admin/staff", { name });

const insertBooking = (...a: Parameters<typeof insertRawBooking> extends [TestApp, ...infer R] ? R : never) =>
  insertRawBooking(t, ...a);

describe("services: happy paths", () => {
  it("creates a service with defaults and reads it back", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("POST", "/v1/admin/services", { key: tenant.apiKey, body: cut });
    expect(res.status).toBe(201);
    const created = Service.strict().parse(res.body);
    expect(created).toEqual({
      id: expect.stringMatching(/^svc_[0-9a-z]{20}$/),
      ...cut,
      description: null,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minNoticeMinutes: 0,
      maxAdvanceDays: 90,
      slotStepMinutes: 15,
      deposit: null,
      staffIds: [],
      createdAt: expect.any(String),
    });
    expect((await t.request("GET", `/v1/admin/services/${created.id}`, { key: tenant.apiKey })).body).toEqual(created);
    const list = await t.request("GET", "/v1/admin/services", { key: tenant.apiKey });
    expect(ServiceList.parse(list.body)).toEqual({ data: [created], nextCursor: null });
  });

  it("stores every setting, a deposit and the staff who perform it (seen from the staff side too)", async () => {
    const tenant = await t.createTenant();
    const anna = await createStaff(tenant);
    const res = await t.request("POST", "/v1/admin/services", {
      key: tenant.apiKey,
      body: { ...full, staffIds: [anna] },
    });
    expect(res.status).toBe(201);
    expect(Service.strict().parse(res.body)).toMatchObject({ ...full, staffIds: [anna] });
    expect((await t.request("GET", `/v1/admin/staff/${anna}`, { key: tenant.apiKey })).body.serviceIds).toEqual([
      res.body.id,
    ]);
    const [row] = await t.database.admin(
      "SELECT price_amount, currency, deposit_percent, deposit_amount FROM services WHERE id = $1",
      [res.body.id],
    );
    expect(row).toEqual({ price_amount: "4500", currency: "EUR", deposit_percent: 20, deposit_amount: null });
  });

  it("patches only what is given; deposit null clears it; staffIds replace the links", async () => {
    const tenant = await t.createTenant();
    const [anna, bo] = [await createStaff(tenant), await createStaff(tenant, "Bo")];
    const id = await createService(tenant, { ...full, staffIds: [anna] });
    const p1 = await t.request("PATCH", `/v1/admin/services/${id}`, {
      key: tenant.apiKey,
      body: { slotStepMinutes: 15, deposit: { amount: 1000 } },
    });
    expect(p1.status).toBe(200);
    expect(Service.strict().parse(p1.body)).toMatchObject({
      ...full,
      slotStepMinutes: 15,
      deposit: { amount: 1000 },
      staffIds: [anna],
    });
    const p2 = await t.request("PATCH", `/v1/admin/services/${id}`, {
      key: tenant.apiKey,
      body: { deposit: null, description: null, staffIds: [bo] },
    });
    expect(p2.body).toMatchObject({
      deposit: null,
      description: null,
      staffIds: [bo],
      bufferAfterMinutes: 10,
      maxAdvanceDays: 60,
    });
    expect((await t.request("GET", `/v1/admin/staff/${anna}`, { key: tenant.apiKey })).body.serviceIds).toEqual([]);
    expect((await t.request("PATCH", `/v1/admin/services/${id}`, { key: tenant.apiKey, body: {} })).body).toEqual(
      p2.body,
    );
  });

  it("soft-deletes: 204, then 404, gone from lists, from its staff and from the public catalog", async () => {
    const tenant = await t.createTenant();
    const anna = await createStaff(tenant);
    const id = await createService(tenant, { ...cut, staffIds: [anna] });
    await insertBooking(tenant, anna, id, "confirmed", -1);
    expect((await t.request("DELETE", `/v1/admin/services/${id}`, { key: tenant.apiKey })).status).toBe(204);
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await t.request(method, `/v1/admin/services/${id}`, {
        key: tenant.apiKey,
        ...(method === "PATCH" && { body: { name: "Back" } }),
      });
      expect(res.status).toBe(404);
    }
    expect((await t.request("GET", "/v1/admin/services", { key: tenant.apiKey })).body.data).toEqual([]);
    expect((await t.request("GET", `/v1/admin/staff/${anna}`, { key: tenant.apiKey })).body.serviceIds).toEqual([]);
    expect((await t.request("GET", `/v1/public/${tenant.slug}/catalog`)).body.services).toEqual([]);
  });

  it.each(["confirmed", "pending_payment"])(
    "refuses to delete a service with a future %s booking (409)",
    async (status) => {
      const tenant = await t.createTenant();
      const anna = await createStaff(tenant);
      const id = await createService(tenant, { ...cut, staffIds: [anna] });
      await insertBooking(tenant, anna, id, status, 2);
      const before = await snapshot(tenant.id);
      const res = await t.request("DELETE", `/v1/admin/services/${id}`, { key: tenant.apiKey });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("CONFLICT");
      expect(await snapshot(tenant.id)).toEqual(before);
    },
  );

  it("pages through services with a cursor and rejects a forged one", async () => {
    const tenant = await t.createTenant();
    const ids = [await createService(tenant), await createService(tenant), await createService(tenant)];
    const first = await t.request("GET", "/v1/admin/services?limit=2", { key: tenant.apiKey });
    expect(first.body.data).toHaveLength(2);
    const second = await t.request("GET", `/v1/admin/services?limit=2&cursor=${first.body.nextCursor}`, {
      key: tenant.apiKey,
    });
    expect(ServiceList.parse(second.body).nextCursor).toBeNull();
    expect([...first.body.data, ...second.body.data].map((s: { id: string }) => s.id).sort()).toEqual([...ids].sort());
    const forged = await t.request("GET", "/v1/admin/services?cursor=eyJub3QiOiJ0aGlzIn0", { key: tenant.apiKey });
    expect(forged.status).toBe(400);
  });
});

const bad: [string, { body?: unknown; raw?: string }][] = [
  ["malformed JSON", { raw: '{"name": "x",' }],
  ["wrong types", { body: { ...cut, durationMinutes: "45" } }],
  ["an unknown field", { body: { ...cut, colour: "red" } }],
  ["an unknown field in price", { body: { ...cut, price: { ...cut.price, tax: 0 } } }],
  ["a negative price", { body: { ...cut, price: { amount: -1, currency: "EUR" } } }],
  ["a fractional price", { body: { ...cut, price: { amount: 45.5, currency: "EUR" } } }],
  ["an unknown currency", { body: { ...cut, price: { amount: 4500, currency: "XYZ" } } }],
  ["a lower-case currency", { body: { ...cut, price: { amount: 4500, currency: "eur" } } }],
  ["another currency than the business's", { body: { ...cut, price: { amount: 4500, currency: "USD" } } }],
  ["a 4-minute duration", { body: { ...cut, durationMinutes: 4 } }],
  ["a duration over a day", { body: { ...cut, durationMinutes: 1441 } }],
  ["a 721-minute buffer", { body: { ...cut, bufferAfterMinutes: 721 } }],
  ["a negative buffer", { body: { ...cut, bufferBeforeMinutes: -5 } }],
  ["notice over a year", { body: { ...cut, minNoticeMinutes: 525_601 } }],
  ["max advance 0 days", { body: { ...cut, maxAdvanceDays: 0 } }],
  ["max advance 731 days", { body: { ...cut, maxAdvanceDays: 731 } }],
  ["a 4-minute step", { body: { ...cut, slotStepMinutes: 4 } }],
  ["a 0% deposit", { body: { ...cut, deposit: { percent: 0 } } }],
  ["a 101% deposit", { body: { ...cut, deposit: { percent: 101 } } }],
  ["a percent and an amount", { body: { ...cut, deposit: { percent: 10, amount: 100 } } }],
  ["a zero deposit amount", { body: { ...cut, deposit: { amount: 0 } } }],
  ["a deposit larger than the price", { body: { ...cut, deposit: { amount: 4501 } } }],
  ["an unknown staff id", { body: { ...cut, staffIds: ["stf_00000000000000000000"] } }],
  ["a repeated staff id", { body: { ...cut, staffIds: ["stf_00000000000000000000", "stf_00000000000000000000"] } }],
  ["a NUL in the description", { body: { ...cut, description: "a\u0000b" } }],
];

describe("services: errors change nothing", () => {
  it.each(bad)("POST with %s → 400", async (_n, opts) => {
    const tenant = await t.createTenant();
    const before = await snapshot(tenant.id);
    const res = await t.request("POST", "/v1/admin/services", { key: tenant.apiKey, ...opts });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(await snapshot(tenant.id)).toEqual(before);
  });

  it.each(bad)("PATCH with %s → 400", async (_n, opts) => {
    const tenant = await t.createTenant();
    const id = await createService(tenant);
    const before = await snapshot(tenant.id);
    const res = await t.request("PATCH", `/v1/admin/services/${id}`, { key: tenant.apiKey, ...opts });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(await snapshot(tenant.id)).toEqual(before);
  });

  it("checks a patched price against the existing deposit, and names the currency", async () => {
    const tenant = await t.createTenant({ currency: "GBP" });
    const id = await createService(tenant, {
      ...cut,
      price: { amount: 4500, currency: "GBP" },
      deposit: { amount: 2000 },
    });
    const before = await snapshot(tenant.id);
    const lower = await t.request("PATCH", `/v1/admin/services/${id}`, {
      key: tenant.apiKey,
      body: { price: { amount: 1999, currency: "GBP" } },
    });
    expect(lower.status).toBe(400);
    expect(lower.body.error.issues).toEqual([{ path: ["deposit", "amount"], message: "Larger than the price" }]);
    const euro = await t.request("POST", "/v1/admin/services", { key: tenant.apiKey, body: cut });
    expect(euro.status).toBe(400);
    expect(euro.body.error.issues[0].path).toEqual(["price", "currency"]);
    expect(await snapshot(tenant.id)).toEqual(before);
  });
});

describe("services: security", () => {
  it("answers 401 without a valid key", async () => {
    const tenant = await t.createTenant();
    const id = await createService(tenant);
    const before = await snapshot(tenant.id);
    for (const [method, path] of [
      ["GET", "/v1/admin/services"],
      ["POST", "/v1/admin/services"],
      ["GET", `/v1/admin/services/${id}`],
      ["PATCH", `/v1/admin/services/${id}`],
      ["DELETE", `/v1/admin/services/${id}`],
    ] as const) {
      const body = method === "POST" || method === "PATCH" ? cut : undefined;
      const res = await t.request(method, path, { ...(body && { body }) });
      expect(res.status).toBe(401);
    }
    expect(await snapshot(tenant.id)).toEqual(before);
  });

  it("treats another tenant's services and staff as unknown and changes nothing for either", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const bStaff = await createStaff(b, "Private Bob");
    const bSvc = await createService(b, { ...cut, staffIds: [bStaff] });
    const aSvc = await createService(a);
    const beforeA = await snapshot(a.id);
    const beforeB = await snapshot(b.id);
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await t.request(method, `/v1/admin/services/${bSvc}`, {
        key: a.apiKey,
        ...(method === "PATCH" && { body: { name: "Stolen" } }),
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    for (const [method, path] of [
      ["POST", "/v1/admin/services"],
      ["PATCH", `/v1/admin/services/${aSvc}`],
    ] as const) {
      const res = await t.request(method, path, { key: a.apiKey, body: { ...cut, staffIds: [bStaff] } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(bStaff);
      expect(JSON.stringify(res.body)).not.toContain("Private Bob");
    }
    expect(
      (await t.request("GET", "/v1/admin/services", { key: a.apiKey })).body.data.map((s: { id: string }) => s.id),
    ).toEqual([aSvc]);
    expect(await snapshot(a.id)).toEqual(beforeA);
    expect(await snapshot(b.id)).toEqual(beforeB);
  });
});
