// /v1/admin/outbox and the after-commit relay, in-process on the real database with a recording queue.
import { beforeEach, describe, expect, it } from "vitest";
import { OutboxItem, OutboxList } from "../../worker/src/schemas/outbox.ts";
import { useTestApp } from "../helpers/app.ts";
import { createSalon, customer } from "../helpers/salon.ts";
import { withOutboxQueue } from "./helpers.ts";

const t = useTestApp();
const queue = withOutboxQueue(t);
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
  queue.sent.length = 0;
});

async function bookedSalon() {
  const s = await createSalon(t);
  const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
    body: { serviceId: s.serviceId, staffId: s.staffIds[0], start: "2027-03-02T10:00:00Z", customer: customer() },
  });
  expect(res.status).toBe(201);
  const [evt] = await t.database.admin<{ id: string }>("SELECT id FROM outbox WHERE tenant_id = $1", [s.tenant.id]);
  return { ...s, bookingId: res.body.booking.id as string, outboxId: evt!.id };
}

const setStatus = (id: string, status: string, lastError: string | null = null) =>
  t.database.admin("UPDATE outbox SET status = $2, attempts = 3, last_error = $3 WHERE id = $1", [
    id,
    status,
    lastError,
  ]);

describe("after-commit relay", () => {
  it("sends the booking's outbox id once the transaction committed", async () => {
    const s = await bookedSalon();
    expect(queue.sent).toContainEqual({ outboxId: s.outboxId, tenantId: s.tenant.id });
  });

  it("sends nothing for a request whose transaction rolled back (a taken slot)", async () => {
    const s = await bookedSalon();
    queue.sent.length = 0;
    const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, staffId: s.staffIds[0], start: "2027-03-02T10:00:00Z", customer: customer(2) },
    });
    expect(res.status).toBe(409);
    expect(queue.sent).toEqual([]);
  });

  it("sends the cancellation's event too", async () => {
    const s = await bookedSalon();
    queue.sent.length = 0;
    const res = await t.request("POST", `/v1/admin/bookings/${s.bookingId}/cancel`, { key: s.tenant.apiKey });
    expect(res.status).toBe(200);
    const [evt] = await t.database.admin<{ id: string }>(
      "SELECT id FROM outbox WHERE aggregate_id = $1 AND event_type = 'booking.cancelled'",
      [s.bookingId],
    );
    expect(queue.sent).toEqual([{ outboxId: evt!.id, tenantId: s.tenant.id }]);
  });
});

describe("GET /v1/admin/outbox", () => {
  it("lists rows not yet done, filters by status and paginates", async () => {
    const s = await bookedSalon();
    await t.request("POST", `/v1/admin/bookings/${s.bookingId}/cancel`, { key: s.tenant.apiKey });
    await setStatus(s.outboxId, "dead", "customer-email: provider is down");
    const all = await t.request("GET", "/v1/admin/outbox", { key: s.tenant.apiKey });
    expect(all.status).toBe(200);
    expect(
      OutboxList.parse(all.body)
        .data.map((r) => r.status)
        .sort(),
    ).toEqual(["dead", "pending"]);
    const dead = await t.request("GET", "/v1/admin/outbox?status=dead", { key: s.tenant.apiKey });
    expect(dead.body.data).toEqual([
      OutboxItem.parse({
        id: s.outboxId,
        type: "booking.created",
        aggregateId: s.bookingId,
        status: "dead",
        attempts: 3,
        lastError: "customer-email: provider is down",
        createdAt: dead.body.data[0].createdAt,
        processedAt: null,
      }),
    ]);
    const page1 = await t.request("GET", "/v1/admin/outbox?limit=1", { key: s.tenant.apiKey });
    expect(page1.body.data).toHaveLength(1);
    const page2 = await t.request("GET", `/v1/admin/outbox?limit=1&cursor=${page1.body.nextCursor}`, {
      key: s.tenant.apiKey,
    });
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.data[0].id).not.toBe(page1.body.data[0].id);
    expect(page2.body.nextCursor).toBeNull();
  });

  it.each([["status=done"], ["status=nope"], ["limit=0"], ["cursor=%%%"]])("rejects %s with 400", async (q) => {
    const s = await createSalon(t);
    const res = await t.request("GET", `/v1/admin/outbox?${q}`, { key: s.tenant.apiKey });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
  });
});

describe("POST /v1/admin/outbox/{id}/retry", () => {
  it.each(["dead", "failed"])("puts a %s row back to pending and re-sends it", async (status) => {
    const s = await bookedSalon();
    await setStatus(s.outboxId, status, "boom");
    queue.sent.length = 0;
    const res = await t.request("POST", `/v1/admin/outbox/${s.outboxId}/retry`, { key: s.tenant.apiKey });
    expect(res.status).toBe(200);
    expect(OutboxItem.parse(res.body)).toMatchObject({ id: s.outboxId, status: "pending", attempts: 3 });
    expect(queue.sent).toEqual([{ outboxId: s.outboxId, tenantId: s.tenant.id }]);
  });

  it("refuses a done row with 409 and changes nothing", async () => {
    const s = await bookedSalon();
    await setStatus(s.outboxId, "done");
    queue.sent.length = 0;
    const res = await t.request("POST", `/v1/admin/outbox/${s.outboxId}/retry`, { key: s.tenant.apiKey });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CONFLICT");
    expect((await t.database.admin("SELECT status FROM outbox WHERE id = $1", [s.outboxId]))[0]!.status).toBe("done");
    expect(queue.sent).toEqual([]);
  });

  it("404s an unknown or malformed id", async () => {
    const s = await createSalon(t);
    for (const id of ["evt_00000000000000000000", "nope", "bkg_00000000000000000000"]) {
      const res = await t.request("POST", `/v1/admin/outbox/${id}/retry`, { key: s.tenant.apiKey });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
  });
});

describe("admin outbox security", () => {
  it("answers 401 without a valid key", async () => {
    const s = await bookedSalon();
    await setStatus(s.outboxId, "dead");
    expect((await t.request("GET", "/v1/admin/outbox")).status).toBe(401);
    expect(
      (await t.request("POST", `/v1/admin/outbox/${s.outboxId}/retry`, { key: `sk_${"a".repeat(40)}` })).status,
    ).toBe(401);
    expect((await t.database.admin("SELECT status FROM outbox WHERE id = $1", [s.outboxId]))[0]!.status).toBe("dead");
  });

  it("another tenant's row is invisible: not listed, retry is 404 and changes nothing", async () => {
    const a = await bookedSalon();
    const b = await createSalon(t);
    await setStatus(a.outboxId, "dead", "secret detail");
    queue.sent.length = 0;
    const list = await t.request("GET", "/v1/admin/outbox", { key: b.tenant.apiKey });
    expect(list.body.data).toEqual([]);
    const res = await t.request("POST", `/v1/admin/outbox/${a.outboxId}/retry`, { key: b.tenant.apiKey });
    expect(res.status).toBe(404);
    expect((await t.database.admin("SELECT status FROM outbox WHERE id = $1", [a.outboxId]))[0]!.status).toBe("dead");
    expect(queue.sent).toEqual([]);
  });
});
