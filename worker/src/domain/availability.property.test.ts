// Property tests: random schedules, bookings and service rules in zones with and without DST, checked against
// a deliberately naive minute-by-minute reading of API.md "Slot semantics".

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BusyRange,
  blockedRange,
  computeSlotPage,
  computeSlots,
  type InstantRange,
  isStartOffered,
  type SlotQuery,
  type StaffSchedule,
} from "./availability";
// Verified against a brute-force offset search in time.test.ts; everything else below is re-derived naively.
import { zonedWallTimeToInstant } from "./time";
import type { LocalInterval } from "./working-hours";

const MINUTE = 60_000;
const DAY = 86_400_000;

const ZONES = [
  "UTC",
  "Europe/London",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "America/Santiago",
  "America/Havana",
  "Pacific/Kiritimati",
  "Pacific/Pago_Pago",
  "Asia/Kathmandu",
] as const;
// 2027 transition days of those zones (London, New York, Santiago, Lord Howe, Havana) and an ordinary day.
const BASE_DATES = [
  "2027-03-28",
  "2027-10-31",
  "2027-03-14",
  "2027-11-07",
  "2027-04-04",
  "2027-09-05",
  "2027-10-03",
  "2027-06-15",
];

const dateAt = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const midnightUtc = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const shiftDate = (date: string, days: number): string => dateAt(midnightUtc(date) + days * DAY);
const pad = (n: number): string => String(n).padStart(2, "0");
const hhmm = (minutes: number): string => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
const minutesOf = (text: string): number => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
const overlaps = (a: InstantRange, b: InstantRange): boolean => a.startsAt < b.endsAt && b.startsAt < a.endsAt;

const intervalArb: fc.Arbitrary<LocalInterval> = fc
  .integer({ min: 0, max: 1439 })
  .chain((start) => fc.integer({ min: start + 1, max: 1440 }).map((end) => ({ start: hhmm(start), end: hhmm(end) })));

const serviceArb = fc.record({
  durationMinutes: fc.constantFrom(5, 15, 30, 45, 60, 90, 120),
  slotStepMinutes: fc.constantFrom(5, 10, 15, 20, 30, 45, 60),
  bufferBeforeMinutes: fc.constantFrom(0, 5, 10, 15, 30),
  bufferAfterMinutes: fc.constantFrom(0, 5, 10, 15, 30),
  minNoticeMinutes: fc.integer({ min: 0, max: 3000 }),
  maxAdvanceDays: fc.integer({ min: 0, max: 7 }),
});

/** A random query over 1–3 viewer days around a DST change, with everything else placed near those days. */
const queryArb: fc.Arbitrary<SlotQuery> = fc
  .record({
    tenantTimeZone: fc.constantFrom(...ZONES),
    viewerTimeZone: fc.constantFrom(...ZONES),
    baseDate: fc.constantFrom(...BASE_DATES),
    extraDays: fc.integer({ min: 0, max: 2 }),
  })
  .chain(({ tenantTimeZone, viewerTimeZone, baseDate, extraDays }) => {
    const fromDate = shiftDate(baseDate, -1);
    const toDate = shiftDate(fromDate, extraDays);
    const anchor = midnightUtc(fromDate) - 2 * DAY;
    const spanMinutes = (extraDays + 5) * 1440;
    const instantArb = fc.integer({ min: 0, max: spanMinutes }).map((m) => anchor + m * MINUTE);
    const rangeArb = fc
      .tuple(instantArb, fc.integer({ min: 1, max: 600 }))
      .map(([startsAt, minutes]) => ({ startsAt, endsAt: startsAt + minutes * MINUTE }));
    const dates = Array.from({ length: extraDays + 5 }, (_, i) => shiftDate(fromDate, i - 2));
    const staffArb = fc.record({
      weekly: fc.array(fc.tuple(fc.integer({ min: 1, max: 7 }), intervalArb), { maxLength: 8 }),
      overrides: fc.dictionary(fc.constantFrom(...dates), fc.array(intervalArb, { maxLength: 2 }), { maxKeys: 3 }),
      timeOff: fc.array(rangeArb, { maxLength: 3 }),
    });
    return fc
      .record({
        staff: fc.array(staffArb, { minLength: 1, maxLength: 3 }),
        // Index 3 is a staff member outside the query: their bookings must change nothing.
        busy: fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), rangeArb), { maxLength: 10 }),
        service: serviceArb,
        now: fc.integer({ min: anchor - DAY, max: anchor + spanMinutes * MINUTE }),
      })
      .map(({ staff, busy, service, now }) => ({
        tenantTimeZone,
        viewerTimeZone,
        fromDate,
        toDate,
        now,
        service,
        staff: staff.map(
          (s, i): StaffSchedule => ({
            staffId: `stf_${i}`,
            weekly: s.weekly.map(([weekday, interval]) => ({ weekday, ...interval })),
            overrides: s.overrides,
            timeOff: s.timeOff,
          }),
        ),
        busy: busy.map(([index, range]): BusyRange => ({ staffId: `stf_${index}`, ...range })),
      }));
  });

function viewRange(q: SlotQuery): InstantRange {
  return {
    startsAt: zonedWallTimeToInstant(q.fromDate, 0, q.viewerTimeZone),
    endsAt: zonedWallTimeToInstant(shiftDate(q.toDate, 1), 0, q.viewerTimeZone),
  };
}

/** Every working interval of a staff member, as instants, on every tenant date that could matter (generously). */
function naiveWorkingIntervals(q: SlotQuery, staff: StaffSchedule): InstantRange[] {
  const result: InstantRange[] = [];
  for (let date = shiftDate(q.fromDate, -3); date <= shiftDate(q.toDate, 3); date = shiftDate(date, 1)) {
    const weekday = ((new Date(midnightUtc(date)).getUTCDay() + 6) % 7) + 1;
    const intervals = Object.hasOwn(staff.overrides, date)
      ? (staff.overrides[date] ?? [])
      : staff.weekly.filter((interval) => interval.weekday === weekday);
    for (const { start, end } of intervals) {
      result.push({
        startsAt: zonedWallTimeToInstant(date, minutesOf(start), q.tenantTimeZone),
        endsAt: zonedWallTimeToInstant(date, minutesOf(end), q.tenantTimeZone),
      });
    }
  }
  return result;
}

/** The four rules, literally, for one staff member and one start. */
function naiveOffered(q: SlotQuery, staff: StaffSchedule, working: InstantRange[], t: number): boolean {
  const { durationMinutes: d, slotStepMinutes: s, bufferBeforeMinutes: bb, bufferAfterMinutes: ba } = q.service;
  const appointment = { startsAt: t, endsAt: t + d * MINUTE };
  const blocked = { startsAt: t - bb * MINUTE, endsAt: t + (d + ba) * MINUTE };
  const rule1and2 = working.some(
    (w) => w.startsAt <= t && appointment.endsAt <= w.endsAt && (t - w.startsAt) % (s * MINUTE) === 0,
  );
  const rule1TimeOff = !staff.timeOff.some((off) => overlaps(off, appointment));
  const rule3 = q.now + q.service.minNoticeMinutes * MINUTE <= t && t <= q.now + q.service.maxAdvanceDays * DAY;
  const rule4 = !q.busy.some((b) => b.staffId === staff.staffId && overlaps(b, blocked));
  return rule1and2 && rule1TimeOff && rule3 && rule4;
}

/** "startsAt|staffId" for every minute of the viewer's range that the naive checker accepts. */
function naiveOffers(q: SlotQuery): string[] {
  const view = viewRange(q);
  const offers: string[] = [];
  for (const staff of q.staff) {
    const working = naiveWorkingIntervals(q, staff);
    for (let t = Math.ceil(view.startsAt / MINUTE) * MINUTE; t < view.endsAt; t += MINUTE) {
      if (naiveOffered(q, staff, working, t)) offers.push(`${t}|${staff.staffId}`);
    }
  }
  return offers.sort();
}

const engineOffers = (q: SlotQuery): string[] =>
  computeSlots(q)
    .flatMap((slot) => slot.staffIds.map((id) => `${slot.startsAt}|${id}`))
    .sort();

describe("computeSlots properties", () => {
  it("offers exactly the starts the naive checker accepts (sound and complete)", () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(queryArb, (q) => {
        const offers = engineOffers(q);
        if (offers.length > 0) nonEmpty++;
        expect(offers).toEqual(naiveOffers(q));
      }),
      { numRuns: 250 },
    );
    // Guard against a generator that only ever produces empty calendars.
    expect(nonEmpty).toBeGreaterThan(50);
  });

  it("returns sorted unique starts, the service's duration, and staff in query order", () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        const slots = computeSlots(q);
        const order = q.staff.map((s) => s.staffId);
        slots.forEach((slot, i) => {
          if (i > 0) expect(slot.startsAt).toBeGreaterThan(slots[i - 1]?.startsAt ?? Number.NEGATIVE_INFINITY);
          expect(slot.endsAt - slot.startsAt).toBe(q.service.durationMinutes * MINUTE);
          expect(slot.staffIds.length).toBeGreaterThan(0);
          const positions = slot.staffIds.map((id) => order.indexOf(id));
          expect(positions).toEqual([...new Set(positions)].sort((a, b) => a - b));
        });
      }),
      { numRuns: 150 },
    );
  });

  it("offers no overlapping start to a staff member once one of their slots is booked", () => {
    fc.assert(
      fc.property(queryArb, fc.nat(), fc.nat(), (q, slotPick, staffPick) => {
        const slots = computeSlots(q);
        const slot = slots[slotPick % Math.max(1, slots.length)];
        if (!slot) return;
        const staffId = slot.staffIds[staffPick % slot.staffIds.length] ?? "";
        const booked = blockedRange(slot.startsAt, slot.endsAt, q.service);
        const after = computeSlots({ ...q, busy: [...q.busy, { staffId, ...booked }] });
        for (const next of after.filter((s) => s.staffIds.includes(staffId))) {
          expect(overlaps(next, slot)).toBe(false);
          expect(overlaps(blockedRange(next.startsAt, next.endsAt, q.service), booked)).toBe(false);
        }
        // Nobody else's calendar moves.
        const without = (list: typeof slots) =>
          list
            .map((s) => ({ ...s, staffIds: s.staffIds.filter((id) => id !== staffId) }))
            .filter((s) => s.staffIds.length);
        expect(without(after)).toEqual(without(slots));
      }),
      { numRuns: 150 },
    );
  });

  it("isStartOffered agrees with computeSlots on every grid start, its neighbours and random instants", () => {
    fc.assert(
      fc.property(queryArb, fc.array(fc.integer({ min: 0, max: 4 * 1440 }), { maxLength: 20 }), (q, randomMinutes) => {
        const view = viewRange(q);
        const offered = new Set(engineOffers(q));
        const { durationMinutes, slotStepMinutes } = q.service;
        for (const staff of q.staff) {
          const candidates = new Set(randomMinutes.map((m) => Math.ceil(view.startsAt / MINUTE) * MINUTE + m * MINUTE));
          for (const w of naiveWorkingIntervals(q, staff)) {
            for (let t = w.startsAt; t + durationMinutes * MINUTE <= w.endsAt; t += slotStepMinutes * MINUTE) {
              for (const candidate of [t - MINUTE, t, t + MINUTE]) candidates.add(candidate);
            }
          }
          for (const t of candidates) {
            if (t < view.startsAt || t >= view.endsAt) continue;
            expect(isStartOffered(q, staff.staffId, t), `${new Date(t).toISOString()} ${staff.staffId}`).toBe(
              offered.has(`${t}|${staff.staffId}`),
            );
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("shows, for any viewer zone, exactly the tenant-zone slots inside the viewer's date range", () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        const view = viewRange(q);
        const wide = computeSlots({
          ...q,
          viewerTimeZone: q.tenantTimeZone,
          fromDate: shiftDate(q.fromDate, -2),
          toDate: shiftDate(q.toDate, 2),
        });
        expect(computeSlots(q)).toEqual(wide.filter((s) => s.startsAt >= view.startsAt && s.startsAt < view.endsAt));
      }),
      { numRuns: 150 },
    );
  });
});

describe("computeSlotPage properties", () => {
  it("pages, followed by their next start, list exactly computeSlots, at most maxSlots each", () => {
    fc.assert(
      fc.property(queryArb, fc.integer({ min: 1, max: 40 }), (q, maxSlots) => {
        const all = computeSlots(q);
        const walked: typeof all = [];
        let startsAt: number | undefined;
        for (let pages = 0; pages <= all.length + 1; pages++) {
          const page = computeSlotPage(q, { startsAt, maxSlots });
          expect(page.slots.length).toBeLessThanOrEqual(maxSlots);
          walked.push(...page.slots);
          if (page.nextStartsAt === null) break;
          expect(page.slots).toHaveLength(maxSlots);
          startsAt = page.nextStartsAt;
        }
        expect(walked).toEqual(all);
      }),
      { numRuns: 150 },
    );
  });
});
