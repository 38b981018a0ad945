import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  instantToZonedDate,
  isoWeekday,
  isValidDate,
  isValidTimeZone,
  parseHHMM,
  zonedWallTimeToInstant,
} from "./time";

const MINUTE = 60_000;
const DAY = 86_400_000;
const utc = (iso: string): number => Date.parse(iso);

// Zones with DST at night, at midnight (Santiago, Havana), by 30 minutes (Lord Howe), at odd offsets, or none.
const ZONES = [
  "UTC",
  "Europe/London",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "America/Santiago",
  "America/Havana",
  "Australia/Sydney",
  "Pacific/Kiritimati",
  "Pacific/Pago_Pago",
  "Asia/Kathmandu",
] as const;

// Dates around 2027's transitions in those zones, plus ordinary days.
const DATES = [
  "2027-03-28",
  "2027-10-31",
  "2027-03-14",
  "2027-11-07",
  "2027-04-03",
  "2027-04-04",
  "2027-09-04",
  "2027-09-05",
  "2027-10-03",
  "2027-09-26",
  "2027-06-15",
  "2027-01-01",
  "2028-02-29",
];

const naiveFormatters = new Map<string, Intl.DateTimeFormat>();

/** Wall clock of an instant read with a separate formatter and formatToParts, independent of time.ts. */
function naiveWallAsUtc(ms: number, timeZone: string): number {
  let formatter = naiveFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    naiveFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(ms);
  const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
}

/** Every minute-aligned instant whose wall clock shows `localAsUtc`, by trying every offset on a 15-minute grid. */
function naiveInstantsShowing(localAsUtc: number, timeZone: string): number[] {
  const found: number[] = [];
  for (let offset = -15 * 60; offset <= 15 * 60; offset += 15) {
    const instant = localAsUtc - offset * MINUTE;
    if (naiveWallAsUtc(instant, timeZone) === localAsUtc) found.push(instant);
  }
  return found.sort((a, b) => a - b);
}

/** "compatible": earliest match; in a gap, the last wall time before it plus the distance walked back. */
function naiveWallTimeToInstant(date: string, minutes: number, timeZone: string): number {
  const localAsUtc = utc(`${date}T00:00:00Z`) + minutes * MINUTE;
  for (let back = 0; back <= 180; back++) {
    const found = naiveInstantsShowing(localAsUtc - back * MINUTE, timeZone);
    const last = found[found.length - 1];
    if (back === 0 && found[0] !== undefined) return found[0];
    if (back > 0 && last !== undefined) return last + back * MINUTE;
  }
  throw new Error("no wall time found within 3 hours");
}

describe("zonedWallTimeToInstant", () => {
  it("keeps 09:00 local on the DST change days (UTC instants)", () => {
    expect(zonedWallTimeToInstant("2027-03-28", 540, "Europe/London")).toBe(utc("2027-03-28T08:00:00Z"));
    expect(zonedWallTimeToInstant("2027-10-31", 540, "Europe/London")).toBe(utc("2027-10-31T09:00:00Z"));
    expect(zonedWallTimeToInstant("2027-03-14", 540, "America/New_York")).toBe(utc("2027-03-14T13:00:00Z"));
    expect(zonedWallTimeToInstant("2027-11-07", 540, "America/New_York")).toBe(utc("2027-11-07T14:00:00Z"));
  });

  it("shifts a time in a spring-forward gap forward by the gap", () => {
    // London 01:30 does not exist on 2027-03-28: it reads as 02:30 BST.
    expect(zonedWallTimeToInstant("2027-03-28", 90, "Europe/London")).toBe(utc("2027-03-28T01:30:00Z"));
    // New York 02:30 does not exist on 2027-03-14: 03:30 EDT.
    expect(zonedWallTimeToInstant("2027-03-14", 150, "America/New_York")).toBe(utc("2027-03-14T07:30:00Z"));
    // Santiago skips midnight on 2027-09-05: the day starts at 01:00 (-03).
    expect(zonedWallTimeToInstant("2027-09-05", 0, "America/Santiago")).toBe(utc("2027-09-05T04:00:00Z"));
  });

  it("takes the earlier instant of a repeated fall-back time", () => {
    expect(zonedWallTimeToInstant("2027-10-31", 90, "Europe/London")).toBe(utc("2027-10-31T00:30:00Z"));
    expect(zonedWallTimeToInstant("2027-11-07", 90, "America/New_York")).toBe(utc("2027-11-07T05:30:00Z"));
  });

  it("treats 1440 as the next midnight and rejects minutes outside 0..1440", () => {
    expect(zonedWallTimeToInstant("2027-01-01", 1440, "Asia/Kolkata")).toBe(
      zonedWallTimeToInstant("2027-01-02", 0, "Asia/Kolkata"),
    );
    expect(() => zonedWallTimeToInstant("2027-01-01", 1441, "UTC")).toThrow(RangeError);
    expect(() => zonedWallTimeToInstant("2027-01-01", -1, "UTC")).toThrow(RangeError);
    expect(() => zonedWallTimeToInstant("2027-02-30", 0, "UTC")).toThrow(RangeError);
  });

  it("agrees with a brute-force search over offsets, in many zones and around transitions", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...DATES),
        fc.oneof(
          fc.integer({ min: 0, max: 1440 }),
          fc.integer({ min: 0, max: 240 }),
          fc.integer({ min: 1320, max: 1440 }),
        ),
        (zone, date, minutes) => {
          expect(zonedWallTimeToInstant(date, minutes, zone)).toBe(naiveWallTimeToInstant(date, minutes, zone));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("instantToZonedDate", () => {
  it("reads the local date in far-apart zones", () => {
    const instant = utc("2027-03-10T11:30:00Z");
    expect(instantToZonedDate(instant, "Pacific/Kiritimati")).toBe("2027-03-11");
    expect(instantToZonedDate(instant, "Pacific/Pago_Pago")).toBe("2027-03-10");
    expect(instantToZonedDate(utc("2027-03-10T10:59:59.999Z"), "Pacific/Pago_Pago")).toBe("2027-03-09");
    expect(instantToZonedDate(utc("2027-03-10T18:29:00Z"), "Asia/Kolkata")).toBe("2027-03-10");
    expect(instantToZonedDate(utc("2027-03-10T18:30:00Z"), "Asia/Kolkata")).toBe("2027-03-11");
  });

  it("is the date part of the zone's wall clock for any instant", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: utc("2026-01-01T00:00:00Z"), max: utc("2029-01-01T00:00:00Z") }),
        (zone, ms) => {
          const expected = new Date(naiveWallAsUtc(ms, zone)).toISOString().slice(0, 10);
          expect(instantToZonedDate(ms, zone)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("calendar arithmetic", () => {
  it("numbers ISO weekdays from Monday", () => {
    expect(isoWeekday("2027-03-01")).toBe(1);
    expect(isoWeekday("2027-03-28")).toBe(7);
    expect(isoWeekday("2028-02-29")).toBe(2);
  });

  it("adds days across months, leap days and years", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2027-01-01", -1)).toBe("2026-12-31");
    expect(addDays("2027-03-10", 0)).toBe("2027-03-10");
  });

  it("matches Date for any day in four centuries", () => {
    fc.assert(
      fc.property(fc.integer({ min: -60_000, max: 60_000 }), fc.integer({ min: -800, max: 800 }), (day, n) => {
        const date = new Date(day * DAY).toISOString().slice(0, 10);
        expect(addDays(date, n)).toBe(new Date((day + n) * DAY).toISOString().slice(0, 10));
        expect(isoWeekday(date)).toBe(((new Date(day * DAY).getUTCDay() + 6) % 7) + 1);
      }),
    );
  });

  it("validates dates strictly", () => {
    expect(isValidDate("2028-02-29")).toBe(true);
    for (const bad of ["2027-02-29", "2027-13-01", "2027-00-10", "2027-1-01", "27-01-01", "2027-01-32", ""]) {
      expect(isValidDate(bad)).toBe(false);
      expect(() => addDays(bad, 1)).toThrow(RangeError);
    }
  });
});

describe("parseHHMM", () => {
  it("parses every minute of the day", () => {
    for (let minutes = 0; minutes < 1440; minutes++) {
      const text = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
      expect(parseHHMM(text)).toBe(minutes);
    }
  });

  it("accepts 24:00 only as an interval end", () => {
    expect(parseHHMM("24:00")).toBeNull();
    expect(parseHHMM("24:00", { allowEndOfDay: true })).toBe(1440);
    expect(parseHHMM("23:59", { allowEndOfDay: true })).toBe(1439);
  });

  it("rejects malformed times", () => {
    for (const bad of ["25:00", "9:30", "12:60", "24:01", "24:30", " 09:30", "09:30 ", "0930", "09-30", "", "ab:cd"]) {
      expect(parseHHMM(bad)).toBeNull();
      expect(parseHHMM(bad, { allowEndOfDay: true })).toBeNull();
    }
  });
});

describe("isValidTimeZone", () => {
  it("accepts IANA names and rejects anything else", () => {
    for (const zone of ZONES) expect(isValidTimeZone(zone)).toBe(true);
    for (const bad of ["", "Mars/Olympus", "Europe/Londn", "+05:30", "-03:00", "GMT+5:30"]) {
      expect(isValidTimeZone(bad)).toBe(false);
    }
  });
});
