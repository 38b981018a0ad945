import { describe, expect, it } from "vitest";
import {
  type BusyRange,
  blockedRange,
  computeSlots,
  isStartOffered,
  type ServiceRules,
  type SlotQuery,
  type StaffSchedule,
} from "./availability";
import type { WeeklyInterval } from "./working-hours";

const MINUTE = 60_000;
const utc = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString().replace(":00.000Z", "Z");

const SERVICE: ServiceRules = {
  durationMinutes: 60,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minNoticeMinutes: 0,
  maxAdvanceDays: 365,
  slotStepMinutes: 30,
};

function staffMember(staffId: string, weekly: WeeklyInterval[], extra: Partial<StaffSchedule> = {}): StaffSchedule {
  return { staffId, weekly, overrides: {}, timeOff: [], ...extra };
}

const everyDay = (start: string, end: string): WeeklyInterval[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

// 2027-03-01 is a Monday; by default the tenant and the viewer are in UTC so examples read as UTC times.
type QueryFields = Partial<Omit<SlotQuery, "service">> & { service?: Partial<ServiceRules> };

function query(fields: QueryFields = {}): SlotQuery {
  return {
    tenantTimeZone: "UTC",
    viewerTimeZone: "UTC",
    fromDate: "2027-03-01",
    toDate: "2027-03-01",
    now: utc("2027-02-01T00:00:00Z"),
    staff: [staffMember("stf_a", [{ weekday: 1, start: "09:00", end: "12:00" }])],
    busy: [],
    ...fields,
    service: { ...SERVICE, ...fields.service },
  };
}

/** Start times as UTC "HH:MM", for examples that stay within one UTC day. */
const startTimes = (q: SlotQuery): string[] => computeSlots(q).map((slot) => iso(slot.startsAt).slice(11, 16));
const startInstants = (q: SlotQuery): string[] => computeSlots(q).map((slot) => iso(slot.startsAt));

describe("computeSlots: the four rules on simple days", () => {
  it("offers every step of a working interval where the whole appointment fits", () => {
    const slots = computeSlots(query());
    expect(slots.map((slot) => iso(slot.startsAt))).toEqual([
      "2027-03-01T09:00Z",
      "2027-03-01T09:30Z",
      "2027-03-01T10:00Z",
      "2027-03-01T10:30Z",
      "2027-03-01T11:00Z",
    ]);
    expect(slots[0]).toEqual({
      startsAt: utc("2027-03-01T09:00Z"),
      endsAt: utc("2027-03-01T10:00Z"),
      staffIds: ["stf_a"],
    });
  });

  it("lets a date override replace that date's weekly hours, and only that date's", () => {
    const staff = [
      staffMember("stf_a", [{ weekday: 1, start: "09:00", end: "12:00" }], {
        overrides: { "2027-03-01": [{ start: "13:00", end: "15:00" }] },
      }),
    ];
    expect(startTimes(query({ staff }))).toEqual(["13:00", "13:30", "14:00"]);
    expect(startTimes(query({ staff, fromDate: "2027-03-08", toDate: "2027-03-08" }))).toEqual([
      "09:00",
      "09:30",
      "10:00",
      "10:30",
      "11:00",
    ]);
  });

  it("treats an empty override as a day off", () => {
    const staff = [staffMember("stf_a", everyDay("09:00", "12:00"), { overrides: { "2027-03-02": [] } })];
    const slots = computeSlots(query({ staff, toDate: "2027-03-03" }));
    expect(slots.filter((slot) => iso(slot.startsAt).startsWith("2027-03-02"))).toEqual([]);
    expect(slots.filter((slot) => iso(slot.startsAt).startsWith("2027-03-03"))).toHaveLength(5);
  });

  it("gives an override on a day without weekly hours its own hours", () => {
    const staff = [staffMember("stf_a", [], { overrides: { "2027-03-01": [{ start: "20:00", end: "24:00" }] } })];
    expect(startTimes(query({ staff }))).toEqual(["20:00", "20:30", "21:00", "21:30", "22:00", "22:30", "23:00"]);
  });

  it("removes starts whose appointment overlaps time off, while buffers may overlap it", () => {
    const timeOff = [{ startsAt: utc("2027-03-01T10:15Z"), endsAt: utc("2027-03-01T10:45Z") }];
    const staff = [staffMember("stf_a", [{ weekday: 1, start: "09:00", end: "13:00" }], { timeOff })];
    expect(startTimes(query({ staff }))).toEqual(["09:00", "11:00", "11:30", "12:00"]);
    // 30-minute buffers run into the absence (09:00 ends 10:00 + 30, 11:00 starts at 10:30) and are still offered.
    expect(startTimes(query({ staff, service: { bufferBeforeMinutes: 30, bufferAfterMinutes: 30 } }))).toEqual([
      "09:00",
      "11:00",
      "11:30",
      "12:00",
    ]);
  });

  it("keeps an appointment inside working hours but lets buffers run past them", () => {
    const q = query({ service: { bufferBeforeMinutes: 30, bufferAfterMinutes: 30 } });
    expect(startTimes(q)).toEqual(["09:00", "09:30", "10:00", "10:30", "11:00"]);
  });

  it("adds the booking's buffers to the candidate's: both blocked ranges must stay apart", () => {
    const service = { ...SERVICE, bufferBeforeMinutes: 15, bufferAfterMinutes: 15, slotStepMinutes: 15 };
    const booked = blockedRange(utc("2027-03-01T12:00Z"), utc("2027-03-01T13:00Z"), service);
    expect(booked).toEqual({ startsAt: utc("2027-03-01T11:45Z"), endsAt: utc("2027-03-01T13:15Z") });
    const staff = [staffMember("stf_a", [{ weekday: 1, start: "09:00", end: "17:00" }])];
    const times = startTimes(query({ staff, service, busy: [{ staffId: "stf_a", ...booked }] }));
    // 10:30 + 60 + 15 touches 11:45; 13:30 − 15 touches 13:15 (half-open ranges may touch).
    expect(times).toContain("10:30");
    expect(times).toContain("13:30");
    for (const taken of ["10:45", "11:00", "11:45", "12:00", "13:00", "13:15"]) expect(times).not.toContain(taken);
  });

  it("ignores other staff members' bookings", () => {
    const busy: BusyRange[] = [
      { staffId: "stf_b", startsAt: utc("2027-03-01T09:00Z"), endsAt: utc("2027-03-01T12:00Z") },
    ];
    expect(startTimes(query({ busy }))).toHaveLength(5);
  });

  it("requires the minimum notice, inclusive", () => {
    expect(startTimes(query({ now: utc("2027-03-01T09:00Z"), service: { minNoticeMinutes: 60 } }))).toEqual([
      "10:00",
      "10:30",
      "11:00",
    ]);
    expect(startTimes(query({ now: utc("2027-03-01T09:10Z"), service: { minNoticeMinutes: 60 } }))).toEqual([
      "10:30",
      "11:00",
    ]);
  });

  it("stops at the booking window, inclusive", () => {
    const staff = [staffMember("stf_a", everyDay("09:00", "12:00"))];
    const q = query({ staff, now: utc("2027-03-01T10:00Z"), toDate: "2027-03-03", service: { maxAdvanceDays: 1 } });
    expect(startInstants(q)).toEqual([
      "2027-03-01T10:00Z",
      "2027-03-01T10:30Z",
      "2027-03-01T11:00Z",
      "2027-03-02T09:00Z",
      "2027-03-02T09:30Z",
      "2027-03-02T10:00Z",
    ]);
  });

  it("counts the step grid from each interval's own start", () => {
    const staff = [
      staffMember("stf_a", [
        { weekday: 1, start: "09:10", end: "12:00" },
        { weekday: 1, start: "13:05", end: "14:30" },
      ]),
    ];
    expect(startTimes(query({ staff }))).toEqual(["09:10", "09:40", "10:10", "10:40", "13:05"]);
  });

  it("offers a start once when a staff member's intervals overlap", () => {
    const staff = [
      staffMember("stf_a", [
        { weekday: 1, start: "10:00", end: "12:00" },
        { weekday: 1, start: "09:00", end: "11:30" },
      ]),
    ];
    const slots = computeSlots(query({ staff }));
    expect(slots.map((slot) => iso(slot.startsAt).slice(11, 16))).toEqual([
      "09:00",
      "09:30",
      "10:00",
      "10:30",
      "11:00",
    ]);
    expect(slots.every((slot) => slot.staffIds.length === 1)).toBe(true);
  });

  it("merges staff members free at the same start into one slot, in the query's staff order", () => {
    const a = staffMember("stf_a", [{ weekday: 1, start: "09:00", end: "11:00" }]);
    const b = staffMember("stf_b", [{ weekday: 1, start: "10:00", end: "12:00" }]);
    const staffAt = (slots: ReturnType<typeof computeSlots>) =>
      Object.fromEntries(slots.map((slot) => [iso(slot.startsAt).slice(11, 16), slot.staffIds]));
    expect(staffAt(computeSlots(query({ staff: [a, b] })))).toEqual({
      "09:00": ["stf_a"],
      "09:30": ["stf_a"],
      "10:00": ["stf_a", "stf_b"],
      "10:30": ["stf_b"],
      "11:00": ["stf_b"],
    });
    expect(staffAt(computeSlots(query({ staff: [b, a] })))["10:00"]).toEqual(["stf_b", "stf_a"]);
  });

  it("offers nothing for malformed hours, a non-positive step or duration, or an empty range", () => {
    const staff = [
      staffMember("stf_a", [
        { weekday: 1, start: "9:00", end: "12:00" },
        { weekday: 1, start: "12:00", end: "11:00" },
      ]),
    ];
    expect(computeSlots(query({ staff }))).toEqual([]);
    expect(computeSlots(query({ service: { slotStepMinutes: 0 } }))).toEqual([]);
    expect(computeSlots(query({ service: { durationMinutes: 0 } }))).toEqual([]);
    expect(computeSlots(query({ fromDate: "2027-03-02", toDate: "2027-03-01" }))).toEqual([]);
  });
});

describe("isStartOffered", () => {
  const q = query({
    busy: [{ staffId: "stf_a", startsAt: utc("2027-03-01T11:00Z"), endsAt: utc("2027-03-01T11:30Z") }],
  });

  it("accepts exactly the offered starts of that staff member", () => {
    expect(isStartOffered(q, "stf_a", utc("2027-03-01T09:30Z"))).toBe(true);
    expect(isStartOffered(q, "stf_a", utc("2027-03-01T09:45Z"))).toBe(false); // off the step grid
    expect(isStartOffered(q, "stf_a", utc("2027-03-01T10:30Z"))).toBe(false); // taken
    expect(isStartOffered(q, "stf_a", utc("2027-03-01T11:30Z"))).toBe(false); // runs past 12:00
    expect(isStartOffered(q, "stf_b", utc("2027-03-01T09:30Z"))).toBe(false); // does not perform the service
    expect(isStartOffered({ ...q, now: utc("2027-03-01T09:31Z") }, "stf_a", utc("2027-03-01T09:30Z"))).toBe(false);
  });

  it("includes both ends of the notice-to-window range", () => {
    const service = { ...SERVICE, minNoticeMinutes: 60, maxAdvanceDays: 1 };
    const atNotice = { ...q, service, now: utc("2027-03-01T08:30Z") };
    expect(isStartOffered(atNotice, "stf_a", utc("2027-03-01T09:30Z"))).toBe(true);
    expect(isStartOffered({ ...atNotice, now: atNotice.now + 1 }, "stf_a", utc("2027-03-01T09:30Z"))).toBe(false);
    const atWindow = { ...q, service, now: utc("2027-02-28T09:30Z") };
    expect(isStartOffered(atWindow, "stf_a", utc("2027-03-01T09:30Z"))).toBe(true);
    expect(isStartOffered({ ...atWindow, now: atWindow.now - 1 }, "stf_a", utc("2027-03-01T09:30Z"))).toBe(false);
  });
});

describe("DST: working hours stay wall-clock hours", () => {
  const hoursOn = (tenantTimeZone: string, date: string, staff = [staffMember("stf_a", everyDay("09:00", "17:00"))]) =>
    startInstants(
      query({
        tenantTimeZone,
        viewerTimeZone: tenantTimeZone,
        fromDate: date,
        toDate: date,
        staff,
        service: { slotStepMinutes: 60 },
      }),
    );

  it.each([
    ["Europe/London", "2027-03-27", "09:00Z", "16:00Z"],
    ["Europe/London", "2027-03-28", "08:00Z", "15:00Z"],
    ["Europe/London", "2027-10-30", "08:00Z", "15:00Z"],
    ["Europe/London", "2027-10-31", "09:00Z", "16:00Z"],
    ["America/New_York", "2027-03-13", "14:00Z", "21:00Z"],
    ["America/New_York", "2027-03-14", "13:00Z", "20:00Z"],
    ["America/New_York", "2027-11-06", "13:00Z", "20:00Z"],
    ["America/New_York", "2027-11-07", "14:00Z", "21:00Z"],
  ])("%s %s: 09:00–17:00 local is %s … %s", (zone, date, first, last) => {
    const starts = hoursOn(zone, date);
    expect(starts).toHaveLength(8);
    expect(starts[0]).toBe(`${date}T${first}`);
    expect(starts[7]).toBe(`${date}T${last}`);
  });

  const overrideOn = (date: string, start: string, end: string) => [
    staffMember("stf_a", [], { overrides: { [date]: [{ start, end }] } }),
  ];
  const gridOn = (zone: string, date: string, start: string, end: string, step: number) =>
    startInstants(
      query({
        tenantTimeZone: zone,
        viewerTimeZone: zone,
        fromDate: addOneDayBefore(date),
        toDate: date,
        staff: overrideOn(date, start, end),
        service: { slotStepMinutes: step },
      }),
    );

  it("counts an interval across the spring gap in absolute time (London 00:00–03:00 is two hours)", () => {
    expect(gridOn("Europe/London", "2027-03-28", "00:00", "03:00", 30)).toEqual([
      "2027-03-28T00:00Z",
      "2027-03-28T00:30Z",
      "2027-03-28T01:00Z", // 02:00 BST
    ]);
  });

  it("counts an interval across the spring gap in absolute time (New York 01:00–04:00 is two hours)", () => {
    expect(gridOn("America/New_York", "2027-03-14", "01:00", "04:00", 30)).toEqual([
      "2027-03-14T06:00Z",
      "2027-03-14T06:30Z",
      "2027-03-14T07:00Z", // 03:00 EDT
    ]);
  });

  it("starts an interval that begins inside the gap where the gap ends, shifted like Temporal", () => {
    // 02:30 EST does not exist: it is 03:30 EDT, and 05:00 EDT ends the interval.
    expect(gridOn("America/New_York", "2027-03-14", "02:30", "05:00", 30)).toEqual([
      "2027-03-14T07:30Z",
      "2027-03-14T08:00Z",
    ]);
  });

  it("counts an interval across the fall-back hour in absolute time (London 00:00–03:00 is four hours)", () => {
    expect(gridOn("Europe/London", "2027-10-31", "00:00", "03:00", 60)).toEqual([
      "2027-10-30T23:00Z", // 00:00 BST
      "2027-10-31T00:00Z", // 01:00 BST
      "2027-10-31T01:00Z", // 01:00 GMT
      "2027-10-31T02:00Z",
    ]);
  });
});

function addOneDayBefore(date: string): string {
  return new Date(utc(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

describe("time zones: the viewer's dates select which tenant slots are shown", () => {
  // Asia/Kolkata (+05:30): 09:00–17:00 local is 03:30Z–11:30Z.
  const tenant = (fields: QueryFields) =>
    query({
      tenantTimeZone: "Asia/Kolkata",
      staff: [staffMember("stf_a", everyDay("09:00", "17:00"))],
      service: { slotStepMinutes: 60 },
      ...fields,
    });

  it("shows a tenant day under two viewer dates in Pacific/Kiritimati (+14)", () => {
    const march10 = startInstants(
      tenant({ viewerTimeZone: "Pacific/Kiritimati", fromDate: "2027-03-10", toDate: "2027-03-10" }),
    );
    // Viewer 2027-03-10 is [03-09T10:00Z, 03-10T10:00Z): the tail of tenant 03-09 and most of tenant 03-10.
    expect(march10).toEqual([
      "2027-03-09T10:30Z",
      "2027-03-10T03:30Z",
      "2027-03-10T04:30Z",
      "2027-03-10T05:30Z",
      "2027-03-10T06:30Z",
      "2027-03-10T07:30Z",
      "2027-03-10T08:30Z",
      "2027-03-10T09:30Z",
    ]);
  });

  it("shows a whole tenant day under the previous viewer date in Pacific/Pago_Pago (−11)", () => {
    const march9 = startInstants(
      tenant({ viewerTimeZone: "Pacific/Pago_Pago", fromDate: "2027-03-09", toDate: "2027-03-09" }),
    );
    // Viewer 2027-03-09 is [03-09T11:00Z, 03-10T11:00Z): the whole of tenant 03-10 (03:30Z–11:30Z).
    expect(march9).toHaveLength(8);
    expect(march9[0]).toBe("2027-03-10T03:30Z");
    expect(march9[7]).toBe("2027-03-10T10:30Z");
  });

  it.each(["Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York", "Asia/Kolkata"])(
    "splits into %s days that together equal the tenant's slots in that instant range",
    (viewerTimeZone) => {
      const days = ["2027-03-05", "2027-03-06", "2027-03-07", "2027-03-08", "2027-03-09"];
      const perDay = days.flatMap((date) => computeSlots(tenant({ viewerTimeZone, fromDate: date, toDate: date })));
      const whole = computeSlots(tenant({ viewerTimeZone, fromDate: "2027-03-05", toDate: "2027-03-09" }));
      expect(perDay).toEqual(whole);
      const viewStart = utc("2027-03-05T00:00:00Z") - offsetOf(viewerTimeZone);
      const viewEnd = utc("2027-03-10T00:00:00Z") - offsetOf(viewerTimeZone);
      const tenantSlots = computeSlots(tenant({ fromDate: "2027-03-03", toDate: "2027-03-11" }));
      expect(whole).toEqual(tenantSlots.filter((slot) => slot.startsAt >= viewStart && slot.startsAt < viewEnd));
      expect(whole.length).toBe(40);
    },
  );
});

/** Fixed offsets of the zones above in March 2027 (none of them changes then). */
function offsetOf(zone: string): number {
  const hours: Record<string, number> = {
    "Pacific/Kiritimati": 14,
    "Pacific/Pago_Pago": -11,
    "America/New_York": -5,
    "Asia/Kolkata": 5.5,
  };
  return (hours[zone] ?? 0) * 60 * MINUTE;
}
