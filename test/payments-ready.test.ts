// Issue 13 item 3: a service that asks for payment up front (a deposit, fixed or a percentage, up to full prepayment)
// cannot be booked online until the business's Stripe account can take charges. The public booking answers 409
// PAYMENTS_NOT_READY and stores nothing, on either booking path (schedule known to the isolate or loaded); the desk
// still books it (paid at the venue); the catalogue says which services cannot be booked online yet.
import { beforeEach, describe, expect, it } from "vitest";
import { useTestApp } from "./helpers/app.ts";
import { snapshotRows } from "./helpers/rows.ts";
import { connectStripe, createSalon, customer, type Salon } from "./helpers/salon.ts";

const t = useTestApp();
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
});

const TABLES = ["bookings", "customers", "outbox", "idempotency_keys", "payments", "journal_entries"];

const book = (s: Salon, start: string, key?: string) =>
  t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
    body: { serviceId: s.serviceId, start, customer: customer("ready") },
    ...(key && { headers: { "idempotency-key": key } }),
  });

async function expectRefused(s: Salon, start: string, key?: string) {
  const before = await snapshotRows(t, s.tenant.id, TABLES);
  const res = await book(s, start, key);
  expect(res.status).toBe(409);
  expect(res.body.error.code).toBe("PAYMENTS_NOT_READY");
  expect(res.body.error.message).toMatch(/not taking online payments yet/);
  expect(await snapshotRows(t, s.tenant.id, TABLES)).toEqual(before);
}

describe("a service with payment up front, the business not able to take charges", () => {
  it.each([
    ["a percentage deposit", { percent: 20 }],
    ["a fixed deposit", { amount: 1500 }],
    ["full prepayment", { percent: 100 }],
  ])("refuses %s online with 409 PAYMENTS_NOT_READY and stores nothing", async (_name, deposit) => {
    const s = await createSalon(t, { service: { deposit } });
    await expectRefused(s, "2027-03-02T09:00:00Z");
    // A retry with the same Idempotency-Key is not answered from a stored refusal: once connected it books.
    const key = crypto.randomUUID();
    await expectRefused(s, "2027-03-02T10:00:00Z", key);
    await connectStripe(t, s.tenant.id);
    const booked = await book(s, "2027-03-02T10:00:00Z", key);
    expect(booked.status).toBe(201);
    expect(booked.body.booking.status).toBe("pending_payment");
  });

  it("refuses an account that exists but cannot take charges yet (onboarding incomplete)", async () => {
    const s = await createSalon(t, { service: { deposit: { percent: 20 } } });
    await t.database.admin("UPDATE tenants SET stripe_account_id = $1 WHERE id = $2", [
      `acct_${s.tenant.id}`,
      s.tenant.id,
    ]);
    await expectRefused(s, "2027-03-02T09:00:00Z");
  });

  it("still books a service that asks for nothing up front, and the desk still books the deposit service", async () => {
    const free = await createSalon(t);
    const res = await book(free, "2027-03-02T09:00:00Z");
    expect(res.status).toBe(201);
    expect(res.body.booking.status).toBe("confirmed");
    const s = await createSalon(t, { service: { deposit: { percent: 20 } } });
    const desk = await t.request("POST", "/v1/admin/bookings", {
      key: s.tenant.apiKey,
      body: { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("desk") },
    });
    expect(desk.status).toBe(201);
  });

  it("still shows the service's times, and the catalogue marks it not bookable online until charges are enabled", async () => {
    const s = await createSalon(t, { service: { deposit: { percent: 20 } } });
    const free = await t.request("POST", "/v1/admin/services", {
      key: s.tenant.apiKey,
      body: { name: "Chat", durationMinutes: 30, price: { amount: 0, currency: "EUR" }, staffIds: s.staffIds },
    });
    expect(free.status).toBe(201);
    const slots = await t.request(
      "GET",
      `/v1/public/${s.tenant.slug}/availability?serviceId=${s.serviceId}&from=2027-03-02&to=2027-03-02`,
    );
    expect(slots.body.slots.length).toBeGreaterThan(0);
    const bookable = async () =>
      Object.fromEntries(
        (await t.request("GET", `/v1/public/${s.tenant.slug}/catalog`)).body.services.map(
          (x: { id: string; bookableOnline: boolean }) => [x.id, x.bookableOnline],
        ),
      );
    expect(await bookable()).toEqual({ [s.serviceId]: false, [free.body.id]: true });
    await connectStripe(t, s.tenant.id);
    expect(await bookable()).toEqual({ [s.serviceId]: true, [free.body.id]: true });
  });
});

describe("the isolate's known schedule never decides on stale payment readiness", () => {
  it("books at once when the business connects after a refusal", async () => {
    const s = await createSalon(t, { service: { deposit: { percent: 20 } } });
    await expectRefused(s, "2027-03-02T09:00:00Z"); // the schedule (not ready) is now known here
    await connectStripe(t, s.tenant.id);
    expect((await book(s, "2027-03-02T09:00:00Z")).status).toBe(201);
  });

  it("refuses at once when Stripe disables charges after a booking made on the known schedule", async () => {
    const s = await createSalon(t, { connected: true, service: { deposit: { percent: 20 } } });
    expect((await book(s, "2027-03-02T09:00:00Z")).status).toBe(201);
    expect((await book(s, "2027-03-02T11:00:00Z")).status).toBe(201); // the one-round-trip path
    await t.database.admin("UPDATE tenants SET stripe_charges_enabled = false WHERE id = $1", [s.tenant.id]);
    await expectRefused(s, "2027-03-02T13:00:00Z");
  });
});
