// The worker bundle itself, inside workerd: fetch through the Neon driver, the queue consumer and the cron handler.
import { describe, expect, it } from "vitest";
import { newId, randomString } from "../../worker/src/lib/ids.ts";
import { eventually, useWorker } from "../helpers/worker.ts";

const w = useWorker();

async function json(res: Response) {
  return { status: res.status, body: (await res.json()) as any };
}

describe("worker in workerd", () => {
  it("stops reading a chunked 100 MB upload at about 64 KB and answers 413", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(97);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 100 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const init = { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" };
    // workerd answers while the client is still sending and then closes the connection; the reset can overtake the
    // answer on the client's side, so a reset is an accepted outcome (the in-process tests pin the 413 itself).
    const outcome = await w
      .fetch("/v1/no-such-route", init as RequestInit)
      .then(json)
      .catch((err: Error) => ({ reset: String((err.cause as { code?: string })?.code ?? err) }));
    if (!("reset" in outcome))
      expect(outcome).toMatchObject({ status: 413, body: { error: { code: "PAYLOAD_TOO_LARGE" } } });
    // What the client pushed includes socket buffers, yet stays far below the body it offered.
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it("serves health, the OpenAPI document and the docs page", async () => {
    expect((await json(await w.fetch("/health"))).body).toEqual({ ok: true });
    const spec = await json(await w.fetch("/openapi.json"));
    expect(spec.body.openapi).toBe("3.1.0");
    const docs = await w.fetch("/docs");
    expect(docs.headers.get("content-type")).toContain("text/html");
  });

  it("signs up and reads back through the Neon driver, with RLS in force", async () => {
    const slug = `wk-${randomString(10)}`;
    const signup = await json(
      await w.fetch("/v1/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          businessName: "Workerd Cuts",
          slug,
          timezone: "America/New_York",
          currency: "USD",
          ownerEmail: `${slug}@example.com`,
          ownerPassword: "long enough password",
        }),
      }),
    );
    expect(signup.status).toBe(201);
    const tenant = await json(
      await w.fetch("/v1/admin/tenant", { headers: { authorization: `Bearer ${signup.body.apiKey}` } }),
    );
    expect(tenant.body).toMatchObject({ slug, timezone: "America/New_York", currency: "USD" });
    const catalog = await json(await w.fetch(`/v1/public/${slug}/catalog`));
    expect(catalog.body.tenant.name).toBe("Workerd Cuts");
    const malformed = await json(
      await w.fetch("/v1/signup", { method: "POST", headers: { "content-type": "application/json" }, body: "{" }),
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("the cron sweep re-sends a stale pending outbox row and the queue consumer completes it", async () => {
    const tenantId = newId("ten");
    const outboxId = newId("evt");
    await w.database.admin(
      "INSERT INTO tenants (id, slug, name, timezone, currency) VALUES ($1, $2, 'Queue test', 'UTC', 'EUR')",
      [tenantId, `q-${randomString(10)}`],
    );
    await w.database.admin(
      `INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload, created_at)
       VALUES ($1, $2, 'test.event', 'agg_1', '{}', now() - interval '5 minutes')`,
      [outboxId, tenantId],
    );
    // No manual /__scheduled: the harness drives wrangler.toml's cron (scripts/lib/cron-driver.ts).
    const rows = await eventually(
      () => w.database.admin("SELECT status, enqueued_at, processed_at FROM outbox WHERE id = $1", [outboxId]),
      (r) => r[0]?.status === "done",
    );
    expect(rows[0]?.status).toBe("done");
    expect(rows[0]?.enqueued_at).not.toBeNull();
    expect(rows[0]?.processed_at).not.toBeNull();
  });
});

describe("cron sweep of lapsed holds", () => {
  it("expires a lapsed payment hold and records booking.expired", async () => {
    const tenantId = newId("ten");
    const staffId = newId("stf");
    const serviceId = newId("svc");
    const customerId = newId("cus");
    const bookingId = newId("bkg");
    await w.database.admin(
      "INSERT INTO tenants (id, slug, name, timezone, currency) VALUES ($1, $2, 'Hold test', 'UTC', 'EUR')",
      [tenantId, `h-${randomString(10)}`],
    );
    await w.database.admin("INSERT INTO staff (id, tenant_id, name) VALUES ($1, $2, 'S')", [staffId, tenantId]);
    await w.database.admin(
      "INSERT INTO services (id, tenant_id, name, duration_minutes, price_amount, currency) VALUES ($1, $2, 'X', 60, 1000, 'EUR')",
      [serviceId, tenantId],
    );
    await w.database.admin("INSERT INTO customers (id, tenant_id, name, email) VALUES ($1, $2, 'C', 'c@example.com')", [
      customerId,
      tenantId,
    ]);
    await w.database.admin(
      `INSERT INTO bookings (id, tenant_id, service_id, staff_id, customer_id, status, starts_at, ends_at, blocked_from, blocked_until,
         price_amount, deposit_amount, currency, hold_expires_at, manage_token_hash, source)
       VALUES ($1, $2, $3, $4, $5, 'pending_payment', now() + interval '1 day', now() + interval '25 hours', now() + interval '1 day',
         now() + interval '25 hours', 1000, 200, 'EUR', now() - interval '1 minute', 'x', 'public')`,
      [bookingId, tenantId, serviceId, staffId, customerId],
    );
    // No manual /__scheduled: the harness drives wrangler.toml's cron.
    const rows = await eventually(
      () => w.database.admin("SELECT status FROM bookings WHERE id = $1", [bookingId]),
      (r) => r[0]?.status === "expired",
    );
    expect(rows[0]?.status).toBe("expired");
    expect(
      await w.database.admin("SELECT 1 FROM outbox WHERE aggregate_id = $1 AND event_type = 'booking.expired'", [
        bookingId,
      ]),
    ).toHaveLength(1);
  });
});

describe("deposits through the worker in workerd", () => {
  it("holds the slot; Stripe (the emulator) takes the deposit and its signed webhook confirms the booking", async () => {
    const call = async (method: string, path: string, body?: unknown, key?: string) => {
      const res = await w.fetch(path, {
        method,
        headers: { "content-type": "application/json", ...(key && { authorization: `Bearer ${key}` }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const slug = `dep-${randomString(10)}`;
    const signup = await call("POST", "/v1/signup", {
      businessName: "Deposits",
      slug,
      timezone: "UTC",
      currency: "GBP",
      ownerEmail: `${slug}@example.com`,
      ownerPassword: "long enough password",
    });
    const key = signup.body.apiKey;
    const svc = await call(
      "POST",
      "/v1/admin/services",
      {
        name: "Colour",
        durationMinutes: 60,
        price: { amount: 10000, currency: "GBP" },
        deposit: { percent: 25 },
        staffIds: [],
      },
      key,
    );
    await call(
      "POST",
      "/v1/admin/staff",
      {
        name: "S",
        commissionBps: 0,
        serviceIds: [svc.body.id],
        weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
      },
      key,
    );
    // The worker in workerd runs on the real clock: the slot is two days from now, on the hour.
    const start = new Date(Math.ceil((Date.now() + 2 * 86_400_000) / 3_600_000) * 3_600_000)
      .toISOString()
      .replace(".000", "");
    const book = () =>
      call("POST", `/v1/public/${slug}/bookings`, {
        serviceId: svc.body.id,
        start,
        customer: { name: "P", email: "p@example.com" },
      });
    // Not connected yet: the deposit cannot be taken, so the service cannot be booked online; nothing is held.
    const refused = await book();
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("PAYMENTS_NOT_READY");
    // Connect: the onboarding page's "Complete", then account.updated reaches the worker.
    const link = await call("POST", "/v1/admin/payments/connect", {}, key);
    expect(link.status).toBe(200);
    await fetch(link.body.url, {
      method: "POST",
      body: new URLSearchParams({ action: "complete" }),
      redirect: "manual",
    });
    await eventually(
      () => call("GET", "/v1/admin/payments", undefined, key),
      (r) => r.body.chargesEnabled === true,
    );
    const booked = await book();
    expect(booked.status).toBe(201);
    expect(booked.body.booking.status).toBe("pending_payment");
    const checkout = new URL(booked.body.checkout.url);
    const toStripe = await w.fetch(checkout.pathname + checkout.search, { redirect: "manual" });
    expect(toStripe.status).toBe(303);
    const sessionUrl = toStripe.headers.get("location")!;
    expect(sessionUrl.startsWith(w.stripe.url)).toBe(true);
    const page = await fetch(sessionUrl);
    expect(await page.text()).toContain("25.00");
    const paid = await fetch(sessionUrl, {
      method: "POST",
      body: new URLSearchParams({ action: "pay" }),
      redirect: "manual",
    });
    expect(paid.status).toBe(303);
    await eventually(
      () => call("GET", `/v1/public/${slug}/bookings/${booked.body.booking.id}?token=${booked.body.manageToken}`),
      (r) => r.body.status === "confirmed",
    );
    const after = await call(
      "GET",
      `/v1/public/${slug}/bookings/${booked.body.booking.id}?token=${booked.body.manageToken}`,
    );
    expect(after.body.status).toBe("confirmed");
    // The deposit is in the ledger, posted from the charge's balance transaction: 25.00 owed to the customer until
    // the appointment, Stripe's fee as the emulator charges it (1.5 % + 20 minor units), the rest on the balance.
    const account = async (code: string) =>
      (await call("GET", "/v1/admin/ledger/balances", undefined, key)).body.accounts.find(
        (a: { account: string }) => a.account === code,
      )?.balance;
    expect(await account("customer_deposits")).toBe(-2500);
    expect(await account("stripe_fees")).toBe(Math.round(2500 * 0.015) + 20);
    const forged = await w.fetch("/v1/webhooks/stripe", {
      method: "POST",
      headers: { "stripe-signature": "t=1,v1=00" },
      body: "{}",
    });
    expect(forged.status).toBe(400);

    // The owner refunds part of the deposit: the outbox effect asks Stripe (the emulator) through the stripe package,
    // and the emulator's signed refund.updated settles it; the ledger owes nothing afterwards.
    const refund = await w.fetch(`/v1/admin/bookings/${booked.body.booking.id}/refunds`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${key}`,
        "idempotency-key": `refund-${randomString(12)}`,
      },
      body: JSON.stringify({ amount: 1000, reason: "Goodwill" }),
    });
    expect(refund.status).toBe(201);
    const settled = await eventually(
      () => call("GET", `/v1/admin/bookings/${booked.body.booking.id}/refunds`, undefined, key),
      (r) => r.body.refunds?.[0]?.status === "succeeded",
    );
    expect(settled.body.refunds[0].stripeRefundId).toMatch(/^re_/);
    const balances = await call("GET", "/v1/admin/ledger/balances", undefined, key);
    const payable = balances.body.accounts.find((a: { account: string }) => a.account === "refunds_payable");
    expect(payable).toBeDefined(); // decided (credited) and accepted (debited) …
    expect(payable.balance).toBe(0); // … so nothing is owed any more
    expect(await account("customer_deposits")).toBe(-1500);
  });
});

describe("rate limits in workerd", () => {
  const limited = useWorker({ BOOKRA_RATE_LIMIT: "on" });

  it("answers signups beyond the per-address budget with 429 RATE_LIMITED and Retry-After", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 14; i++) {
      const res = await limited.fetch("/v1/signup", {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "203.0.113.7" },
        body: JSON.stringify({
          businessName: "Flood",
          slug: `flood-${i}-${randomString(10)}`,
          timezone: "UTC",
          currency: "EUR",
          ownerEmail: `f${i}-${randomString(10)}@example.com`,
          ownerPassword: "long enough password",
        }),
      });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get("retry-after");
        expect(((await res.json()) as any).error.code).toBe("RATE_LIMITED");
      } else await res.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(10);
    expect(statuses).toContain(429);
    expect(retryAfter).toBe("60");
    // reads are never limited
    expect((await limited.fetch("/health")).status).toBe(200);
  });

  it("limits a booking's cancel/reschedule per booking (MANAGE_BOOKING_LIMITER) whatever the address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await limited.fetch("/v1/public/nobody-here/bookings/bkg_spammed/cancel?token=x", {
        method: "POST",
        headers: { "cf-connecting-ip": `203.0.113.${100 + i}` },
      });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});

describe("cron retention sweep", () => {
  it("deletes done outbox rows past 30 days and idempotency keys past 48 hours, and nothing newer", async () => {
    const tenantId = newId("ten");
    const [oldDone, recentDone] = [newId("evt"), newId("evt")];
    await w.database.admin(
      "INSERT INTO tenants (id, slug, name, timezone, currency) VALUES ($1, $2, 'Retention', 'UTC', 'EUR')",
      [tenantId, `r-${tenantId.slice(4, 16)}`],
    );
    await w.database.admin(
      `INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload, status, processed_at, created_at)
       VALUES ($1, $3, 'test.event', 'agg_1', '{}', 'done', now() - interval '40 days', now() - interval '40 days'),
              ($2, $3, 'test.event', 'agg_1', '{}', 'done', now() - interval '1 day', now() - interval '1 day')`,
      [oldDone, recentDone, tenantId],
    );
    await w.database.admin(
      `INSERT INTO idempotency_keys (tenant_id, scope, key, request_hash, response_status, response_body, created_at)
       VALUES ($1, 'booking', 'old', 'h', 201, '{}', now() - interval '3 days'),
              ($1, 'booking', 'new', 'h', 201, '{}', now() - interval '1 hour')`,
      [tenantId],
    );
    expect((await w.fetch("/__scheduled?cron=*+*+*+*+*")).status).toBe(200);
    const outbox = await w.database.admin("SELECT id FROM outbox WHERE tenant_id = $1", [tenantId]);
    expect(outbox.map((r) => r.id)).toEqual([recentDone]);
    const keys = await w.database.admin("SELECT key FROM idempotency_keys WHERE tenant_id = $1", [tenantId]);
    expect(keys.map((r) => r.key)).toEqual(["new"]);
  });
});
