// GET /v1/admin/bookings/{id}/timeline: entries read from the booking, its outbox rows, their completions and
// webhook deliveries — each naming its source table and id — oldest first; other tenants' bookings are 404.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWebhooksHandler } from "../../worker/src/effects/handlers/tenant-webhooks.ts";
import { consumeOutboxBatch } from "../../worker/src/outbox/consumer.ts";
import { BookingTimeline } from "../../worker/src/schemas/timeline.ts";
import { TEST_NOW, useTestApp } from "../helpers/app.ts";
import { addMember } from "../helpers/auth.ts";
import { paidBooking } from "../helpers/paid-booking.ts";
import { createSalon, customer } from "../helpers/salon.ts";
import { type Receiver, startReceiver } from "./helpers.ts";

const t = useTestApp();
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

async function consume(tenantId: string, outboxId: string) {
  const m = { id: "m", body: { outboxId, tenantId }, attempts: 1, ack: () => {}, retry: () => {} };
  await consumeOutboxBatch(
    t.database.db,
    { queue: "bookra-outbox", messages: [m] },
    {
      handlers: [createTenantWebhooksHandler({ timeoutMs: 2000, urlPolicy: { allowLoopback: true } })],
      providers: undefined,
      config: { manageTokenSecret: "x".repeat(32), publicBaseUrl: "" },
      now: () => t.clock.now,
    },
  );
}

describe("booking timeline", () => {
  it("lists creation, each outbox row with its completion and webhook delivery, the move and the completion", async () => {
    t.clock.now = new Date("2027-03-01T08:00:00Z");
    const s = await createSalon(t);
    const key = s.tenant.apiKey;
    const url = `${receiver.url}/timeline`;
    await t.database.admin(
      "INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret) VALUES ($1, $2, $3, $4, $5)",
      [
        "whe_tl000000000000000000",
        s.tenant.id,
        url,
        ["booking.created"],
        `whsec_${randomBytes(32).toString("base64")}`,
      ],
    );
    receiver.respond = () => 204;
    const booked = await t.request("POST", "/v1/admin/bookings", {
      key,
      body: { serviceId: s.serviceId, start: "2027-03-02T10:00:00Z", customer: customer("tl") },
    });
    const id = booked.body.booking.id as string;
    const [created] = await t.database.admin<{ id: string }>(
      "SELECT id FROM outbox WHERE aggregate_id = $1 AND event_type = 'booking.created'",
      [id],
    );
    await consume(s.tenant.id, created!.id);
    const moved = await t.request("POST", `/v1/admin/bookings/${id}/reschedule`, {
      key,
      body: { start: "2027-03-02T12:00:00Z" },
    });
    expect(moved.status).toBe(200);
    t.clock.now = new Date("2027-03-02T13:30:00Z");
    expect((await t.request("POST", `/v1/admin/bookings/${id}/complete`, { key })).status).toBe(200);

    const res = await t.request("GET", `/v1/admin/bookings/${id}/timeline`, { key });
    expect(res.status).toBe(200);
    const { bookingId, entries } = BookingTimeline.parse(res.body);
    expect(bookingId).toBe(id);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort());
    const [movedRow] = await t.database.admin<{ id: string }>(
      "SELECT id FROM outbox WHERE aggregate_id = $1 AND event_type = 'booking.rescheduled'",
      [id],
    );
    const [delivery] = await t.database.admin<{ id: string }>(
      "SELECT id::text FROM webhook_deliveries WHERE outbox_id = $1",
      [created!.id],
    );
    const brief = entries.map((e) => [e.kind, e.source.table, e.source.id]);
    expect(brief).toEqual(
      expect.arrayContaining([
        ["created", "bookings", id],
        ["event", "outbox", created!.id],
        ["effect", "outbox_completions", `${created!.id}/tenant-webhooks`],
        ["webhook_delivery", "webhook_deliveries", delivery!.id],
        ["rescheduled", "outbox", movedRow!.id],
        ["completed", "bookings", id],
      ]),
    );
    expect(brief).toHaveLength(6); // nothing invented: no confirmation, payment or invoice was recorded
    expect(entries.find((e) => e.kind === "webhook_delivery")).toMatchObject({
      eventType: "booking.created",
      status: "succeeded",
      endpoint: { id: "whe_tl000000000000000000", url },
      responseStatus: 204,
      attempt: 1,
    });
    expect(entries.find((e) => e.source.id === created!.id)).toMatchObject({
      status: "done",
      eventType: "booking.created",
    });
    expect(entries.at(-1)).toMatchObject({ kind: "completed", at: "2027-03-02T13:30:00.000Z" });
  });

  it("is 404 for another business's booking and for an unknown id, 401 without a key", async () => {
    const a = await createSalon(t);
    const b = await createSalon(t);
    t.clock.now = new Date("2027-03-01T08:00:00Z");
    const booked = await t.request("POST", "/v1/admin/bookings", {
      key: a.tenant.apiKey,
      body: { serviceId: a.serviceId, start: "2027-03-02T10:00:00Z", customer: customer("x") },
    });
    const id = booked.body.booking.id as string;
    expect((await t.request("GET", `/v1/admin/bookings/${id}/timeline`, { key: b.tenant.apiKey })).status).toBe(404);
    for (const other of ["bkg_00000000000000000000", "x".repeat(64)])
      expect((await t.request("GET", `/v1/admin/bookings/${other}/timeline`, { key: a.tenant.apiKey })).status).toBe(
        404,
      );
    expect(
      (await t.request("GET", `/v1/admin/bookings/${"x".repeat(65)}/timeline`, { key: a.tenant.apiKey })).status,
    ).toBe(400);
    expect((await t.request("GET", `/v1/admin/bookings/${id}/timeline`)).status).toBe(401);
  });
});

describe("booking timeline: ledger entries", () => {
  it("lists each journal entry with a line for the booking, with its kind and all its lines, to the owner only", async () => {
    t.clock.now = TEST_NOW;
    const s = await createSalon(t);
    const key = s.tenant.apiKey;
    const b = await paidBooking(t, s, "2027-03-03T10:00:00Z", { amount: 2000, stripeFee: 50, platformFee: 100 });
    t.clock.now = new Date("2027-03-01T09:00:00Z");
    const refund = await t.request("POST", `/v1/admin/bookings/${b.id}/refunds`, {
      key,
      body: { amount: 500, reason: "Goodwill" },
    });
    expect(refund.status).toBe(201);
    const other = await paidBooking(t, s, "2027-03-04T10:00:00Z", { amount: 900 });

    const res = await t.request("GET", `/v1/admin/bookings/${b.id}/timeline`, { key });
    expect(res.status).toBe(200);
    const { entries } = BookingTimeline.parse(res.body);
    const ledger = entries.filter((e) => e.kind === "ledger");
    const rows = await t.database.admin<{ id: string; kind: string; occurred_at: Date }>(
      `SELECT e.id, e.kind, e.occurred_at FROM journal_entries e
        WHERE EXISTS (SELECT 1 FROM journal_lines l WHERE l.entry_id = e.id AND l.booking_id = $1) ORDER BY occurred_at`,
      [b.id],
    );
    expect(rows).toHaveLength(2); // the deposit paid, the refund decided
    expect(ledger.map((e) => [e.source.table, e.source.id, e.ledger?.kind, e.at])).toEqual(
      rows.map((r) => ["journal_entries", r.id, r.kind, r.occurred_at.toISOString()]),
    );
    for (const e of ledger) {
      const lines = await t.database.admin<{ account: string; amount: string; currency: string }>(
        "SELECT account, amount::text, currency FROM journal_lines WHERE entry_id = $1 ORDER BY id",
        [e.source.id],
      );
      expect(e.ledger!.lines).toEqual(lines.map((l) => ({ ...l, amount: Number(l.amount) })));
      expect(e.ledger!.lines.reduce((sum, l) => sum + l.amount, 0)).toBe(0);
    }
    expect(ledger[0]!.ledger!.lines).toEqual(
      expect.arrayContaining([{ account: "customer_deposits", amount: -2000, currency: "EUR" }]),
    );
    expect(ledger[1]!.ledger!.lines).toEqual(
      expect.arrayContaining([{ account: "refunds_payable", amount: -500, currency: "EUR" }]),
    );
    // the refund row comes before the ledger entry it posted at the same instant; other entries stay out
    const refundAt = entries.findIndex((e) => e.kind === "refund");
    expect(entries[refundAt + 1]).toMatchObject({ kind: "ledger", source: { id: rows[1]!.id } });
    const otherIds = await t.database.admin<{ entry_id: string }>(
      "SELECT entry_id FROM journal_lines WHERE booking_id = $1",
      [other.id],
    );
    expect(ledger.map((e) => e.source.id)).not.toContain(otherIds[0]!.entry_id);
    expect(entries.filter((e) => e.kind !== "ledger").every((e) => !("ledger" in e))).toBe(true);

    const manager = await addMember(t, s.tenant, "manager");
    const seen = await t.request("GET", `/v1/admin/bookings/${b.id}/timeline`, manager.as());
    expect(seen.status).toBe(200);
    const forManager = BookingTimeline.parse(seen.body).entries;
    expect(forManager.filter((e) => e.kind === "ledger")).toEqual([]);
    expect(forManager.map((e) => e.source.id)).toEqual(
      entries.filter((e) => e.kind !== "ledger").map((e) => e.source.id),
    );
  });
});
