// Secrets and keys (issue 10 §5): webhook signing secrets and calendar refresh tokens encrypted at rest (legacy
// plaintext still read, then rewritten), and MANAGE_TOKEN_SECRET rotation with a previous secret.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../worker/src/app.ts";
import { loadBookingContext, manageUrl } from "../worker/src/effects/booking-context.ts";
import { saveCalendarConnection } from "../worker/src/effects/calendar-connections.ts";
import { calendarHandler } from "../worker/src/effects/handlers/calendar.ts";
import { createTenantWebhooksHandler } from "../worker/src/effects/handlers/tenant-webhooks.ts";
import { parseDataKeys } from "../worker/src/lib/encryption.ts";
import { manageTokenKid } from "../worker/src/lib/manage-token.ts";
import { consumeOutboxBatch, type OutboxQueueMessage } from "../worker/src/outbox/consumer.ts";
import type { OutboxEvent } from "../worker/src/outbox/types.ts";
import type { Providers } from "../worker/src/providers/index.ts";
import type { ServiceConfig } from "../worker/src/services/context.ts";
import { TEST_DATA_KEYS, TEST_STRIPE_WEBHOOK_SECRET, useTestApp } from "./helpers/app.ts";
import { createSalon, customer, type Salon } from "./helpers/salon.ts";
import { type Receiver, startReceiver, verifyStandardWebhook } from "./outbox/helpers.ts";

const t = useTestApp();
const SECRET_A = "manage-secret-A-0123456789abcdefghijklmnopqrstuv";
const SECRET_B = "manage-secret-B-0123456789abcdefghijklmnopqrstuv";
const base: ServiceConfig = {
  manageTokenSecret: "test-manage-token-secret-0123456789abcdef",
  publicBaseUrl: "http://bookra.test",
  dataKeys: TEST_DATA_KEYS,
  stripe: { webhookSecret: TEST_STRIPE_WEBHOOK_SECRET },
};

let receiver: Receiver;
beforeAll(async () => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

/** The same app and database, under another configuration (as after a redeploy with other secrets). */
function appWith(config: Partial<ServiceConfig>) {
  t.app = createApp({
    database: () => ({ db: t.database.db, release: async () => {} }),
    now: () => t.clock.now,
    config: { ...base, ...config },
  });
}

async function book(s: Salon, start: string) {
  const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
    body: { serviceId: s.serviceId, staffId: s.staffIds[0], start, customer: customer(start.slice(11, 13)) },
  });
  expect(res.status).toBe(201);
  return { id: res.body.booking.id as string, token: res.body.manageToken as string };
}

const view = (s: Salon, id: string, token: string) =>
  t.request("GET", `/v1/public/${s.tenant.slug}/bookings/${id}`, { headers: { authorization: `Bearer ${token}` } });

function message(outboxId: string, tenantId: string): OutboxQueueMessage {
  return { id: "m", body: { outboxId, tenantId }, attempts: 1, ack: () => {}, retry: () => {} };
}

async function lastEvent(bookingId: string, type: string): Promise<OutboxEvent> {
  const [r] = await t.database.admin(
    `SELECT id, tenant_id, event_type, aggregate_id, payload, created_at FROM outbox
     WHERE aggregate_id = $1 AND event_type = $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
    [bookingId, type],
  );
  return {
    id: r!.id,
    tenantId: r!.tenant_id,
    type: r!.event_type,
    aggregateId: r!.aggregate_id,
    payload: r!.payload,
    createdAt: r!.created_at,
  };
}

describe("MANAGE_TOKEN_SECRET rotation", () => {
  it("keeps the previous secret's tokens working while it is set, not after; new tokens carry the new key id", async () => {
    appWith({ manageTokenSecret: SECRET_A });
    const s = await createSalon(t);
    const old = await book(s, "2027-03-02T09:00:00Z");
    expect(old.token).toMatch(new RegExp(`^mt_${manageTokenKid(SECRET_A)}_[0-9a-z]{40}$`));
    expect((await view(s, old.id, old.token)).status).toBe(200);

    appWith({ manageTokenSecret: SECRET_B, previousManageTokenSecret: SECRET_A });
    expect((await view(s, old.id, old.token)).status).toBe(200);
    const fresh = await book(s, "2027-03-02T11:00:00Z");
    expect(fresh.token.slice(3, 7)).toBe(manageTokenKid(SECRET_B));
    expect(manageTokenKid(SECRET_B)).not.toBe(manageTokenKid(SECRET_A));
    expect((await view(s, fresh.id, fresh.token)).status).toBe(200);
    // Messages sent during the rotation link the token the customer holds (made by the previous secret).
    const link = await t.database.db.withTenantTx(s.tenant.id, async (tx) =>
      manageUrl(
        { ...base, manageTokenSecret: SECRET_B, previousManageTokenSecret: SECRET_A },
        (await loadBookingContext(tx, old.id))!,
      ),
    );
    expect(link).toContain(`token=${old.token}`);
    // The previous secret removed: its tokens open nothing, for viewing or changing (the verbs check alike).
    appWith({ manageTokenSecret: SECRET_B });
    expect((await view(s, old.id, old.token)).status).toBe(404);
    expect(
      (
        await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${old.id}/cancel`, {
          headers: { authorization: `Bearer ${old.token}` },
        })
      ).status,
    ).toBe(404);
    expect((await view(s, fresh.id, fresh.token)).status).toBe(200);
    // Refused although its hash is the one stored, and the refused cancel changed nothing.
    const [row] = await t.database.admin("SELECT status FROM bookings WHERE id = $1", [old.id]);
    expect(row!.status).toBe("confirmed");
  });

  it("accepts a token from before key ids (mt_<mac>) made by a configured secret", async () => {
    appWith({ manageTokenSecret: SECRET_A });
    const s = await createSalon(t);
    const b = await book(s, "2027-03-02T13:00:00Z");
    const legacy = `mt_${b.token.slice(8)}`;
    await t.database.admin("UPDATE bookings SET manage_token_hash = encode(sha256($2::bytea), 'hex') WHERE id = $1", [
      b.id,
      legacy,
    ]);
    expect((await view(s, b.id, legacy)).status).toBe(200);
    expect((await view(s, b.id, b.token)).status).toBe(404); // the hash is the legacy token's now
    appWith({ manageTokenSecret: SECRET_B });
    expect((await view(s, b.id, legacy)).status).toBe(404);
  });
});

describe("webhook signing secrets at rest", () => {
  it("stores a new endpoint's secret encrypted (never the plaintext) and signs with the decrypted secret", async () => {
    appWith({});
    const s = await createSalon(t);
    const created = await t.request("POST", "/v1/admin/webhook-endpoints", {
      key: s.tenant.apiKey,
      body: { url: "https://hooks.example.com/bookra", eventTypes: ["booking.created"] },
    });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    const [stored] = await t.database.admin("SELECT secret FROM webhook_endpoints WHERE id = $1", [created.body.id]);
    expect(stored!.secret).toMatch(/^enc:v1:test1:/);
    expect(stored!.secret).not.toContain(secret.slice(6));
    expect(stored!.secret).not.toContain(secret.slice(6, 30));

    await t.database.admin("UPDATE webhook_endpoints SET url = $2 WHERE id = $1", [
      created.body.id,
      `${receiver.url}/enc`,
    ]);
    const b = await book(s, "2027-03-03T09:00:00Z");
    const evt = await lastEvent(b.id, "booking.created");
    await consumeOutboxBatch(
      t.database.db,
      { queue: "bookra-outbox", messages: [message(evt.id, s.tenant.id)] },
      {
        handlers: [createTenantWebhooksHandler({ timeoutMs: 5000, urlPolicy: { allowLoopback: true } })],
        providers: undefined,
        config: base,
        now: () => new Date(),
      },
    );
    const got = receiver.received.find((r) => r.id === evt.id && r.path === "/enc");
    expect(got?.status).toBe(204);
    expect(verifyStandardWebhook(secret, got!)).toBe(true);
  });

  it("refuses to create an endpoint when no encryption key is configured (nothing stored)", async () => {
    appWith({ dataKeys: undefined });
    const s = await createSalon(t);
    const res = await t.request("POST", "/v1/admin/webhook-endpoints", {
      key: s.tenant.apiKey,
      body: { url: "https://hooks.example.com/bookra" },
    });
    expect(res.status).toBe(500);
    expect(res.body.error.message).toMatch(/DATA_ENCRYPTION_KEYS/);
    expect(await t.database.admin("SELECT id FROM webhook_endpoints WHERE tenant_id = $1", [s.tenant.id])).toEqual([]);
  });

  it("still delivers with a legacy plaintext secret and rewrites it encrypted; a rotated key rewrites it again", async () => {
    appWith({});
    const s = await createSalon(t);
    const secret = `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`;
    await t.database.admin(
      "INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret) VALUES ('whe_legacy00000000000000', $1, $2, $3, $4)",
      [s.tenant.id, `${receiver.url}/legacy`, ["booking.created", "booking.cancelled"], secret],
    );
    const b = await book(s, "2027-03-03T11:00:00Z");
    const deliver = async (type: string, config: ServiceConfig) => {
      const evt = await lastEvent(b.id, type);
      await consumeOutboxBatch(
        t.database.db,
        { queue: "bookra-outbox", messages: [message(evt.id, s.tenant.id)] },
        {
          handlers: [createTenantWebhooksHandler({ timeoutMs: 5000, urlPolicy: { allowLoopback: true } })],
          providers: undefined,
          config,
          now: () => new Date(),
        },
      );
      const got = receiver.received.find((r) => r.id === evt.id && r.path === "/legacy");
      expect(got?.status).toBe(204);
      expect(verifyStandardWebhook(secret, got!)).toBe(true);
    };
    const storedSecret = async () =>
      (await t.database.admin("SELECT secret FROM webhook_endpoints WHERE id = 'whe_legacy00000000000000'"))[0]!
        .secret as string;

    await deliver("booking.created", base);
    const rewritten = await storedSecret();
    expect(rewritten).toMatch(/^enc:v1:test1:/);
    expect(rewritten).not.toContain(secret.slice(6));

    // Rotation: a new first key, the old one still listed; the next delivery moves the row to the new key.
    const rotated = parseDataKeys(
      `test2:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")},test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=`,
    );
    expect(
      (await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${b.id}/cancel?token=${b.token}`)).status,
    ).toBe(200);
    await deliver("booking.cancelled", { ...base, dataKeys: rotated });
    expect(await storedSecret()).toMatch(/^enc:v1:test2:/);
  });
});

describe("calendar refresh tokens at rest", () => {
  it("stores new connections encrypted, reads legacy plaintext tokens and rewrites them encrypted", async () => {
    appWith({});
    const s = await createSalon(t, { staff: 2 });
    const seen: string[] = [];
    const providers = {
      calendar: {
        upsertEvent: async (c: { connection: { refreshToken: string } }) => {
          seen.push(c.connection.refreshToken);
        },
        deleteEvent: async () => {},
      },
    } as unknown as Providers;
    const run = (event: OutboxEvent) =>
      t.database.db.withTenantTx(event.tenantId, (tx) =>
        calendarHandler.run({ tx, event, providers, config: base, now: t.clock.now }),
      );
    const token = (staffId: string) =>
      t.database.admin("SELECT refresh_token FROM staff_calendar_connections WHERE staff_id = $1", [staffId]);

    await t.database.admin(
      "INSERT INTO staff_calendar_connections (tenant_id, staff_id, calendar_id, refresh_token) VALUES ($1, $2, 'primary', '1//legacy-refresh')",
      [s.tenant.id, s.staffIds[0]],
    );
    await t.database.db.withTenantTx(s.tenant.id, (tx) =>
      saveCalendarConnection(tx, TEST_DATA_KEYS, {
        tenantId: s.tenant.id,
        staffId: s.staffIds[1]!,
        calendarId: "primary",
        refreshToken: "1//new-refresh",
      }),
    );
    expect((await token(s.staffIds[1]!))[0]!.refresh_token).toMatch(/^enc:v1:test1:/);
    expect((await token(s.staffIds[1]!))[0]!.refresh_token).not.toContain("new-refresh");

    const first = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, staffId: s.staffIds[0], start: "2027-03-04T09:00:00Z", customer: customer(7) },
    });
    const second = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, staffId: s.staffIds[1], start: "2027-03-04T09:00:00Z", customer: customer(8) },
    });
    await run(await lastEvent(first.body.booking.id, "booking.created"));
    await run(await lastEvent(second.body.booking.id, "booking.created"));
    expect(seen).toEqual(["1//legacy-refresh", "1//new-refresh"]);
    const rewritten = (await token(s.staffIds[0]!))[0]!.refresh_token as string;
    expect(rewritten).toMatch(/^enc:v1:test1:/);
    expect(rewritten).not.toContain("legacy-refresh");
    await run(await lastEvent(first.body.booking.id, "booking.created"));
    expect(seen.at(-1)).toBe("1//legacy-refresh");
  });
});
