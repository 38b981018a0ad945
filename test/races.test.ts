// Concurrency proven for real: many requests at once over separate Postgres connections; the exclusion constraint decides.
import { beforeEach, describe, expect, it } from "vitest";
import { useTestApp } from "./helpers/app.ts";
import { createSalon, customer } from "./helpers/salon.ts";

const t = useTestApp();
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
});

const book = (slug: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
  t.request("POST", `/v1/public/${slug}/bookings`, { body, ...(headers && { headers }) });

function statusCounts(results: { status: number }[]) {
  const counts: Record<number, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

async function connectionsOpen(): Promise<number> {
  const rows = await t.database.admin(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND usename = 'bookra_worker'",
  );
  return rows[0]!.n;
}

describe("races against the real database", () => {
  it("50 concurrent requests for one slot: exactly one 201 and 49 × 409", async () => {
    const s = await createSalon(t);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        book(s.tenant.slug, {
          serviceId: s.serviceId,
          staffId: s.staffIds[0],
          start: "2027-03-02T10:00:00Z",
          customer: customer(`r${i}`),
        }),
      ),
    );
    expect(statusCounts(results)).toEqual({ 201: 1, 409: 50 - 1 });
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe("SLOT_UNAVAILABLE");
    expect(await t.database.admin("SELECT 1 FROM bookings WHERE tenant_id = $1", [s.tenant.id])).toHaveLength(1);
    expect(await connectionsOpen()).toBeGreaterThanOrEqual(10); // the requests really ran on parallel connections
  });

  it("concurrent overlapping starts: the winners never overlap", async () => {
    const s = await createSalon(t, { service: { bufferAfterMinutes: 10 } });
    const starts = Array.from({ length: 20 }, (_, i) =>
      new Date(Date.parse("2027-03-02T09:00:00Z") + i * 15 * 60_000).toISOString().replace(".000", ""),
    );
    const results = await Promise.all(
      [...starts, ...starts].map((start, i) =>
        book(s.tenant.slug, { serviceId: s.serviceId, staffId: s.staffIds[0], start, customer: customer(`o${i}`) }),
      ),
    );
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const rows = await t.database.admin<{ blocked_from: Date; blocked_until: Date }>(
      "SELECT blocked_from, blocked_until FROM bookings WHERE tenant_id = $1 ORDER BY blocked_from",
      [s.tenant.id],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.length).toBe(results.filter((r) => r.status === 201).length);
    for (let i = 1; i < rows.length; i++)
      expect(rows[i]!.blocked_from.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.blocked_until.getTime());
  });

  it('"any staff" with 3 free staff and 30 concurrent requests: exactly 3 bookings on 3 different staff', async () => {
    const s = await createSalon(t, { staff: 3 });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        book(s.tenant.slug, { serviceId: s.serviceId, start: "2027-03-02T14:00:00Z", customer: customer(`a${i}`) }),
      ),
    );
    expect(statusCounts(results)).toEqual({ 201: 3, 409: 27 });
    const staff = await t.database.admin<{ id: string; staff_id: string; payload: { staffId: string } }>(
      `SELECT b.id, b.staff_id, o.payload FROM bookings b JOIN outbox o ON o.aggregate_id = b.id
       WHERE b.tenant_id = $1 AND o.event_type = 'booking.created'`,
      [s.tenant.id],
    );
    expect(new Set(staff.map((r) => r.staff_id))).toEqual(new Set(s.staffIds));
    // Each winner's answer, row and outbox event name the same person (the database chose among the candidates).
    for (const r of results.filter((x) => x.status === 201)) {
      const row = staff.find((x) => x.id === r.body.booking.id);
      expect(row?.staff_id).toBe(r.body.booking.staffId);
      expect(row?.payload.staffId).toBe(r.body.booking.staffId);
    }
  });

  it("concurrent reschedules into one slot: one wins, the others keep their own time", async () => {
    const s = await createSalon(t);
    const created = [];
    for (let i = 0; i < 8; i++) {
      const r = await book(s.tenant.slug, {
        serviceId: s.serviceId,
        staffId: s.staffIds[0],
        start: `2027-03-03T${String(9 + i).padStart(2, "0")}:00:00Z`,
        customer: customer(`m${i}`),
      });
      expect(r.status).toBe(201);
      created.push(r.body);
    }
    const target = "2027-03-02T12:00:00Z";
    const results = await Promise.all(
      created.map((c) =>
        t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${c.booking.id}/reschedule`, {
          headers: { authorization: `Bearer ${c.manageToken}` },
          body: { start: target },
        }),
      ),
    );
    expect(statusCounts(results)).toEqual({ 200: 1, 409: 7 });
    const rows = await t.database.admin<{ id: string; starts_at: Date; status: string }>(
      "SELECT id, starts_at, status FROM bookings WHERE tenant_id = $1",
      [s.tenant.id],
    );
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.starts_at.toISOString() === "2027-03-02T12:00:00.000Z")).toHaveLength(1);
    expect(rows.every((r) => r.status === "confirmed")).toBe(true);
  });

  it("the same Idempotency-Key sent concurrently creates one booking and every answer is that booking", async () => {
    const s = await createSalon(t, { staff: 2 });
    const body = { serviceId: s.serviceId, start: "2027-03-02T15:00:00Z", customer: customer("same") };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => book(s.tenant.slug, body, { "idempotency-key": "checkout-7f3a9c2e1b4d6a8f0e" })),
    );
    expect(statusCounts(results)).toEqual({ 201: 20 });
    expect(new Set(results.map((r) => r.body.booking.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.manageToken)).size).toBe(1);
    expect(await t.database.admin("SELECT 1 FROM bookings WHERE tenant_id = $1", [s.tenant.id])).toHaveLength(1);
  });
});
