// Notification spam (issue 10 §2): a booking's public cancel/reschedule is rate limited per booking and per caller
// address, and a customer may move one booking only as often as the tenant's policy allows.
import { readFileSync } from "node:fs";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../worker/src/app.ts";
import type { RateLimitBucket, RateLimiter } from "../worker/src/routes/types.ts";
import { useTestApp } from "./helpers/app.ts";
import { createSalon, customer, type Salon } from "./helpers/salon.ts";

/** The budgets wrangler.toml gives each binding (per 60 s), read from the file the worker deploys with. */
function configuredLimit(binding: string): number {
  const toml = readFileSync(new URL("../wrangler.toml", import.meta.url), "utf8");
  const m = new RegExp(`name = "${binding}"[^\\[]*?limit = (\\d+), period = 60`).exec(toml);
  if (!m) throw new Error(`${binding} is not configured`);
  return Number(m[1]);
}

/** Counts like a Workers rate-limit binding within one window (the test never crosses a minute of the fake). */
function windowLimiter(limits: Partial<Record<RateLimitBucket, number>>): RateLimiter & { reset(): void } {
  const used = new Map<string, number>();
  return {
    allow: async (bucket, key) => {
      const n = (used.get(`${bucket}/${key}`) ?? 0) + 1;
      used.set(`${bucket}/${key}`, n);
      return n <= (limits[bucket] ?? Number.POSITIVE_INFINITY);
    },
    reset: () => used.clear(),
  };
}

const t = useTestApp();
const limiter = windowLimiter({
  "manage-booking": configuredLimit("MANAGE_BOOKING_LIMITER"),
  "manage-address": configuredLimit("MANAGE_ADDRESS_LIMITER"),
});
beforeAll(() => {
  t.app = createApp({
    database: () => ({ db: t.database.db, release: async () => {} }),
    now: () => t.clock.now,
    config: { manageTokenSecret: "test-manage-token-secret-0123456789abcdef", publicBaseUrl: "http://bookra.test" },
    rateLimiter: limiter,
  });
});
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
  limiter.reset();
});

async function book(s: Salon, start: string, address = "192.0.2.1") {
  const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
    body: {
      serviceId: s.serviceId,
      staffId: s.staffIds[0],
      start,
      customer: customer(Math.random().toString(36).slice(2)),
    },
    headers: { "cf-connecting-ip": address },
  });
  expect(res.status).toBe(201);
  return { id: res.body.booking.id as string, token: res.body.manageToken as string };
}

const hourly = (n: number) => new Date(Date.parse("2027-03-02T09:00:00Z") + n * 3_600_000).toISOString();

function reschedule(s: Salon, b: { id: string; token: string }, start: string, address = "192.0.2.1") {
  return t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${b.id}/reschedule?token=${b.token}`, {
    body: { start },
    headers: { "cf-connecting-ip": address },
  });
}

describe("manage rate limits", () => {
  it("answers a booking's cancel/reschedule beyond its per-booking budget with 429 RATE_LIMITED and Retry-After", async () => {
    const s = await createSalon(t);
    const b = await book(s, hourly(0));
    const budget = configuredLimit("MANAGE_BOOKING_LIMITER");
    const answers = [];
    // from different addresses: the per-booking budget counts them together; a wrong token still counts
    for (let i = 0; i < budget; i++)
      answers.push(await reschedule(s, { ...b, token: "wrong" }, hourly(1), `198.51.100.${i}`));
    expect(answers.map((r) => r.status)).toEqual(Array(budget).fill(404));
    const limited = await reschedule(s, b, hourly(1), "198.51.100.99");
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    expect(limited.headers.get("retry-after")).toBe("60");
    const cancel = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${b.id}/cancel?token=${b.token}`);
    expect(cancel.status).toBe(429);
    const row = await t.database.admin("SELECT status, starts_at FROM bookings WHERE id = $1", [b.id]);
    expect(row[0]).toMatchObject({ status: "confirmed", starts_at: new Date(hourly(0)) });
    // reading the booking is never limited
    const view = await t.request("GET", `/v1/public/${s.tenant.slug}/bookings/${b.id}?token=${b.token}`);
    expect(view.status).toBe(200);
  });

  it("limits one address across bookings of a business", async () => {
    const s = await createSalon(t, { staff: 1 });
    const budget = configuredLimit("MANAGE_ADDRESS_LIMITER");
    const statuses = [];
    for (let i = 0; i <= budget; i++) {
      const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/bkg_missing${i}/cancel?token=x`, {
        headers: { "cf-connecting-ip": "203.0.113.77" },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, budget)).toEqual(Array(budget).fill(404));
    expect(statuses[budget]).toBe(429);
    const elsewhere = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/bkg_missing/cancel?token=x`, {
      headers: { "cf-connecting-ip": "203.0.113.78" },
    });
    expect(elsewhere.status).toBe(404);
  });
});

describe("reschedules per booking", () => {
  it("lets a customer move a booking 3 times, then answers 409 RESCHEDULE_LIMIT_REACHED and changes nothing", async () => {
    const s = await createSalon(t);
    const b = await book(s, hourly(0));
    for (let i = 1; i <= 3; i++) expect((await reschedule(s, b, hourly(i))).status).toBe(200);
    const fourth = await reschedule(s, b, hourly(5));
    expect(fourth.status).toBe(409);
    expect(fourth.body.error.code).toBe("RESCHEDULE_LIMIT_REACHED");
    const rows = await t.database.admin("SELECT starts_at FROM bookings WHERE id = $1", [b.id]);
    expect(rows[0]!.starts_at).toEqual(new Date(hourly(3)));
    const moves = await t.database.admin(
      "SELECT 1 FROM outbox WHERE aggregate_id = $1 AND event_type = 'booking.rescheduled'",
      [b.id],
    );
    expect(moves).toHaveLength(3);
    // the business may still move it
    const admin = await t.request("POST", `/v1/admin/bookings/${b.id}/reschedule`, {
      key: s.tenant.apiKey,
      body: { start: hourly(6) },
    });
    expect(admin.status).toBe(200);
  });

  it("follows the tenant's policy", async () => {
    const s = await createSalon(t);
    const patch = await t.request("PATCH", "/v1/admin/tenant", {
      key: s.tenant.apiKey,
      body: { policies: { reschedulesPerBooking: 1 } },
    });
    expect(patch.status).toBe(200);
    const b = await book(s, hourly(0));
    expect((await reschedule(s, b, hourly(1))).status).toBe(200);
    expect((await reschedule(s, b, hourly(2))).status).toBe(409);
  });
});
