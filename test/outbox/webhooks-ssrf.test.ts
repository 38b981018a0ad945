// Tenant webhooks cannot reach the platform's own network: non-public URLs are refused when an endpoint is created
// and again before each delivery, redirects are not followed, and failures reach the tenant as a class only.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/postgres.ts";
import { createTenantWebhooksHandler } from "../../worker/src/effects/handlers/tenant-webhooks.ts";
import { newId } from "../../worker/src/lib/ids.ts";
import type { OutboundUrlPolicy } from "../../worker/src/lib/public-url.ts";
import { consumeOutboxBatch } from "../../worker/src/outbox/consumer.ts";
import { useTestApp } from "../helpers/app.ts";
import { type Receiver, startReceiver } from "./helpers.ts";

const t = useTestApp();
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

const LOCAL: OutboundUrlPolicy = { allowLoopback: true };

describe("creating a webhook endpoint (production rules: the in-process app has no BOOKRA_ENV=local)", () => {
  it.each([
    "https://169.254.169.254/latest/meta-data",
    "https://127.0.0.1/x",
    "https://[::ffff:127.0.0.1]/x",
    "https://[::1]/x",
    "https://2130706433/x",
    "https://0x7f000001/x",
    "https://127.1/x",
    "https://LOCALHOST/x",
    "https://10.0.0.1/x",
    "https://100.64.0.1/x",
    "https://metadata.google.internal/x",
    "https://hooks.example.com:5432/x",
  ])("refuses %s with 422 URL_NOT_PUBLIC and creates nothing", async (url) => {
    const tenant = await t.createTenant();
    const res = await t.request("POST", "/v1/admin/webhook-endpoints", { key: tenant.apiKey, body: { url } });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: "URL_NOT_PUBLIC", issues: [{ path: ["url"] }] });
    expect(await t.database.admin("SELECT 1 FROM webhook_endpoints WHERE tenant_id = $1", [tenant.id])).toHaveLength(0);
  });

  it.each(["https://good.com@127.0.0.1/x", "http://2130706433:9/x", "http://localhost:8787/x"])(
    "refuses %s with 400 VALIDATION_FAILED",
    async (url) => {
      const tenant = await t.createTenant();
      const res = await t.request("POST", "/v1/admin/webhook-endpoints", { key: tenant.apiKey, body: { url } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(await t.database.admin("SELECT 1 FROM webhook_endpoints WHERE tenant_id = $1", [tenant.id])).toHaveLength(
        0,
      );
    },
  );
});

describe("delivering to stored endpoints", () => {
  it("posts nothing to an endpoint that is not public, whatever its spelling, and says only that it was refused", async () => {
    const tenant = await t.createTenant();
    const port = new URL(receiver.url).port;
    const urls = [
      `${receiver.url}/plain`,
      `http://2130706433:${port}/decimal`,
      `https://0x7f000001:${port}/hex`,
      `http://[::ffff:127.0.0.1]:${port}/mapped`,
      "https://169.254.169.254/latest/meta-data",
      "https://10.0.0.1/",
    ];
    for (const url of urls) await insertEndpoint(tenant.id, url);
    const calls: string[] = [];
    const outboxId = await deliver(tenant.id, {
      urlPolicy: { allowLoopback: false },
      fetch: (input, init) => {
        calls.push(String(input));
        return fetch(input, init);
      },
    });
    expect(calls).toEqual([]);
    expect(receiver.received.filter((r) => r.id === outboxId)).toEqual([]);
    const log = await deliveries(outboxId);
    expect(log).toHaveLength(urls.length);
    for (const row of log)
      expect(row).toMatchObject({
        succeeded: false,
        status_code: null,
        error: "URL refused: not a public https endpoint",
      });
  });

  it("resolves a name first: one private record refuses it, an unresolvable name fails, public records deliver", async () => {
    const tenant = await t.createTenant();
    await insertEndpoint(tenant.id, "https://127.0.0.1.nip.example/hook");
    await insertEndpoint(tenant.id, "https://mixed.example.com/hook");
    await insertEndpoint(tenant.id, "https://gone.example.com/hook");
    await insertEndpoint(tenant.id, "https://hooks.example.com/hook");
    const records: Record<string, string[]> = {
      "127.0.0.1.nip.example": ["127.0.0.1"],
      "mixed.example.com": ["93.184.215.14", "fd00::5"],
      "hooks.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
    };
    const calls: string[] = [];
    const outboxId = await deliver(tenant.id, {
      urlPolicy: { allowLoopback: false },
      resolveHost: async (name) => {
        if (!records[name]) throw new Error(`NXDOMAIN ${name}`);
        return records[name];
      },
      fetch: async (input) => {
        calls.push(String(input));
        return new Response(null, { status: 204 });
      },
    });
    expect(calls).toEqual(["https://hooks.example.com/hook"]);
    const log = await t.database.admin(
      "SELECT e.url, d.succeeded, d.error FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.outbox_id = $1 ORDER BY e.url",
      [outboxId],
    );
    expect(log).toEqual([
      {
        url: "https://127.0.0.1.nip.example/hook",
        succeeded: false,
        error: "URL refused: not a public https endpoint",
      },
      { url: "https://gone.example.com/hook", succeeded: false, error: "connection failed" },
      { url: "https://hooks.example.com/hook", succeeded: true, error: null },
      { url: "https://mixed.example.com/hook", succeeded: false, error: "URL refused: not a public https endpoint" },
    ]);
  });

  it("a closed port reads 'connection failed', never the network error", async () => {
    const tenant = await t.createTenant();
    const closed = await freePort();
    await insertEndpoint(tenant.id, `http://127.0.0.1:${closed}/hook`);
    const outboxId = await deliver(tenant.id, { urlPolicy: LOCAL });
    const [row] = await deliveries(outboxId);
    expect(row).toMatchObject({ succeeded: false, error: "connection failed" });
    const [outbox] = await t.database.admin("SELECT last_error FROM outbox WHERE id = $1", [outboxId]);
    expect(outbox!.last_error).toContain("connection failed");
    expect(outbox!.last_error).not.toMatch(/ECONNREFUSED|fetch failed|127\.0\.0\.1|:\d{2,5}/);
  });

  it("does not follow a redirect (it could point anywhere); the failure is logged by status class", async () => {
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(req.url ?? "");
      if (req.url === "/hook") res.writeHead(307, { location: "/internal" }).end();
      else res.writeHead(204).end();
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    try {
      const tenant = await t.createTenant();
      await insertEndpoint(tenant.id, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
      const outboxId = await deliver(tenant.id, { urlPolicy: LOCAL });
      expect(seen).toEqual(["/hook"]);
      const [row] = await deliveries(outboxId);
      expect(row).toMatchObject({ succeeded: false, status_code: 307, error: "HTTP 3xx" });
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });
});

async function insertEndpoint(tenantId: string, url: string) {
  await t.database.admin(
    "INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret) VALUES ($1, $2, $3, $4, $5)",
    [newId("whe"), tenantId, url, ["booking.cancelled"], `whsec_${randomBytes(32).toString("base64")}`],
  );
}

/** One booking.cancelled event for the tenant, handed to the webhook handler once; returns the event's id. */
async function deliver(
  tenantId: string,
  transport: Parameters<typeof createTenantWebhooksHandler>[0],
): Promise<string> {
  const outboxId = newId("evt");
  await t.database.admin(
    "INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload) VALUES ($1, $2, 'booking.cancelled', 'bkg_x', '{}')",
    [outboxId, tenantId],
  );
  await consumeOutboxBatch(
    t.database.db,
    {
      queue: "bookra-outbox",
      messages: [{ id: "m", body: { outboxId, tenantId }, attempts: 1, ack: () => {}, retry: () => {} }],
    },
    {
      handlers: [createTenantWebhooksHandler({ timeoutMs: 5000, ...transport })],
      providers: undefined,
      config: { manageTokenSecret: "x".repeat(32), publicBaseUrl: "" },
      now: () => new Date(),
    },
  );
  return outboxId;
}

function deliveries(outboxId: string) {
  return t.database.admin("SELECT succeeded, status_code, error FROM webhook_deliveries WHERE outbox_id = $1", [
    outboxId,
  ]);
}
