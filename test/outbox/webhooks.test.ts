// Tenant webhooks: the endpoints API (happy, errors, security) and delivery — Standard Webhooks signatures checked
// by an independent verifier, per-endpoint success remembered across retries, every attempt logged.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWebhooksHandler } from "../../worker/src/effects/handlers/tenant-webhooks.ts";
import { consumeOutboxBatch, type OutboxQueueMessage } from "../../worker/src/outbox/consumer.ts";
import { WebhookEndpointCreated, WebhookEndpointList } from "../../worker/src/schemas/webhooks.ts";
import { useTestApp } from "../helpers/app.ts";
import { createSalon, customer } from "../helpers/salon.ts";
import { type Receiver, startReceiver, verifyStandardWebhook } from "./helpers.ts";

const t = useTestApp();
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

const HTTPS = "https://hooks.example.com/bookra";
/** The local stack's policy: the test receivers listen on 127.0.0.1. */
const LOCAL = { allowLoopback: true };

describe("webhook endpoints API", () => {
  it("creates an endpoint (secret shown once), lists it without the secret, deletes it", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("POST", "/v1/admin/webhook-endpoints", {
      key: tenant.apiKey,
      body: { url: HTTPS, description: "CRM" },
    });
    expect(res.status).toBe(201);
    const created = WebhookEndpointCreated.parse(res.body);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.secret.slice(6), "base64")).toHaveLength(32);
    expect(created.eventTypes).toEqual([
      "booking.created",
      "booking.confirmed",
      "booking.cancelled",
      "booking.rescheduled",
      "booking.expired",
    ]);
    const list = await t.request("GET", "/v1/admin/webhook-endpoints", { key: tenant.apiKey });
    expect(WebhookEndpointList.parse(list.body).data).toEqual([
      { id: created.id, url: HTTPS, eventTypes: created.eventTypes, description: "CRM", createdAt: created.createdAt },
    ]);
    expect(JSON.stringify(list.body)).not.toContain("whsec_");
    expect(
      (await t.request("DELETE", `/v1/admin/webhook-endpoints/${created.id}`, { key: tenant.apiKey })).status,
    ).toBe(204);
    expect((await t.request("GET", "/v1/admin/webhook-endpoints", { key: tenant.apiKey })).body.data).toEqual([]);
    expect(
      (await t.request("DELETE", `/v1/admin/webhook-endpoints/${created.id}`, { key: tenant.apiKey })).status,
    ).toBe(404);
  });

  it("subscribes to chosen event types only", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("POST", "/v1/admin/webhook-endpoints", {
      key: tenant.apiKey,
      body: { url: HTTPS, eventTypes: ["booking.cancelled"] },
    });
    expect(res.status).toBe(201);
    expect(res.body.eventTypes).toEqual(["booking.cancelled"]);
  });

  it.each([
    ["plain http", { url: "http://hooks.example.com/x" }],
    ["http to loopback outside a local stack", { url: "http://127.0.0.1:9/x" }],
    ["credentials in the URL", { url: "https://user:pw@hooks.example.com/x" }],
    ["not a URL", { url: "hooks" }],
    ["another scheme", { url: "ftp://hooks.example.com/x" }],
    ["unknown event type", { url: HTTPS, eventTypes: ["payment.made"] }],
    ["empty event types", { url: HTTPS, eventTypes: [] }],
    ["repeated event types", { url: HTTPS, eventTypes: ["booking.created", "booking.created"] }],
    ["unknown field", { url: HTTPS, secret: "whsec_mine" }],
    ["wrong types", { url: 5 }],
  ])("rejects %s with 400 and creates nothing", async (_n, body) => {
    const tenant = await t.createTenant();
    const res = await t.request("POST", "/v1/admin/webhook-endpoints", { key: tenant.apiKey, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(await t.database.admin("SELECT 1 FROM webhook_endpoints WHERE tenant_id = $1", [tenant.id])).toHaveLength(0);
  });

  it("answers 401 without a valid key", async () => {
    expect((await t.request("GET", "/v1/admin/webhook-endpoints")).status).toBe(401);
    expect((await t.request("POST", "/v1/admin/webhook-endpoints", { body: { url: HTTPS } })).status).toBe(401);
    expect(
      (
        await t.request("DELETE", "/v1/admin/webhook-endpoints/whe_00000000000000000000", {
          key: `sk_${"b".repeat(40)}`,
        })
      ).status,
    ).toBe(401);
  });

  it("another tenant's endpoint is invisible and cannot be deleted", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const created = await t.request("POST", "/v1/admin/webhook-endpoints", { key: a.apiKey, body: { url: HTTPS } });
    expect((await t.request("GET", "/v1/admin/webhook-endpoints", { key: b.apiKey })).body.data).toEqual([]);
    const del = await t.request("DELETE", `/v1/admin/webhook-endpoints/${created.body.id}`, { key: b.apiKey });
    expect(del.status).toBe(404);
    expect(
      (await t.database.admin("SELECT deleted_at FROM webhook_endpoints WHERE id = $1", [created.body.id]))[0]!
        .deleted_at,
    ).toBeNull();
  });
});

function message(outboxId: string, tenantId: string, attempts: number): OutboxQueueMessage & { acked: boolean } {
  const m = {
    id: "m",
    body: { outboxId, tenantId },
    attempts,
    acked: false,
    ack: () => {
      m.acked = true;
    },
    retry: () => {},
  };
  return m;
}

describe("webhook delivery", () => {
  it("signs per Standard Webhooks, retries only the endpoint that failed, and logs every attempt", async () => {
    t.clock.now = new Date("2027-03-01T08:00:00Z");
    const s = await createSalon(t);
    // Endpoints point at the local receiver (plain http): inserted as the API would on a local stack.
    const secretOk = newSecret();
    await insertEndpoint(s.tenant.id, "whe_ok000000000000000000", `${receiver.url}/ok`, secretOk);
    const secretFlaky = newSecret();
    await insertEndpoint(s.tenant.id, "whe_fl000000000000000000", `${receiver.url}/flaky`, secretFlaky);
    let flakyDown = true;
    receiver.respond = ({ path }) => (path === "/flaky" && flakyDown ? 503 : 204);

    const booked = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, staffId: s.staffIds[0], start: "2027-03-02T10:00:00Z", customer: customer() },
    });
    expect(booked.status).toBe(201);
    const [evt] = await t.database.admin<{ id: string }>("SELECT id FROM outbox WHERE tenant_id = $1", [s.tenant.id]);
    const handlers = [createTenantWebhooksHandler({ timeoutMs: 2000, urlPolicy: LOCAL })];
    const opts = {
      handlers,
      providers: undefined,
      config: { manageTokenSecret: "x".repeat(32), publicBaseUrl: "" },
      now: () => t.clock.now,
    };

    await consumeOutboxBatch(
      t.database.db,
      { queue: "bookra-outbox", messages: [message(evt!.id, s.tenant.id, 1)] },
      opts,
    );
    expect(
      receiver.received
        .filter((r) => r.id === evt!.id)
        .map((r) => `${r.path} ${r.status}`)
        .sort(),
    ).toEqual(["/flaky 503", "/ok 204"]);
    expect((await t.database.admin("SELECT status FROM outbox WHERE id = $1", [evt!.id]))[0]!.status).toBe("failed");

    flakyDown = false;
    const retry = message(evt!.id, s.tenant.id, 2);
    await consumeOutboxBatch(t.database.db, { queue: "bookra-outbox", messages: [retry] }, opts);
    expect(retry.acked).toBe(true);
    const got = receiver.received.filter((r) => r.id === evt!.id);
    expect(got.map((r) => `${r.path} ${r.status}`).sort()).toEqual(["/flaky 204", "/flaky 503", "/ok 204"]); // /ok not again
    expect((await t.database.admin("SELECT status FROM outbox WHERE id = $1", [evt!.id]))[0]!.status).toBe("done");

    // Independent verification (node:crypto), and a tampered body or a wrong secret fails.
    const okDelivery = got.find((r) => r.path === "/ok")!;
    expect(verifyStandardWebhook(secretOk, okDelivery)).toBe(true);
    expect(verifyStandardWebhook(secretFlaky, got.find((r) => r.path === "/flaky" && r.status === 204)!)).toBe(true);
    expect(verifyStandardWebhook(secretOk, { ...okDelivery, body: okDelivery.body.replace("10:00", "11:00") })).toBe(
      false,
    );
    expect(verifyStandardWebhook(secretOk, { ...okDelivery, id: "evt_other" })).toBe(false);
    expect(verifyStandardWebhook(secretFlaky, okDelivery)).toBe(false);
    expect(Number(okDelivery.timestamp)).toBe(t.clock.now.getTime() / 1000); // signed at the consumer's clock
    const body = JSON.parse(okDelivery.body);
    expect(body).toMatchObject({
      id: evt!.id,
      type: "booking.created",
      data: { bookingId: booked.body.booking.id, status: "confirmed" },
    });
    expect(new Set(got.map((r) => r.id))).toEqual(new Set([evt!.id])); // webhook-id = outbox id, stable across retries

    const log = await t.database.admin(
      "SELECT endpoint_id, attempt, succeeded, status_code, error FROM webhook_deliveries WHERE outbox_id = $1 ORDER BY id",
      [evt!.id],
    );
    expect(log.map((l) => [l.endpoint_id.slice(0, 6), l.attempt, l.succeeded, l.status_code, l.error]).sort()).toEqual(
      [
        ["whe_fl", 1, false, 503, "HTTP 5xx"],
        ["whe_fl", 2, true, 204, null],
        ["whe_ok", 1, true, 204, null],
      ].sort(),
    );
  });

  it("a timeout fails the attempt", async () => {
    const s = await createSalon(t);
    await insertEndpoint(s.tenant.id, "whe_sl000000000000000000", `${receiver.url}/slow`, newSecret());
    // The endpoint answers only after the attempt is over: the attempt can end only by its own timeout.
    let answer!: () => void;
    const attemptOver = new Promise<void>((ok) => {
      answer = ok;
    });
    receiver.respond = async () => {
      await attemptOver;
      return 204;
    };
    await t.database.admin(
      "INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload) VALUES ('evt_sl000000000000000000', $1, 'booking.cancelled', 'bkg_x', '{}')",
      [s.tenant.id],
    );
    const opts = {
      handlers: [createTenantWebhooksHandler({ timeoutMs: 200, urlPolicy: LOCAL })],
      providers: undefined,
      config: { manageTokenSecret: "x".repeat(32), publicBaseUrl: "" },
      now: () => t.clock.now,
    };
    try {
      await consumeOutboxBatch(
        t.database.db,
        { queue: "bookra-outbox", messages: [message("evt_sl000000000000000000", s.tenant.id, 1)] },
        opts,
      );
    } finally {
      answer();
    }
    const [row] = await t.database.admin("SELECT status, last_error FROM outbox WHERE id = 'evt_sl000000000000000000'");
    expect(row).toMatchObject({
      status: "failed",
      last_error: expect.stringContaining("whe_sl000000000000000000: timed out"),
    });
  });
});

async function insertEndpoint(tenantId: string, id: string, url: string, secret: string) {
  await t.database.admin(
    "INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret) VALUES ($1, $2, $3, $4, $5)",
    [id, tenantId, url, ["booking.created", "booking.cancelled"], secret],
  );
}

/** A fresh signing secret per test: no secret-looking literal lives in the repository. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}
