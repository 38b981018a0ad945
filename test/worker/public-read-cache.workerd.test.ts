// The public reads' edge cache in the real bundle: workerd's Cache API (caches.default) behind the worker, validated
// on every request against the database's versions (migrations/0029) in the read's one round trip.
import { beforeAll, describe, expect, it } from "vitest";
import { randomString } from "../../worker/src/lib/ids.ts";
import { useWorker } from "../helpers/worker.ts";

const w = useWorker();

const HIT = "bookra-edge; hit";
const STALE = "bookra-edge; fwd=stale";
const MISS = "bookra-edge; fwd=uri-miss";

async function read(path: string) {
  const res = await w.fetch(path);
  return { status: res.status, body: (await res.json()) as any, cache: res.headers.get("cache-status") };
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await w.fetch(path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

interface Business {
  slug: string;
  key: string;
  serviceId: string;
  staffId: string;
}

async function business(hours = { start: "00:00", end: "24:00" }): Promise<Business> {
  const slug = `pc-${randomString(10)}`;
  const signup = await call("POST", "/v1/signup", {
    businessName: "Cached Cuts",
    slug,
    timezone: "UTC",
    currency: "EUR",
    ownerEmail: `${slug}@example.com`,
    ownerPassword: "long enough password",
  });
  expect(signup.status).toBe(201);
  const auth = { authorization: `Bearer ${signup.body.apiKey}` };
  const service = await call(
    "POST",
    "/v1/admin/services",
    { name: "Cut", durationMinutes: 60, price: { amount: 5000, currency: "EUR" }, slotStepMinutes: 60, staffIds: [] },
    auth,
  );
  expect(service.status).toBe(201);
  const weeklyHours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, ...hours }));
  const staff = await call(
    "POST",
    "/v1/admin/staff",
    { name: "Ana", commissionBps: 0, serviceIds: [service.body.id], weeklyHours },
    auth,
  );
  expect(staff.status).toBe(201);
  return { slug, key: signup.body.apiKey, serviceId: service.body.id, staffId: staff.body.id };
}

/** Two days ahead (UTC): clear of any notice period, whatever the time of day the test runs. */
const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const slotsPath = (b: Business) =>
  `/v1/public/${b.slug}/availability?${new URLSearchParams({ serviceId: b.serviceId, from: day, to: day })}`;
const starts = (body: { slots: { start: string }[] }) => body.slots.map((s) => s.start);

let a: Business;
beforeAll(async () => {
  a = await business();
});

describe("public reads cached in workerd", () => {
  it("serves a burst from the cache, and the very next request after a booking, a cancellation or a day off sees it", async () => {
    const first = await read(slotsPath(a));
    expect([first.status, first.cache]).toEqual([200, MISS]);
    expect(starts(first.body)).toHaveLength(24);
    const burst = await Promise.all(Array.from({ length: 10 }, () => read(slotsPath(a))));
    expect(burst.map((r) => r.cache)).toEqual(Array(10).fill(HIT));
    for (const r of burst) expect(r.body).toEqual(first.body);

    const start = `${day}T10:00:00Z`;
    const booked = await call("POST", `/v1/public/${a.slug}/bookings`, {
      serviceId: a.serviceId,
      start,
      customer: { name: "Customer", email: "customer@example.com" },
    });
    expect(booked.status).toBe(201);
    const afterBooking = await read(slotsPath(a));
    expect(afterBooking.cache).toBe(STALE);
    expect(starts(afterBooking.body)).not.toContain(start);
    expect((await read(slotsPath(a))).cache).toBe(HIT);

    const cancelled = await call("POST", `/v1/public/${a.slug}/bookings/${booked.body.booking.id}/cancel`, undefined, {
      authorization: `Bearer ${booked.body.manageToken}`,
    });
    expect(cancelled.status).toBe(200);
    const afterCancel = await read(slotsPath(a));
    expect(afterCancel.cache).toBe(STALE);
    expect(afterCancel.body).toEqual(first.body);

    const off = await call(
      "PUT",
      `/v1/admin/staff/${a.staffId}/overrides/${day}`,
      { intervals: [] },
      {
        authorization: `Bearer ${a.key}`,
      },
    );
    expect(off.status).toBe(200);
    const afterDayOff = await read(slotsPath(a));
    expect([afterDayOff.cache, afterDayOff.body.slots]).toEqual([STALE, []]);
  });

  it("sees a new service and new branding on the very next catalog request", async () => {
    const b = await business();
    const path = `/v1/public/${b.slug}/catalog`;
    expect((await read(path)).cache).toBe(MISS);
    expect((await read(path)).cache).toBe(HIT);
    const auth = { authorization: `Bearer ${b.key}` };
    const added = await call(
      "POST",
      "/v1/admin/services",
      { name: "Colour", durationMinutes: 90, price: { amount: 9000, currency: "EUR" }, staffIds: [] },
      auth,
    );
    expect(added.status).toBe(201);
    const withService = await read(path);
    expect([withService.cache, withService.body.services.map((s: { name: string }) => s.name)]).toEqual([
      STALE,
      ["Cut", "Colour"],
    ]);
    expect((await call("PATCH", "/v1/admin/tenant", { branding: { primaryColor: "#112233" } }, auth)).status).toBe(200);
    const branded = await read(path);
    expect([branded.cache, branded.body.tenant.branding]).toEqual([STALE, { primaryColor: "#112233" }]);
    expect((await read(path)).cache).toBe(HIT);
  });

  it("answers an unknown business with 404 every time (nothing cached) and keeps each business's entries apart", async () => {
    for (let i = 0; i < 2; i++) {
      const missing = await read(`/v1/public/pc-no-such-${a.slug}/catalog`);
      expect([missing.status, missing.cache]).toEqual([404, null]);
    }
    const c = await business({ start: "09:00", end: "12:00" });
    const ofC = await read(slotsPath(c));
    expect(starts(ofC.body)).toHaveLength(3);
    const catalogOfC = await read(`/v1/public/${c.slug}/catalog`);
    expect(catalogOfC.body.tenant.slug).toBe(c.slug);
    expect(catalogOfC.body.services.map((s: { id: string }) => s.id)).toEqual([c.serviceId]);
  });
});
