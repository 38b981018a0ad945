// Slot hoarding (issue 10 §2): unpaid deposit holds are capped per customer e-mail and per client address in each
// tenant, inside the creating statement, so parallel requests cannot pass the cap on either booking path.
import { beforeEach, describe, expect, it } from "vitest";
import { useTestApp } from "./helpers/app.ts";
import { createSalon, type Salon } from "./helpers/salon.ts";

const t = useTestApp();
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
});

const depositSalon = (staff = 1) => createSalon(t, { staff, connected: true, service: { deposit: { percent: 20 } } });

/** The n-th start of 2027-03-02 (hourly from 09:00 UTC, cycling over the salon's staff). */
const startAt = (n: number) => new Date(Date.parse("2027-03-02T09:00:00Z") + (n % 8) * 3_600_000).toISOString();

function hold(s: Salon, n: number, email: string, address?: string, idempotencyKey?: string) {
  return t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
    body: {
      serviceId: s.serviceId,
      staffId: s.staffIds[Math.floor(n / 8) % s.staffIds.length],
      start: startAt(n),
      customer: { name: "Hoarder", email },
    },
    headers: {
      ...(address && { "cf-connecting-ip": address }),
      ...(idempotencyKey && { "idempotency-key": idempotencyKey }),
    },
  });
}

/** Sorted statuses, each refusal as its code (a 409 could also be a taken slot). */
const statuses = (rs: { status: number; body: any }[]) =>
  rs.map((r) => (r.status === 201 ? 201 : `${r.status} ${r.body.error.code}`)).sort();
const bookingsOf = async (s: Salon) =>
  (await t.database.admin("SELECT count(*)::int AS n FROM bookings WHERE tenant_id = $1", [s.tenant.id]))[0]!.n;

describe("open holds per customer e-mail", () => {
  it("refuses the third open hold of one e-mail with 409 TOO_MANY_HOLDS and stores nothing", async () => {
    const s = await depositSalon();
    expect((await hold(s, 0, "hoard@example.com")).status).toBe(201);
    const second = await hold(s, 1, " HOARD@example.com ", undefined, "second-hold-key-0123456789");
    expect(second.status).toBe(201); // normalised: the same address
    const third = await hold(s, 2, "hoard@example.com", undefined, "third-hold-key-0123456789");
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe("TOO_MANY_HOLDS");
    const anyStaff = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start: startAt(5), customer: { name: "Hoarder", email: "hoard@example.com" } },
    });
    expect(anyStaff.status).toBe(409); // "any staff" (book_first_free()) counts the same way
    // a retry of a hold that was made is its replay, not a new hold
    const replay = await hold(s, 1, " HOARD@example.com ", undefined, "second-hold-key-0123456789");
    expect(replay.status).toBe(201);
    expect(replay.body.booking.id).toBe(second.body.booking.id);
    expect(await bookingsOf(s)).toBe(2);
    const keys = await t.database.admin(
      "SELECT 1 FROM idempotency_keys WHERE tenant_id = $1 AND key = 'third-hold-key-0123456789'",
      [s.tenant.id],
    );
    expect(keys).toHaveLength(0);
    // another customer is not affected, and a lapsed hold stops counting
    expect((await hold(s, 3, "other@example.com")).status).toBe(201);
    t.clock.now = new Date("2027-03-01T08:16:00Z");
    expect((await hold(s, 4, "hoard@example.com")).status).toBe(201);
  });

  it("holds the cap under 10 parallel requests, on a cold and on a warm schedule (both booking paths)", async () => {
    for (const warm of [false, true]) {
      const s = await depositSalon(2);
      if (warm) expect((await hold(s, 15, "warm-up@example.com")).status).toBe(201);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => hold(s, i, "rush@example.com")));
      expect(statuses(results)).toEqual([201, 201, ...Array(8).fill("409 TOO_MANY_HOLDS")]);
      expect(await bookingsOf(s)).toBe(warm ? 3 : 2);
    }
  });

  it("is tunable per tenant through the policies", async () => {
    const s = await depositSalon();
    const patch = await t.request("PATCH", "/v1/admin/tenant", {
      key: s.tenant.apiKey,
      body: { policies: { openHoldsPerEmail: 4 } },
    });
    expect(patch.status).toBe(200);
    expect(patch.body.policies.openHoldsPerEmail).toBe(4);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await hold(s, i, "four@example.com"));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 409]);
    const bad = await t.request("PATCH", "/v1/admin/tenant", {
      key: s.tenant.apiKey,
      body: { policies: { openHoldsPerEmail: 0 } },
    });
    expect(bad.status).toBe(400);
  });

  it("does not cap bookings without a deposit (no hold) or the business's own bookings", async () => {
    const free = await createSalon(t);
    for (let i = 0; i < 4; i++) expect((await hold(free, i, "many@example.com")).status).toBe(201);
    const s = await depositSalon();
    for (let i = 0; i < 3; i++) {
      const res = await t.request("POST", "/v1/admin/bookings", {
        key: s.tenant.apiKey,
        body: {
          serviceId: s.serviceId,
          staffId: s.staffIds[0],
          start: startAt(i),
          customer: { name: "A", email: "a@example.com" },
        },
      });
      expect(res.status).toBe(201);
    }
  });
});

describe("open holds per client address", () => {
  it("refuses the fourth open hold from one address, whatever the e-mail, and stores only a hash of it", async () => {
    const s = await depositSalon();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await hold(s, i, `visitor${i}@example.com`, "203.0.113.9"));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 409]);
    expect(results[3]!.body.error.code).toBe("TOO_MANY_HOLDS");
    expect((await hold(s, 5, "visitor9@example.com", "198.51.100.4")).status).toBe(201);
    const stored = await t.database.admin<{ h: string | null }>(
      "SELECT client_address_hash AS h FROM bookings WHERE tenant_id = $1",
      [s.tenant.id],
    );
    expect(stored.every((r) => r.h && /^[0-9a-f]{64}$/.test(r.h) && !r.h.includes("203.0.113.9"))).toBe(true);
    // per tenant: the same address may hold in another business
    const other = await depositSalon();
    expect((await hold(other, 0, "visitor0@example.com", "203.0.113.9")).status).toBe(201);
  });

  it("holds the cap under 10 parallel requests with different e-mails, and is tunable", async () => {
    const s = await depositSalon(2);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => hold(s, i, `p${i}@example.com`, "203.0.113.50")),
    );
    expect(statuses(results)).toEqual([201, 201, 201, ...Array(7).fill("409 TOO_MANY_HOLDS")]);
    expect(await bookingsOf(s)).toBe(3);
    const patch = await t.request("PATCH", "/v1/admin/tenant", {
      key: s.tenant.apiKey,
      body: { policies: { openHoldsPerAddress: 4 } },
    });
    expect(patch.status).toBe(200);
    expect((await hold(s, 12, "p12@example.com", "203.0.113.50")).status).toBe(201);
    expect((await hold(s, 13, "p13@example.com", "203.0.113.50")).status).toBe(409);
  });
});
