// The SDK against the real worker in workerd on a fresh database: the tenant made through signup, its staff and
// service through the admin client, then booking, replay, conflicts, changes and paging, and the served contract.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { useWorker } from "../../test/helpers/worker.ts";
import { randomString } from "../../worker/src/lib/ids.ts";
import { withoutServers } from "../scripts/contract.ts";
import { type BookraAdmin, createBookraAdmin, signup } from "../src/admin-client.ts";
import { type Bookra, createBookra } from "../src/client.ts";
import {
  AuthenticationError,
  IdempotencyError,
  NotFoundError,
  SlotUnavailableError,
  ValidationError,
} from "../src/errors.ts";

const w = useWorker();

/** A calendar date `days` from today in UTC (the tenant's zone), so the worker's real clock offers its slots. */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const customer = (n: number | string) => ({ name: `Customer ${n}`, email: `customer${n}@example.com` });

let admin: BookraAdmin;
let bookra: Bookra;
let serviceId: string;
let staffId: string;

beforeAll(async () => {
  const slug = `sdk-${randomString(10)}`;
  const { tenant, apiKey } = await signup(
    {
      businessName: "SDK Cuts",
      slug,
      timezone: "UTC",
      currency: "EUR",
      ownerEmail: `${slug}@example.com`,
      ownerPassword: "a long enough password",
    },
    { baseUrl: w.baseUrl },
  );
  expect(tenant.slug).toBe(slug);
  admin = createBookraAdmin({ baseUrl: w.baseUrl, apiKey });
  const service = await admin.services.create({
    name: "Cut",
    durationMinutes: 30,
    price: { amount: 3000, currency: "EUR" },
    slotStepMinutes: 30,
  });
  const staff = await admin.staff.create({
    name: "Ana",
    serviceIds: [service.id],
    weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "09:00", end: "17:00" })),
  });
  serviceId = service.id;
  staffId = staff.id;
  bookra = createBookra({ baseUrl: w.baseUrl, tenant: slug });
});

async function slotsOn(date: string) {
  const { slots } = await bookra.availability.list({ serviceId, from: date, to: date });
  expect(slots.length).toBeGreaterThan(5);
  return slots;
}

describe("the contract", () => {
  it("the worker serves exactly the OpenAPI document the SDK's types were generated from", async () => {
    const served = withoutServers(await (await w.fetch("/openapi.json")).json());
    const committed = JSON.parse(readFileSync(new URL("../src/generated/openapi.json", import.meta.url), "utf8"));
    expect(served, "run `npm run generate -w @bookra/sdk`").toEqual(committed);
  });
});

describe("public client against the worker", () => {
  it("lists the catalog and books a slot; a replay with the same key returns the same booking", async () => {
    const catalog = await bookra.catalog.get();
    expect(catalog.services.map((s) => s.id)).toEqual([serviceId]);
    const [slot] = await slotsOn(day(2));
    const input = { serviceId, start: slot!.start, customer: customer("replay") };
    const first = await bookra.bookings.create(input, { idempotencyKey: "sdk-live-replay-3f9a1c7e5b2d" });
    expect(first.booking).toMatchObject({ status: "confirmed", start: slot!.start, staffId });
    const replay = await bookra.bookings.create(input, { idempotencyKey: "sdk-live-replay-3f9a1c7e5b2d" });
    expect(replay.booking.id).toBe(first.booking.id);
    expect(replay.manageToken).toBe(first.manageToken);
    const listed = await admin.bookings.list({ from: slot!.start, to: slot!.end });
    expect(listed.data.map((b) => b.id)).toEqual([first.booking.id]);
  });

  it("surfaces a taken slot as SlotUnavailableError, and a reused key with another body as IdempotencyError", async () => {
    const slots = await slotsOn(day(3));
    const start = slots[1]!.start;
    const mine = await bookra.bookings.create(
      { serviceId, start, customer: customer("a") },
      { idempotencyKey: "sdk-live-a-3f9a1c7e5b2d4a6c" },
    );
    const taken = await bookra.bookings.create({ serviceId, start, customer: customer("b") }).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(SlotUnavailableError);
    expect(taken).toMatchObject({ status: 409, code: "SLOT_UNAVAILABLE" });
    expect((taken as SlotUnavailableError).requestId).toMatch(/\w{8,}/);
    const reused = await bookra.bookings
      .create(
        { serviceId, start: slots[4]!.start, customer: customer("a") },
        { idempotencyKey: "sdk-live-a-3f9a1c7e5b2d4a6c" },
      )
      .catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(IdempotencyError);
    expect(mine.booking.status).toBe("confirmed");
  });

  it("reads, reschedules and cancels with the manage token; a wrong token or a bad start is refused", async () => {
    const slots = await slotsOn(day(4));
    const { booking, manageToken } = await bookra.bookings.create({
      serviceId,
      start: slots[0]!.start,
      customer: customer("c"),
    });
    expect((await bookra.bookings.get(booking.id, { manageToken })).id).toBe(booking.id);
    expect(await bookra.bookings.get(booking.id, { manageToken: "mt_wrong" }).catch((e: unknown) => e)).toBeInstanceOf(
      NotFoundError,
    );
    const moved = await bookra.bookings.reschedule(booking.id, { start: slots[3]!.start }, { manageToken });
    expect(moved).toMatchObject({ id: booking.id, start: slots[3]!.start });
    const freed = await bookra.availability.list({ serviceId, from: day(4), to: day(4) });
    expect(freed.slots.map((s) => s.start)).toContain(slots[0]!.start);
    const invalid = await bookra.bookings
      .reschedule(booking.id, { start: "tomorrow" }, { manageToken })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).issues?.[0]?.path).toEqual(["start"]);
    const cancelled = await bookra.bookings.cancel(booking.id, { manageToken });
    expect(cancelled.status).toBe("cancelled");
  });
});

describe("admin client against the worker", () => {
  it("pages through a day's bookings with for await, across several pages", async () => {
    const date = day(5);
    const slots = await slotsOn(date);
    const made: string[] = [];
    for (const slot of slots.slice(0, 5)) {
      const { booking } = await admin.bookings.create({
        serviceId,
        start: slot.start,
        customer: customer(`p${made.length}`),
      });
      made.push(booking.id);
    }
    const range = { from: `${date}T00:00:00Z`, to: `${day(6)}T00:00:00Z` };
    const first = await admin.bookings.list({ ...range, limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const seen: string[] = [];
    for await (const b of admin.bookings.list({ ...range, limit: 2 })) seen.push(b.id);
    expect(seen).toEqual(made);
    const cancelled = await admin.bookings.cancel(made[0]!);
    expect(cancelled.status).toBe("cancelled");
    expect((await admin.bookings.get(made[1]!)).customer.email).toBe("customerp1@example.com");
  });

  it("manages the tenant, staff and keys, and a revoked key is an AuthenticationError", async () => {
    expect((await admin.tenant.update({ name: "SDK Cuts & Co" })).name).toBe("SDK Cuts & Co");
    expect((await admin.staff.get(staffId)).serviceIds).toEqual([serviceId]);
    const { id, key } = await admin.apiKeys.create({ name: "temporary" });
    const temp = createBookraAdmin({ baseUrl: w.baseUrl, apiKey: key });
    expect((await temp.tenant.get()).name).toBe("SDK Cuts & Co");
    await admin.apiKeys.revoke(id);
    expect(await temp.tenant.get().catch((e: unknown) => e)).toBeInstanceOf(AuthenticationError);
  });
});
