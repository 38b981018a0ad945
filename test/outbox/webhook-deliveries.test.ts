// The developers page: POST /v1/admin/webhook-endpoints/{id}/test queues a signed `ping` for that endpoint only,
// delivered through the outbox like any event; GET …/deliveries lists the attempts newest first, page by page.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWebhooksHandler } from "../../worker/src/effects/handlers/tenant-webhooks.ts";
import { consumeOutboxBatch } from "../../worker/src/outbox/consumer.ts";
import { WebhookDeliveryList, WebhookTestEvent } from "../../worker/src/schemas/webhook-deliveries.ts";
import { useTestApp } from "../helpers/app.ts";
import { createSalon } from "../helpers/salon.ts";
import { type Receiver, startReceiver, verifyStandardWebhook } from "./helpers.ts";

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

async function insertEndpoint(tenantId: string, id: string, path: string, eventTypes: string[]) {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  await t.database.admin(
    "INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret) VALUES ($1, $2, $3, $4, $5)",
    [id, tenantId, `${receiver.url}${path}`, eventTypes, secret],
  );
  return secret;
}

describe("webhook test events and the delivery log", () => {
  it("sends a signed ping to that endpoint only and logs each attempt, newest first across pages", async () => {
    const s = await createSalon(t);
    const key = s.tenant.apiKey;
    const suffix = s.tenant.id.slice(-6);
    const ep = `whe_pi${suffix}${"0".repeat(20 - 2 - suffix.length)}`;
    const other = `whe_ot${suffix}${"0".repeat(20 - 2 - suffix.length)}`;
    const secret = await insertEndpoint(s.tenant.id, ep, `/ping-${suffix}`, ["booking.cancelled"]);
    await insertEndpoint(s.tenant.id, other, `/other-${suffix}`, ["booking.created", "booking.cancelled"]);
    let status = 503;
    receiver.respond = () => status;

    const sent = await t.request("POST", `/v1/admin/webhook-endpoints/${ep}/test`, { key });
    expect(sent.status).toBe(202);
    const ping = WebhookTestEvent.parse(sent.body);
    expect(ping).toMatchObject({ type: "ping", endpointId: ep });
    await consume(s.tenant.id, ping.eventId); // 503: failed, retried later
    status = 204;
    await consume(s.tenant.id, ping.eventId);
    const got = receiver.received.filter((r) => r.id === ping.eventId);
    expect(got.map((r) => `${r.path} ${r.status}`)).toEqual([`/ping-${suffix} 503`, `/ping-${suffix} 204`]);
    expect(verifyStandardWebhook(secret, got[1]!)).toBe(true);
    expect(JSON.parse(got[1]!.body)).toMatchObject({ id: ping.eventId, type: "ping", data: { endpointId: ep } });

    const second = WebhookTestEvent.parse(
      (await t.request("POST", `/v1/admin/webhook-endpoints/${ep}/test`, { key })).body,
    );
    await consume(s.tenant.id, second.eventId);
    const seen: { eventId: string; attempt: number; responseStatus: number | null; succeeded: boolean }[] = [];
    let cursor: string | null = null;
    do {
      const r = await t.request(
        "GET",
        `/v1/admin/webhook-endpoints/${ep}/deliveries?limit=1${cursor ? `&cursor=${cursor}` : ""}`,
        { key },
      );
      expect(r.status).toBe(200);
      const page = WebhookDeliveryList.parse(r.body);
      expect(page.data.every((d) => d.eventType === "ping")).toBe(true);
      seen.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((d) => [d.eventId, d.attempt, d.responseStatus, d.succeeded])).toEqual([
      [second.eventId, 1, 204, true],
      [ping.eventId, 2, 204, true],
      [ping.eventId, 1, 503, false],
    ]);
    const otherLog = await t.request("GET", `/v1/admin/webhook-endpoints/${other}/deliveries`, { key });
    expect(WebhookDeliveryList.parse(otherLog.body).data).toEqual([]); // the other endpoint got nothing
  });

  it("caps waiting test events, refuses bad cursors, and hides other businesses' and removed endpoints", async () => {
    const a = await createSalon(t);
    const b = await createSalon(t);
    const key = a.tenant.apiKey;
    const suffix = a.tenant.id.slice(-6);
    const ep = `whe_cp${suffix}${"0".repeat(20 - 2 - suffix.length)}`;
    await insertEndpoint(a.tenant.id, ep, "/cap", ["booking.created"]);
    for (let i = 0; i < 5; i++)
      expect((await t.request("POST", `/v1/admin/webhook-endpoints/${ep}/test`, { key })).status).toBe(202);
    const sixth = await t.request("POST", `/v1/admin/webhook-endpoints/${ep}/test`, { key });
    expect(sixth.status).toBe(409);
    expect(sixth.body.error.code).toBe("CONFLICT");
    const count = async () =>
      (await t.database.admin("SELECT 1 FROM outbox WHERE event_type = 'ping' AND aggregate_id = $1", [ep])).length;
    expect(await count()).toBe(5);
    for (const q of ["cursor=", "cursor=e30", "cursor=eyJiZWZvcmUiOi0xfQ", "limit=101"])
      expect((await t.request("GET", `/v1/admin/webhook-endpoints/${ep}/deliveries?${q}`, { key })).status, q).toBe(
        400,
      );
    const otherKey = b.tenant.apiKey;
    expect((await t.request("GET", `/v1/admin/webhook-endpoints/${ep}/deliveries`, { key: otherKey })).status).toBe(
      404,
    );
    expect((await t.request("POST", `/v1/admin/webhook-endpoints/${ep}/test`, { key: otherKey })).status).toBe(404);
    expect((await t.request("POST", "/v1/admin/webhook-endpoints/nope/test", { key })).status).toBe(404);
    expect((await t.request("POST", `/v1/admin/webhook-endpoints/${ep}/test`)).status).toBe(401);
    expect((await t.request("DELETE", `/v1/admin/webhook-endpoints/${ep}`, { key })).status).toBe(204);
    expect((await t.request("POST", `/v1/admin/webhook-endpoints/${ep}/test`, { key })).status).toBe(404);
    expect((await t.request("GET", `/v1/admin/webhook-endpoints/${ep}/deliveries`, { key })).status).toBe(404);
    expect(await count()).toBe(5);
  });
});
