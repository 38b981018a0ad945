import { describe, expect, it } from "vitest";
import { addDays, fromLocal, hhmm, toLocal, weekOf } from "./time.ts";

describe("business time zone arithmetic", () => {
  it("reads an instant's local date and minute", () => {
    expect(toLocal("2027-03-01T23:30:00Z", "Europe/Madrid")).toEqual({ date: "2027-03-02", minutes: 30 });
    expect(toLocal("2027-03-01T03:15:00Z", "America/New_York")).toEqual({ date: "2027-02-28", minutes: 22 * 60 + 15 });
  });

  it("turns a local wall time back into the instant, across daylight-saving changes", () => {
    expect(fromLocal("2027-03-02", 9 * 60, "Europe/Madrid")).toBe("2027-03-02T08:00:00.000Z");
    expect(fromLocal("2027-07-02", 9 * 60, "Europe/Madrid")).toBe("2027-07-02T07:00:00.000Z");
    // 2027-03-28 02:30 does not exist in Madrid (clocks jump 02:00 → 03:00): the time after the gap
    expect(fromLocal("2027-03-28", 150, "Europe/Madrid")).toBe("2027-03-28T01:30:00.000Z");
    // 2027-10-31 02:30 happens twice: the earlier
    expect(fromLocal("2027-10-31", 150, "Europe/Madrid")).toBe("2027-10-31T00:30:00.000Z");
    expect(fromLocal("2027-03-01", 0, "UTC")).toBe("2027-03-01T00:00:00.000Z");
  });

  it("walks dates and weeks (Monday first)", () => {
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2027-03-01", -1)).toBe("2027-02-28");
    expect(weekOf("2027-03-04")).toEqual([
      "2027-03-01",
      "2027-03-02",
      "2027-03-03",
      "2027-03-04",
      "2027-03-05",
      "2027-03-06",
      "2027-03-07",
    ]);
    expect(weekOf("2027-03-07")[0]).toBe("2027-03-01");
    expect(hhmm(9 * 60 + 5)).toBe("09:05");
  });
});
