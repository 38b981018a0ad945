// Notification coalescing (issue 10 §2): a booking moved again before its customer message went out gives the
// customer one message with the latest time, on e-mail and on WhatsApp, through the real outbox consumer.
import { beforeEach, describe, expect, it } from "vitest";
import { EFFECT_HANDLERS } from "../worker/src/effects/handlers/index.ts";
import { consumeOutboxBatch, type OutboxQueueMessage } from "../worker/src/outbox/consumer.ts";
import { createProviders } from "../worker/src/providers/index.ts";
import { CONFIG, effects } from "./effects/helpers.ts";
import { useTestApp } from "./helpers/app.ts";
import { createSalon } from "./helpers/salon.ts";

const t = useTestApp();
const fx = effects(t);
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
});

/** Delivers outbox rows to the consumer as the queue would (one batch), with every handler and the local providers. */
async function deliver(rows: { id: string; tenantId: string }[]): Promise<void> {
  const messages: OutboxQueueMessage[] = rows.map((r, i) => ({
    id: `m${i}`,
    body: { outboxId: r.id, tenantId: r.tenantId },
    attempts: 1,
    ack: () => {},
    retry: () => {
      throw new Error(`delivery of ${r.id} failed`);
    },
  }));
  await consumeOutboxBatch(
    t.database.db,
    { queue: "bookra-outbox", messages },
    {
      handlers: EFFECT_HANDLERS,
      providers: createProviders({ BOOKRA_ENV: "local" }, t.database.db),
      config: CONFIG,
      now: () => t.clock.now,
    },
  );
}

describe("coalesced customer messages", () => {
  it("three quick reschedules: one e-mail and one WhatsApp message, with the final time", async () => {
    const s = await createSalon(t);
    await t.request("PUT", "/v1/admin/channels", { key: s.tenant.apiKey, body: { whatsapp: true } });
    const b = await fx.book(s, "2027-03-02T09:00:00Z", { phone: "+44 20 7946 0958", whatsappOptIn: true });
    await deliver(await fx.events(b.id)); // the confirmation
    for (const start of ["2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z", "2027-03-02T14:00:00Z"]) {
      const moved = await t.request(
        "POST",
        `/v1/public/${s.tenant.slug}/bookings/${b.id}/reschedule?token=${b.manageToken}`,
        {
          body: { start },
        },
      );
      expect(moved.status).toBe(200);
    }
    const moves = (await fx.events(b.id)).filter((e) => e.type === "booking.rescheduled");
    expect(moves).toHaveLength(3);
    await deliver(moves);

    // (the salon's staff have no e-mail address: every message recorded is the customer's)
    const emails = await fx.recorded(s.tenant.id, "email");
    expect(emails.map((m) => m.subject?.split(":")[0])).toEqual(["Booking confirmed", "Booking moved"]);
    const moveMail = emails[1]!;
    expect(moveMail.idempotency_key).toBe(`${moves[2]!.id}/customer-email`);
    expect(moveMail.body).toContain("14:00");
    const whatsapp = await fx.recorded(s.tenant.id, "whatsapp");
    expect(whatsapp.map((m) => m.subject)).toEqual(["bookra_booking_confirmed", "bookra_booking_rescheduled"]);
    expect(whatsapp[1]!.idempotency_key).toBe(`${moves[2]!.id}/whatsapp`);
    expect(whatsapp[1]!.body).toContain("14:00");
    // the skipped messages are recorded as done: a redelivery sends nothing more
    const rows = await t.database.admin<{ status: string }>("SELECT status FROM outbox WHERE id = ANY ($1::text[])", [
      moves.map((m) => m.id),
    ]);
    expect(rows.map((r) => r.status)).toEqual(["done", "done", "done"]);
    await deliver(moves);
    expect(await fx.recorded(s.tenant.id, "whatsapp")).toHaveLength(2);
  });

  it("a move delivered before the next one still goes out (nothing is lost)", async () => {
    const s = await createSalon(t);
    const b = await fx.book(s, "2027-03-02T09:00:00Z");
    const path = `/v1/public/${s.tenant.slug}/bookings/${b.id}/reschedule?token=${b.manageToken}`;
    expect((await t.request("POST", path, { body: { start: "2027-03-02T10:00:00Z" } })).status).toBe(200);
    await deliver((await fx.events(b.id)).filter((e) => e.type === "booking.rescheduled"));
    expect((await t.request("POST", path, { body: { start: "2027-03-02T12:00:00Z" } })).status).toBe(200);
    const moves = (await fx.events(b.id)).filter((e) => e.type === "booking.rescheduled");
    await deliver(moves.slice(1));
    const mails = (await fx.recorded(s.tenant.id, "email")).filter((m) => m.subject?.startsWith("Booking moved"));
    expect(mails.map((m) => m.idempotency_key)).toEqual(moves.map((m) => `${m.id}/customer-email`));
  });
});
