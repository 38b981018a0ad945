// GET /v1/public/{tenant}/availability: pages of at most MAX_SLOTS_PER_RESPONSE slots, and short shared caching.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTestApp } from "../../../../test/helpers/app.ts";
import { createSalon, type Salon } from "../../../../test/helpers/salon.ts";
import { MAX_SLOTS_PER_RESPONSE } from "../../domain/limits.ts";
import { Availability } from "../../schemas/booking.ts";

const t = useTestApp();
const NOW = new Date("2027-03-01T08:00:00Z");
beforeEach(() => {
  t.clock.now = NOW;
});

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
let salon: Salon;
beforeAll(async () => {
  t.clock.now = NOW;
  // Two staff around the clock, a 5-minute service on a 5-minute step: 288 slots a day.
  salon = await createSalon(t, {
    staff: 2,
    hours: ALL_DAY,
    service: { durationMinutes: 5, slotStepMinutes: 5 },
  });
});

const get = (q: Record<string, string>, slug = salon.tenant.slug) =>
  t.request("GET", `/v1/public/${slug}/availability?${new URLSearchParams({ serviceId: salon.serviceId, ...q })}`);

describe("availability pages", () => {
  it("caps a response and lets the cursor walk the rest, each slot once", async () => {
    const range = { from: "2027-03-02", to: "2027-03-08" };
    const pages: Availability[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(cursor ? { ...range, cursor } : range);
      expect(res.status).toBe(200);
      const page = Availability.strict().parse(res.body);
      expect(page.slots.length).toBeLessThanOrEqual(MAX_SLOTS_PER_RESPONSE);
      if (page.nextCursor) {
        expect(page.slots).toHaveLength(MAX_SLOTS_PER_RESPONSE);
        expect(page.nextCursor > page.slots.at(-1)!.start).toBe(true);
      }
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);
    expect(pages).toHaveLength(Math.ceil((7 * 288) / MAX_SLOTS_PER_RESPONSE));
    const walked = pages.flatMap((p) => p.slots.map((s) => s.start));
    // The same slots as seven one-day requests, each of which fits in one response.
    const daily: string[] = [];
    for (let day = 2; day <= 8; day++) {
      const date = `2027-03-0${day}`;
      const one = Availability.parse((await get({ from: date, to: date })).body);
      expect(one.nextCursor).toBeNull();
      daily.push(...one.slots.map((s) => s.start));
    }
    expect(daily).toHaveLength(7 * 288);
    expect(walked).toEqual(daily);
    expect(pages[1]?.slots[0]?.start).toBe(pages[0]?.nextCursor);
  });

  it("answers a cursor past the range with no slots, and a malformed cursor with 400", async () => {
    const past = Availability.parse(
      (await get({ from: "2027-03-02", to: "2027-03-02", cursor: "2027-04-01T00:00:00Z" })).body,
    );
    expect(past).toMatchObject({ slots: [], nextCursor: null });
    const bad = await get({ from: "2027-03-02", to: "2027-03-02", cursor: "[1e400]" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
  });
});

describe("public caching", () => {
  it("lets shared caches keep catalog and availability briefly, and browsers not at all", async () => {
    const slots = await get({ from: "2027-03-02", to: "2027-03-02" });
    expect(slots.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=10");
    const catalog = await t.request("GET", `/v1/public/${salon.tenant.slug}/catalog`);
    expect(catalog.status).toBe(200);
    expect(catalog.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=10");
  });

  it("never marks an error cacheable", async () => {
    const missing = await t.request("GET", "/v1/public/no-such-business/catalog");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBeNull();
    const invalid = await get({ from: "2027-03-02", to: "2027-01-01" });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("cache-control")).toBeNull();
  });
});
