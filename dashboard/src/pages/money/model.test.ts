import { describe, expect, it } from "vitest";
import { customProblem, daysIn, decimal, localToday, parseAmount, periodFor, scaleBars } from "./model.ts";

describe("periodFor", () => {
  it("gives this ISO week Monday–Sunday, this month, and last month (across a year and a leap February)", () => {
    expect(periodFor("week", "2027-03-03")).toEqual({ from: "2027-03-01", to: "2027-03-07" });
    expect(periodFor("week", "2027-03-07")).toEqual({ from: "2027-03-01", to: "2027-03-07" });
    expect(periodFor("week", "2027-01-01")).toEqual({ from: "2026-12-28", to: "2027-01-03" });
    expect(periodFor("month", "2028-02-15")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(periodFor("lastMonth", "2028-03-31")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(periodFor("lastMonth", "2027-01-10")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(periodFor("custom", "2027-01-10", { from: "2027-01-02", to: "2027-01-05" })).toEqual({
      from: "2027-01-02",
      to: "2027-01-05",
    });
  });

  it("counts today in the business's zone, not the browser's", () => {
    const instant = new Date("2027-03-31T23:30:00Z");
    expect(localToday(instant, "Europe/Berlin")).toBe("2027-04-01");
    expect(localToday(instant, "America/New_York")).toBe("2027-03-31");
    expect(periodFor("month", localToday(instant, "Europe/Berlin"))).toEqual({ from: "2027-04-01", to: "2027-04-30" });
  });

  it("refuses a custom range the API would refuse, before asking", () => {
    expect(customProblem({ from: "2027-02-30", to: "2027-03-01" })).toEqual({ field: "from", code: "date" });
    expect(customProblem({ from: "2027-03-01", to: "" })).toEqual({ field: "to", code: "date" });
    expect(customProblem({ from: "2027-03-02", to: "2027-03-01" })).toEqual({ field: "to", code: "order" });
    expect(daysIn({ from: "2027-01-01", to: "2027-12-31" })).toBe(365);
    expect(customProblem({ from: "2028-01-01", to: "2028-12-31" })).toBeNull(); // 366 days
    expect(customProblem({ from: "2027-01-01", to: "2028-01-02" })).toEqual({ field: "to", code: "long" });
  });
});

describe("scaleBars", () => {
  it("fills the height with the largest value and keeps proportions", () => {
    const { bars, zero } = scaleBars(
      [
        { key: "a", value: 100 },
        { key: "b", value: 50 },
        { key: "c", value: 0 },
      ],
      200,
    );
    expect(zero).toBe(200);
    expect(bars.map((b) => [b.y, b.h])).toEqual([
      [0, 200],
      [100, 100],
      [200, 0],
    ]);
  });

  it("hangs negatives below the zero line, and draws all zeros flat", () => {
    const { bars, zero } = scaleBars(
      [
        { key: "a", value: 300 },
        { key: "b", value: -100 },
      ],
      100,
    );
    expect(zero).toBe(75);
    expect(bars.map((b) => [b.y, b.h])).toEqual([
      [0, 75],
      [75, 25],
    ]);
    expect(scaleBars([{ key: "z", value: 0 }], 50).bars).toEqual([{ key: "z", value: 0, y: 50, h: 0 }]);
  });
});

describe("amounts", () => {
  it("writes minor units as the CSV's decimals and reads typed amounts back", () => {
    expect([decimal(1234, 2), decimal(-5, 2), decimal(500, 0), decimal(1234, 3), decimal(0, 2)]).toEqual([
      "12.34",
      "-0.05",
      "500",
      "1.234",
      "0.00",
    ]);
    expect([parseAmount("12.5", 2), parseAmount("12,50", 2), parseAmount(" 3 ", 2), parseAmount("500", 0)]).toEqual([
      1250, 1250, 300, 500,
    ]);
    for (const bad of ["", "0", "-1", "1.234", "abc", "1e3"]) expect(parseAmount(bad, 2), bad).toBeNull();
    expect(parseAmount("1.5", 0)).toBeNull();
  });
});
