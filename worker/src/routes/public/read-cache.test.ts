// The edge cache of the public reads (issue 15 item 3): exact by the database's versions. Every change that matters is
// seen by the very next request, a burst costs one heavy query, and an entry is never served for another business.
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { useTestApp } from "../../../../test/helpers/app.ts";
import { connectStripe, createSalon, customer, type Salon } from "../../../../test/helpers/salon.ts";
import { createApp } from "../../app.ts";
import { Availability } from "../../schemas/booking.ts";
import { Catalog } from "../../schemas/catalog.ts";
import { memoryReadCache, type PublicReadCache, type ReadCacheEntry } from "../../services/catalog/read-cache.ts";
import type { App } from "../types.ts";

const t = useTestApp();
const NOW = new Date("2027-03-01T08:00:00Z");
beforeEach(() => {
  t.clock.now = NOW;
});

const DAY = { from: "2027-03-02", to: "2027-03-02" };
const HIT = "bookra-edge; hit";
const STALE = "bookra-edge; fwd=stale";
const MISS = "bookra-edge; fwd=uri-miss";

const availabilityPath = (s: Salon, q: Record<string, string> = DAY) =>
  `/v1/public/${s.tenant.slug}/availability?${new URLSearchParams({ serviceId: s.serviceId, ...q })}`;

async function read(path: string, app: App = t.app) {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as any, cache: res.headers.get("cache-status") };
}

const starts = (body: unknown) => Availability.parse(body).slots.map((s) => s.start);

/** A cache that records what was put, around an in-memory one. */
function recordingCache() {
  const inner = memoryReadCache();
  const puts: string[] = [];
  const cache: PublicReadCache = {
    get: (key) => inner.get(key),
    put: async (key, entry) => {
      puts.push(key);
      await inner.put(key, entry);
    },
  };
  return { cache, inner, puts };
}

describe("availability from the edge cache", () => {
  it("serves the cached data until a booking or a cancellation, each seen by the very next request", async () => {
    const s = await createSalon(t);
    const first = await read(availabilityPath(s));
    expect([first.status, first.cache]).toEqual([200, MISS]);
    expect(starts(first.body)).toContain("2027-03-02T09:00:00Z");
    const again = await read(availabilityPath(s));
    expect(again).toEqual({ ...first, cache: HIT });

    const booked = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer() },
    });
    expect(booked.status).toBe(201);
    const afterBooking = await read(availabilityPath(s));
    expect(afterBooking.cache).toBe(STALE);
    expect(starts(afterBooking.body)).not.toContain("2027-03-02T09:00:00Z");
    expect((await read(availabilityPath(s))).cache).toBe(HIT);
    // A booking is not a catalog change: the catalog's entry stays valid.
    expect((await read(`/v1/public/${s.tenant.slug}/catalog`)).cache).toBe(MISS);
    expect((await read(`/v1/public/${s.tenant.slug}/catalog`)).cache).toBe(HIT);

    const cancelled = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${booked.body.booking.id}/cancel`, {
      headers: { authorization: `Bearer ${booked.body.manageToken}` },
    });
    expect(cancelled.status).toBe(200);
    const afterCancel = await read(availabilityPath(s));
    expect(afterCancel.cache).toBe(STALE);
    expect(afterCancel.body).toEqual(first.body);
    expect((await read(`/v1/public/${s.tenant.slug}/catalog`)).cache).toBe(HIT);
  });

  it("shows a lapsed hold's slot again from the cached data, with no write at all (the engine runs on the request's clock)", async () => {
    const s = await createSalon(t, { connected: true, service: { deposit: { percent: 20 } } });
    const held = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer() },
    });
    expect(held.body.booking.status).toBe("pending_payment");
    const whileHeld = await read(availabilityPath(s));
    expect(starts(whileHeld.body)).not.toContain("2027-03-02T09:00:00Z");
    expect((await read(availabilityPath(s))).cache).toBe(HIT);

    t.clock.now = new Date(Date.parse(held.body.booking.holdExpiresAt) + 1_000);
    const lapsed = await read(availabilityPath(s));
    expect(lapsed.cache).toBe(HIT);
    expect(starts(lapsed.body)).toContain("2027-03-02T09:00:00Z");
    const [row] = await t.database.admin("SELECT status FROM bookings WHERE id = $1", [held.body.booking.id]);
    expect(row?.status).toBe("pending_payment");
  });

  it("sees a schedule change (a day off) on the very next request", async () => {
    const s = await createSalon(t);
    expect(starts((await read(availabilityPath(s))).body).length).toBeGreaterThan(0);
    expect((await read(availabilityPath(s))).cache).toBe(HIT);
    const off = await t.request("PUT", `/v1/admin/staff/${s.staffIds[0]}/overrides/2027-03-02`, {
      key: s.tenant.apiKey,
      body: { intervals: [] },
    });
    expect(off.status).toBe(200);
    const next = await read(availabilityPath(s));
    expect(next.cache).toBe(STALE);
    expect(starts(next.body)).toEqual([]);
  });

  it("costs one heavy query for a burst: the rest are answered from the cache after one version check each", async () => {
    const s = await createSalon(t, { staff: 2 });
    const week = { from: "2027-03-02", to: "2027-03-08" };
    const first = await read(availabilityPath(s, week));
    expect(first.cache).toBe(MISS);
    const burst = await Promise.all(Array.from({ length: 20 }, () => read(availabilityPath(s, week))));
    expect(burst.map((r) => r.cache)).toEqual(Array(20).fill(HIT));
    for (const r of burst) expect(r.body).toEqual(first.body);
    // Another window is another entry.
    expect((await read(availabilityPath(s, DAY))).cache).toBe(MISS);
  });
});

describe("catalog from the edge cache", () => {
  it("sees a new service, branding, name, profile, a staff bio and payments readiness on the very next request", async () => {
    const s = await createSalon(t, { service: { deposit: { percent: 20 } } });
    const path = `/v1/public/${s.tenant.slug}/catalog`;
    const key = s.tenant.apiKey;
    expect((await read(path)).cache).toBe(MISS);
    expect((await read(path)).cache).toBe(HIT);
    const changes: [string, () => Promise<unknown>, (c: Catalog) => unknown, unknown][] = [
      [
        "service",
        () =>
          t.request("POST", "/v1/admin/services", {
            key,
            body: { name: "Colour", durationMinutes: 90, price: { amount: 9000, currency: "EUR" }, staffIds: [] },
          }),
        (c) => c.services.map((x) => x.name),
        ["Cut", "Colour"],
      ],
      [
        "branding",
        () => t.request("PATCH", "/v1/admin/tenant", { key, body: { branding: { primaryColor: "#112233" } } }),
        (c) => c.tenant.branding,
        { primaryColor: "#112233" },
      ],
      [
        "name",
        () => t.request("PATCH", "/v1/admin/tenant", { key, body: { name: "Renamed" } }),
        (c) => c.tenant.name,
        "Renamed",
      ],
      [
        "profile",
        () => t.request("PATCH", "/v1/admin/tenant", { key, body: { profile: { about: "New Town" } } }),
        (c) => c.profile.about,
        "New Town",
      ],
      [
        "bio",
        () => t.request("PATCH", `/v1/admin/staff/${s.staffIds[0]}`, { key, body: { bio: "Colourist." } }),
        (c) => c.staff[0]?.bio,
        "Colourist.",
      ],
      ["payments", () => connectStripe(t, s.tenant.id), (c) => c.services[0]?.bookableOnline, true],
    ];
    for (const [name, change, pick, expected] of changes) {
      const res = (await change()) as { status: number; body: unknown } | undefined;
      expect(res?.status ?? 200, `${name}: ${JSON.stringify(res?.body)}`).toBeLessThan(300);
      const next = await read(path);
      expect([name, next.cache, pick(Catalog.parse(next.body))]).toEqual([name, STALE, expected]);
      expect([name, (await read(path)).cache]).toEqual([name, HIT]);
    }
  });
});

describe("the bookings version", () => {
  it("is renewed once by a transaction that changes bookings, at its COMMIT, and not by one that rolls back", async () => {
    const s = await createSalon(t, { staff: 2 });
    for (const [i, start] of ["2027-03-02T09:00:00Z", "2027-03-02T11:00:00Z"].entries()) {
      const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
        body: { serviceId: s.serviceId, start, customer: customer(i) },
      });
      expect(res.status).toBe(201);
    }
    const version = async () =>
      (await t.database.admin("SELECT version FROM booking_versions WHERE tenant_id = $1", [s.tenant.id]))[0]?.version;
    const before = await version();
    expect(before).toEqual(expect.any(String));
    const insideTx = await t.database.db.withTenantTx(s.tenant.id, async (tx) => {
      const touched = await tx.execute(sql`UPDATE bookings SET updated_at = updated_at RETURNING id`);
      expect(touched.rows).toHaveLength(2);
      return (await tx.execute(sql`SELECT version FROM booking_versions`)).rows[0]?.version;
    });
    // Not yet renewed inside the transaction (the row is locked only while committing); renewed by the commit.
    expect(insideTx).toBe(before);
    const after = await version();
    expect(after).not.toBe(before);
    await expect(
      t.database.db.withTenantTx(s.tenant.id, async (tx) => {
        await tx.execute(sql`UPDATE bookings SET updated_at = updated_at`);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await version()).toBe(after);
    // Branding is not a booking: the availability stamp stays.
    const stamp = () => t.database.db.read({ tenantId: s.tenant.id }, [sql`SELECT availability_version() AS v`]);
    const stampBefore = await stamp();
    await t.request("PATCH", "/v1/admin/tenant", {
      key: s.tenant.apiKey,
      body: { branding: { primaryColor: "#abcdef" } },
    });
    expect(await stamp()).toEqual(stampBefore);
  });
});

describe("one round trip", () => {
  it("reads each in one Database.read (slug resolved inside it): no separate look-up, no interactive transaction", async () => {
    const s = await createSalon(t);
    const db = t.database.db;
    const spies = [vi.spyOn(db, "read"), vi.spyOn(db, "tenantIdForSlug"), vi.spyOn(db, "withTenantTx")];
    try {
      for (const path of [`/v1/public/${s.tenant.slug}/catalog`, availabilityPath(s), "/v1/public/no-such-one/catalog"])
        for (const round of [1, 2]) {
          for (const spy of spies) spy.mockClear();
          await read(path);
          expect([path, round, ...spies.map((spy) => spy.mock.calls.length)]).toEqual([path, round, 1, 0, 0]);
        }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe("what the cache may never do", () => {
  it("gives the same responses with and without the cache", async () => {
    const s = await createSalon(t, {
      staff: 2,
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
      service: { durationMinutes: 5, slotStepMinutes: 5 },
    });
    await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer() },
    });
    const uncached = t.withConfig({}, { publicReadCache: null });
    const week = { from: "2027-03-02", to: "2027-03-08" };
    const paths = [
      `/v1/public/${s.tenant.slug}/catalog`,
      availabilityPath(s, week),
      availabilityPath(s, { ...week, staffId: s.staffIds[1]!, timezone: "America/New_York" }),
    ];
    const page = await read(availabilityPath(s, week), uncached);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    paths.push(availabilityPath(s, { ...week, cursor: page.body.nextCursor }));
    for (const path of paths) {
      await read(path);
      const cached = await read(path);
      const plain = await read(path, uncached);
      expect([path, cached.cache, plain.cache]).toEqual([path, HIT, MISS]);
      expect(cached.body).toEqual(plain.body);
    }
  });

  it("answers an unknown business with 404 and caches nothing; a malformed slug is a 404 without a query", async () => {
    const { cache, puts } = recordingCache();
    const app = t.withConfig({}, { publicReadCache: cache });
    for (const path of [
      "/v1/public/no-such-business/catalog",
      "/v1/public/no-such-business/availability?serviceId=svc_x&from=2027-03-02&to=2027-03-02",
    ]) {
      const res = await read(path, app);
      expect([res.status, res.body.error.code]).toEqual([404, "NOT_FOUND"]);
    }
    expect(puts).toEqual([]);
    // An app whose database throws on any use: a slug that cannot exist is refused before the database is touched.
    const untouchable = createApp({
      database: () => ({
        db: new Proxy({} as never, {
          get: (_target, name) => {
            if (name === "takeCommittedOutbox") return () => [];
            throw new Error("the database was used");
          },
        }),
        release: async () => {},
      }),
      now: () => t.clock.now,
      config: { manageTokenSecret: "test-manage-token-secret-0123456789abcdef", publicBaseUrl: "http://bookra.test" },
      publicReadCache: cache,
    });
    for (const path of [
      "/v1/public/Not_A_Slug/catalog",
      "/v1/public/x/availability?serviceId=s&from=2027-03-02&to=2027-03-02",
    ]) {
      const res = await untouchable.request(path);
      expect(res.status).toBe(404);
    }
  });

  it("never serves one business's entry for another's slug, even when the other's key holds it", async () => {
    const { cache, inner, puts } = recordingCache();
    const app = t.withConfig({}, { publicReadCache: cache });
    const a = await createSalon(t);
    const b = await createSalon(t, {
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "12:00", end: "14:00" })),
    });
    const pathsOf = (s: Salon) => [`/v1/public/${s.tenant.slug}/catalog`, availabilityPath(s)];
    const truth = [];
    for (const path of pathsOf(b)) truth.push(await read(path, app));
    const keysOfB = puts.splice(0);
    for (const path of pathsOf(a)) expect((await read(path, app)).status).toBe(200);
    const keysOfA = puts.splice(0);
    expect([keysOfA.length, keysOfB.length]).toEqual([2, 2]);
    // Poison b's keys with a's entries (as a slug given up by one business and taken by another would find them).
    for (const [i, key] of keysOfB.entries()) await inner.put(key, (await inner.get(keysOfA[i]!)) as ReadCacheEntry);
    const again = [];
    for (const path of pathsOf(b)) again.push(await read(path, app));
    expect(again).toEqual(truth.map((r) => ({ ...r, cache: STALE })));
    expect(again[0]?.body.tenant.slug).toBe(b.tenant.slug);
    expect(starts(again[1]?.body)).not.toEqual(starts((await read(availabilityPath(a), app)).body));
  });

  it("falls back to the database when the cache fails, and never fails the request", async () => {
    const s = await createSalon(t);
    const broken: PublicReadCache = {
      get: async () => {
        throw new Error("cache down");
      },
      put: () => Promise.reject(new Error("cache down")),
    };
    const app = t.withConfig({}, { publicReadCache: broken });
    for (const path of [`/v1/public/${s.tenant.slug}/catalog`, availabilityPath(s)]) {
      const res = await read(path, app);
      expect([res.status, res.cache]).toEqual([200, MISS]);
      expect(res.body).toEqual((await read(path, t.withConfig({}, { publicReadCache: null }))).body);
    }
  });
});
