// The published OpenAPI document is exact: the response validator every route test goes through bites, request
// schemas are as strict as the server, every operation is named and described, and the outgoing webhook payloads
// the outbox writes match their published schemas.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadContract } from "../sdk/scripts/contract.ts";
import type { Schema } from "../sdk/scripts/generate-types.ts";
import { webhookBody } from "../worker/src/effects/webhook-delivery.ts";
import { TEST_STRIPE_WEBHOOK_SECRET, useTestApp } from "./helpers/app.ts";
import { contractChecker, createContractChecker } from "./helpers/contract.ts";
import { createSalon, customer } from "./helpers/salon.ts";

const t = useTestApp();
const doc = loadContract() as ReturnType<typeof loadContract> & {
  webhooks: Record<string, { post: { requestBody: { content: Record<string, { schema: Schema }> } } }>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, unknown> };
};
const checker = contractChecker();

type Op = {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
};
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Op>).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
);

const BOOKING = {
  id: "bkg_1",
  status: "confirmed",
  serviceId: "svc_1",
  staffId: "stf_1",
  start: "2027-03-02T09:00:00Z",
  end: "2027-03-02T10:00:00Z",
  price: { amount: 5000, currency: "EUR" },
  deposit: null,
  holdExpiresAt: null,
  createdAt: "2027-03-01T08:00:00.000Z",
};
const json = (v: unknown) => JSON.stringify(v);
const check =
  (status: number, body: unknown, contentType = "application/json") =>
  () =>
    checker.check(
      "GET",
      "/v1/public/acme/bookings/bkg_1?token=x",
      status,
      contentType,
      typeof body === "string" ? body : json(body),
    );

describe("the response validator", () => {
  it("passes a booking that matches its schema, without a deposit and with one", () => {
    expect(check(200, BOOKING)).not.toThrow();
    expect(check(200, { ...BOOKING, deposit: { amount: 1000, currency: "EUR" } })).not.toThrow();
  });

  it("fails a body that breaks the schema, naming the operation and the field", () => {
    expect(check(200, { ...BOOKING, deposit: "10" })).toThrow(
      /GET \/v1\/public\/\{tenant\}\/bookings\/\{id\} answered 200, a body that does not match[\s\S]*\/deposit/,
    );
    expect(check(200, { ...BOOKING, status: "lost" })).toThrow(/does not match/);
    expect(check(404, { error: { code: "NOT_FOUND" } })).toThrow(/\/error must have required property 'message'/);
  });

  it("fails a status the document does not list, and a body that is not the promised JSON", () => {
    expect(check(418, { error: { code: "X", message: "m", requestId: "r" } })).toThrow(
      /answered 418, a status the document does not list \(documented: 200, 400, 401, 404, 500\)/,
    );
    expect(check(200, "<html></html>", "text/html")).toThrow(/content-type text\/html/);
  });

  it("leaves paths outside the document alone and finds operations by template", () => {
    expect(() => checker.check("GET", "/docs", 200, "text/html", "<html>")).not.toThrow();
    expect(checker.operationOf("POST", "/v1/public/acme/bookings/bkg_1/cancel?token=x")).toBe(
      "POST /v1/public/{tenant}/bookings/{id}/cancel",
    );
    expect(checker.operationOf("GET", "/v1/admin/staff/stf_1/time-off")).toBe("GET /v1/admin/staff/{id}/time-off");
    expect(checker.operationOf("PUT", "/v1/admin/staff")).toBeUndefined();
  });

  it("checks every answer of the in-process app (a route whose schema is wrong fails its tests)", async () => {
    // The same app, judged by a document whose Booking lost `deposit`'s null: the real answer no longer passes.
    const broken = structuredClone(doc);
    (broken.components.schemas.Booking!.properties as Record<string, Schema>).deposit = {
      $ref: "#/components/schemas/Money",
    };
    const strict = createContractChecker(broken);
    const s = await createSalon(t);
    const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("contract") },
    });
    expect(res.status).toBe(201);
    expect(res.body.booking.deposit).toBeNull();
    expect(() =>
      strict.check("POST", `/v1/public/${s.tenant.slug}/bookings`, 201, "application/json", json(res.body)),
    ).toThrow(/\/booking\/deposit must be object/);
  });
});

describe("the published document", () => {
  it("names, summarises and describes every operation, with unique camelCase operationIds", () => {
    expect(operations.length).toBeGreaterThanOrEqual(43);
    const ids = operations.map(({ op }) => op.operationId);
    for (const { name, op } of operations) {
      expect(op.operationId, name).toMatch(/^[a-z][a-zA-Z0-9]+$/);
      expect(op.summary, name).toBeTruthy();
      expect(op.description, name).toBeTruthy();
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("declares who may call each operation: public ones nobody, admin ones the bearer API key", () => {
    expect(doc.components.securitySchemes).toMatchObject({ apiKey: { type: "http", scheme: "bearer" } });
    for (const { name, op } of operations)
      expect(op.security, name).toEqual(name.includes(" /v1/admin/") ? [{ apiKey: [] }] : []);
  });

  it("documents 400 and 500 everywhere, 413 on writes and 429 on the rate-limited operations", () => {
    for (const { name, op } of operations) {
      expect(op.responses, name).toHaveProperty("400");
      expect(op.responses, name).toHaveProperty("500");
      if (!name.startsWith("GET ")) expect(op.responses, name).toHaveProperty("413");
    }
    for (const name of [
      "POST /v1/signup",
      "POST /v1/public/{tenant}/bookings",
      "POST /v1/public/{tenant}/bookings/{id}/cancel",
      "POST /v1/public/{tenant}/bookings/{id}/reschedule",
    ])
      expect(operations.find((o) => o.name === name)?.op.responses, name).toHaveProperty("429");
  });

  it("publishes nullable fields as schemas null satisfies (no allOf around a null marker)", () => {
    const offenders: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== "object") return;
      const allOf = (node as Schema).allOf;
      if (allOf?.some((p) => Array.isArray(p.type) && p.type.includes("null"))) offenders.push(at);
      for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
    };
    walk(doc, "#");
    expect(offenders).toEqual([]);
    expect(checker.errorsOf({ $ref: "#/components/schemas/Booking" }, BOOKING)).toEqual([]);
  });
});

describe("request schemas are as strict as the server", () => {
  const bookingInput = { $ref: "#/components/schemas/BookingInput" };
  const valid = { serviceId: "svc_1", start: "2027-03-02T09:00:00Z", customer: { name: "A", email: "a@example.com" } };
  const queryParam = (name: string, param: string) =>
    operations.find((o) => o.name === name)!.op.parameters!.find((p) => p.name === param)!.schema;

  it("refuses what the server refuses: 0@com, a start that is not a date-time, an empty cursor, a zone offset", async () => {
    expect(checker.errorsOf(bookingInput, valid)).toEqual([]);
    expect(checker.errorsOf(bookingInput, { ...valid, customer: { name: "A", email: "0@com" } })).not.toEqual([]);
    expect(checker.errorsOf(bookingInput, { ...valid, start: "2027-03-02 09:00" })).not.toEqual([]);
    const cursor = queryParam("GET /v1/admin/staff", "cursor");
    expect(checker.errorsOf(cursor, "")).not.toEqual([]);
    const timezone = queryParam("GET /v1/public/{tenant}/availability", "timezone");
    expect(checker.errorsOf(timezone, "Europe/London")).toEqual([]);
    expect(checker.errorsOf(timezone, "America/Argentina/Buenos_Aires")).toEqual([]);
    expect(checker.errorsOf(timezone, "+01:00")).not.toEqual([]);
    expect(checker.errorsOf(timezone, "Europe/London; DROP")).not.toEqual([]);

    // ...and the server agrees with each refusal.
    const s = await createSalon(t);
    const book = (body: unknown) => t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, { body });
    expect((await book({ ...valid, serviceId: s.serviceId, customer: { name: "A", email: "0@com" } })).status).toBe(
      400,
    );
    expect((await t.request("GET", "/v1/admin/staff?cursor=", { key: s.tenant.apiKey })).status).toBe(400);
    const avail = `/v1/public/${s.tenant.slug}/availability?serviceId=${s.serviceId}&from=2027-03-02&to=2027-03-02`;
    expect((await t.request("GET", `${avail}&timezone=${encodeURIComponent("+01:00")}`)).status).toBe(400);
  });
});

describe("outgoing webhooks", () => {
  function sign(payload: string, at = Math.floor(t.clock.now.getTime() / 1000)) {
    return `t=${at},v1=${createHmac("sha256", TEST_STRIPE_WEBHOOK_SECRET).update(`${at}.${payload}`).digest("hex")}`;
  }

  it("every event the outbox writes matches its published payload schema", async () => {
    const s = await createSalon(t, { connected: true, service: { deposit: { percent: 20 } } });
    const slug = s.tenant.slug;
    const book = async (start: string, n: string) => {
      const res = await t.request("POST", `/v1/public/${slug}/bookings`, {
        body: { serviceId: s.serviceId, start, customer: customer(n) },
      });
      expect(res.status).toBe(201);
      return res.body as { booking: { id: string }; manageToken: string };
    };
    // created + confirmed (paid), rescheduled and cancelled by the customer; created + expired (hold lapsed).
    const paid = await book("2027-03-02T09:00:00Z", "w1");
    // Events are routed by the connected account (issue 13): the tenant owns this one.
    const account = `acct_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
    await t.database.admin("UPDATE tenants SET stripe_account_id = $1, stripe_charges_enabled = true WHERE id = $2", [
      account,
      s.tenant.id,
    ]);
    const event = JSON.stringify({
      id: `evt_${crypto.randomUUID()}`,
      type: "checkout.session.completed",
      account,
      data: {
        object: {
          id: `cs_${paid.booking.id}`,
          client_reference_id: paid.booking.id,
          amount_total: 1000,
          currency: "eur",
          payment_status: "paid",
          // No PaymentIntent: this test checks the outgoing payloads, and no Stripe runs here to ask for its fees
          // (with one, the worker asks Stripe for the charge's balance transaction first; test/worker covers that).
          payment_intent: null,
          metadata: { tenantId: s.tenant.id, bookingId: paid.booking.id },
        },
      },
    });
    const stripe = await t.app.request("/v1/webhooks/stripe", {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": sign(event) },
      body: event,
    });
    expect(stripe.status).toBe(200);
    const manage = `/v1/public/${slug}/bookings/${paid.booking.id}`;
    const auth = { authorization: `Bearer ${paid.manageToken}` };
    expect(
      (await t.request("POST", `${manage}/reschedule`, { headers: auth, body: { start: "2027-03-02T11:00:00Z" } }))
        .status,
    ).toBe(200);
    expect((await t.request("POST", `${manage}/cancel`, { headers: auth })).status).toBe(200);
    const lapsed = await book("2027-03-03T09:00:00Z", "w2");
    await t.database.admin("SELECT expire_holds($1::text[], $2::timestamptz)", [
      [lapsed.booking.id],
      new Date(t.clock.now.getTime() + 86_400_000),
    ]);
    // And a test event from the developers page.
    const endpoint = await t.request("POST", "/v1/admin/webhook-endpoints", {
      key: s.tenant.apiKey,
      body: { url: "https://hooks.example.com/contract" },
    });
    expect(
      (await t.request("POST", `/v1/admin/webhook-endpoints/${endpoint.body.id}/test`, { key: s.tenant.apiKey }))
        .status,
    ).toBe(202);

    // The customer's cancellation refunded the deposit: its `payments.refund` row is an internal effect (it asks
    // Stripe), not a tenant webhook event, so it has no published payload schema.
    const internal = await t.database.admin(
      "SELECT payload FROM outbox WHERE tenant_id = $1 AND event_type = 'payments.refund'",
      [s.tenant.id],
    );
    expect(internal.map((r) => r.payload.bookingId)).toEqual([paid.booking.id]);
    const rows = await t.database.admin(
      "SELECT id, tenant_id, event_type, aggregate_id, payload, created_at FROM outbox WHERE tenant_id = $1 AND event_type <> 'payments.refund'",
      [s.tenant.id],
    );
    const types = rows.map((r) => r.event_type as string).sort();
    expect(types).toEqual([
      "booking.cancelled",
      "booking.confirmed",
      "booking.created",
      "booking.created",
      "booking.expired",
      "booking.rescheduled",
      "ping",
    ]);
    expect(Object.keys(doc.webhooks).sort()).toEqual([...new Set(types)]);
    for (const r of rows) {
      const body = webhookBody({
        id: r.id,
        tenantId: r.tenant_id,
        type: r.event_type,
        aggregateId: r.aggregate_id,
        payload: r.payload,
        createdAt: new Date(r.created_at),
      });
      const schema = doc.webhooks[r.event_type]!.post.requestBody.content["application/json"]!.schema;
      expect(checker.errorsOf(schema, JSON.parse(body)), `${r.event_type} ${body}`).toEqual([]);
      // The payload schemas are closed enough to notice a renamed field.
      const renamed = JSON.parse(body);
      delete renamed.data[r.event_type === "ping" ? "endpointId" : "bookingId"];
      expect(checker.errorsOf(schema, renamed), r.event_type).not.toEqual([]);
    }
  });
});
