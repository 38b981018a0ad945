// What one request costs the database, counted by the loopback proxy that stands where Neon's endpoint stands: the
// connections the worker (the real bundle in workerd) opens and the round trips it waits for. The public hot paths
// are one round trip each — the catalog, availability, and a booking on a known schedule — and no request opens more
// than one connection (SQL over HTTP rides on a connection the runtime keeps alive).
import { beforeAll, describe, expect, it } from "vitest";
import { randomString } from "../../worker/src/lib/ids.ts";
import { proxyStats } from "../helpers/proxy-stats.ts";
import { useWorker } from "../helpers/worker.ts";

const w = useWorker();

interface Cost {
  status: number;
  body: any;
  connections: number;
  roundTrips: number;
  webSockets: number;
}

/** The HTTP API's own traffic: the queue consumer and the cron sweeps connect as other application_names. */
const stats = () => proxyStats(w.database.proxyPort, w.database.name, "bookra-api");

/** One request, and what it cost the database (requests run one at a time). */
async function cost(path: string, init?: { method: string; body: unknown; key?: string }): Promise<Cost> {
  const before = await stats();
  const res = await w.fetch(path, {
    method: init?.method ?? "GET",
    headers: {
      "content-type": "application/json",
      ...(init?.key && { authorization: `Bearer ${init.key}` }),
    },
    ...(init && { body: JSON.stringify(init.body) }),
  });
  const body = await res.json();
  const after = await stats();
  return {
    status: res.status,
    body,
    connections: after.connections - before.connections,
    roundTrips: after.roundTrips - before.roundTrips,
    webSockets: after.webSockets - before.webSockets,
  };
}

const slug = `rt-${randomString(10)}`;
let key: string;
let serviceId: string;
let staffId: string;

/** A weekday 09:00 UTC at least a week ahead (the business works 00:00–24:00 every day, UTC). */
function startOn(dayOffset: number, hour: number): string {
  const d = new Date(Date.now() + dayOffset * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:00:00Z`;
}

beforeAll(async () => {
  const signup = await cost("/v1/signup", {
    method: "POST",
    body: {
      businessName: "Round Trips",
      slug,
      timezone: "UTC",
      currency: "EUR",
      ownerEmail: `${slug}@example.com`,
      ownerPassword: "long enough password",
    },
  });
  expect(signup.status).toBe(201);
  key = signup.body.apiKey;
  const service = await cost("/v1/admin/services", {
    method: "POST",
    key,
    body: { name: "Cut", durationMinutes: 60, price: { amount: 0, currency: "EUR" }, staffIds: [] },
  });
  serviceId = service.body.id;
  const staff = await cost("/v1/admin/staff", {
    method: "POST",
    key,
    body: {
      name: "Ana",
      commissionBps: 0,
      serviceIds: [serviceId],
      weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
    },
  });
  staffId = staff.body.id;
});

describe("database round trips per request (workerd, counted by the proxy)", () => {
  it("the catalog: one round trip, at most one connection", async () => {
    await cost(`/v1/public/${slug}/catalog`); // the runtime's connection to the endpoint, kept alive from here on
    const read = await cost(`/v1/public/${slug}/catalog`);
    expect(read.status).toBe(200);
    expect(read.body.services.map((s: { id: string }) => s.id)).toEqual([serviceId]);
    expect(read).toMatchObject({ roundTrips: 1, webSockets: 0 });
    expect(read.connections).toBeLessThanOrEqual(1);
  });

  it("availability: one round trip, at most one connection", async () => {
    const day = startOn(8, 0).slice(0, 10);
    const read = await cost(`/v1/public/${slug}/availability?serviceId=${serviceId}&from=${day}&to=${day}`);
    expect(read.status).toBe(200);
    expect(read.body.slots.length).toBeGreaterThan(0);
    expect(read).toMatchObject({ roundTrips: 1, webSockets: 0 });
    expect(read.connections).toBeLessThanOrEqual(1);
  });

  it("a booking on a known schedule: one round trip; the first one loads the schedule", async () => {
    const book = (start: string, n: number) =>
      cost(`/v1/public/${slug}/bookings`, {
        method: "POST",
        body: { serviceId, staffId, start, customer: { name: `C ${n}`, email: `c${n}@example.com` } },
      });
    const first = await book(startOn(9, 10), 1);
    expect(first.status).toBe(201);
    const second = await book(startOn(9, 12), 2);
    expect(second.status).toBe(201);
    expect(second).toMatchObject({ roundTrips: 1, webSockets: 0 });
    expect(second.connections).toBeLessThanOrEqual(1);
    // The slot is taken: the same one round trip answers 409.
    const taken = await book(startOn(9, 12), 3);
    expect(taken).toMatchObject({ status: 409, roundTrips: 1 });
  });

  it("no request opens more than one connection, reads and writes alike", async () => {
    const day = startOn(10, 0).slice(0, 10);
    const requests: [string, { method: string; body: unknown; key?: string }?][] = [
      [`/v1/public/${slug}/catalog`],
      [`/v1/public/${slug}/availability?serviceId=${serviceId}&from=${day}&to=${day}`],
      ["/v1/admin/bookings?limit=5", undefined],
      [
        `/v1/public/${slug}/bookings`,
        { method: "POST", body: { serviceId, start: startOn(10, 9), customer: { name: "D", email: "d@example.com" } } },
      ],
    ];
    for (const [path, init] of requests) {
      const c = await cost(
        path,
        init ?? (path.startsWith("/v1/admin") ? { method: "GET", body: undefined, key } : undefined),
      );
      expect(c.status, path).toBeLessThan(300);
      expect(c.connections, path).toBeLessThanOrEqual(1);
    }
  });
});
