import { describe, expect, it } from "vitest";
import {
  addBreak,
  addShift,
  breaksOf,
  copyDay,
  copyMondayToWeekdays,
  emptyWeek,
  fromWeekly,
  minutesOf,
  removeBreak,
  removeShift,
  setTime,
  toWeekly,
  validateDay,
  validateWeek,
  type Week,
  weeklyIssueField,
} from "./hours.ts";

const nineToSix = (): Week => {
  const w = emptyWeek();
  w[0] = [{ start: "09:00", end: "18:00" }];
  return w;
};

describe("the week and the API's weekly hours", () => {
  it("reads weekly hours into days in time order and writes them back with where each came from", () => {
    const week = fromWeekly([
      { weekday: 1, start: "14:00", end: "18:00" },
      { weekday: 1, start: "09:00", end: "13:00" },
      { weekday: 7, start: "10:00", end: "12:00" },
    ]);
    expect(week[0]).toEqual([
      { start: "09:00", end: "13:00" },
      { start: "14:00", end: "18:00" },
    ]);
    expect(week[6]).toEqual([{ start: "10:00", end: "12:00" }]);
    expect(week[1]).toEqual([]);
    const { hours, positions } = toWeekly(week);
    expect(hours).toEqual([
      { weekday: 1, start: "09:00", end: "13:00" },
      { weekday: 1, start: "14:00", end: "18:00" },
      { weekday: 7, start: "10:00", end: "12:00" },
    ]);
    expect(positions[2]).toEqual({ day: 6, index: 0 });
  });
});

describe("breaks and split shifts", () => {
  it("adds a lunch break at 13:00–14:00 when the shift spans it", () => {
    const w = addBreak(nineToSix(), 0, 0);
    expect(w[0]).toEqual([
      { start: "09:00", end: "13:00" },
      { start: "14:00", end: "18:00" },
    ]);
    expect(breaksOf(w[0]!)).toEqual([{ after: 0, start: "13:00", end: "14:00" }]);
    expect(minutesOf(w[0]!)).toBe(8 * 60);
  });

  it("puts the break in the middle of a shift that does not span lunch, and takes a given break", () => {
    const w = emptyWeek();
    w[2] = [{ start: "15:00", end: "21:00" }];
    expect(addBreak(w, 2, 0)[2]).toEqual([
      { start: "15:00", end: "17:30" },
      { start: "18:30", end: "21:00" },
    ]);
    expect(addBreak(w, 2, 0, { start: "16:15", end: "16:45" })[2]).toEqual([
      { start: "15:00", end: "16:15" },
      { start: "16:45", end: "21:00" },
    ]);
  });

  it("refuses a break outside the shift or in a shift too short or unreadable, leaving the week as it was", () => {
    const w = nineToSix();
    expect(addBreak(w, 0, 0, { start: "08:00", end: "10:00" })).toBe(w);
    expect(addBreak(w, 0, 0, { start: "12:00", end: "11:00" })).toBe(w);
    const short = setTime(w, 0, 0, "end", "09:20");
    expect(addBreak(short, 0, 0)).toBe(short);
    const bad = setTime(w, 0, 0, "end", "9");
    expect(addBreak(bad, 0, 0)).toBe(bad);
    expect(addBreak(w, 0, 5)).toBe(w);
  });

  it("removing a break merges the two intervals around it", () => {
    const split = addBreak(nineToSix(), 0, 0);
    expect(removeBreak(split, 0, 0)[0]).toEqual([{ start: "09:00", end: "18:00" }]);
    expect(removeBreak(split, 0, 1)).toBe(split);
  });

  it("adds a shift after the last one (a split shift), 09:00–17:00 on an empty day, and removes one", () => {
    const w = addShift(addShift(emptyWeek(), 4), 4);
    expect(w[4]).toEqual([
      { start: "09:00", end: "17:00" },
      { start: "18:00", end: "20:00" },
    ]);
    expect(validateDay(w[4]!)).toEqual([]);
    expect(removeShift(w, 4, 0)[4]).toEqual([{ start: "18:00", end: "20:00" }]);
  });
});

describe("copying a day", () => {
  it("copies Monday onto Tuesday to Friday, leaving the weekend and not sharing objects", () => {
    const w = addBreak(nineToSix(), 0, 0);
    w[5] = [{ start: "10:00", end: "14:00" }];
    const c = copyMondayToWeekdays(w);
    for (const d of [1, 2, 3, 4]) expect(c[d]).toEqual(w[0]);
    expect(c[5]).toEqual([{ start: "10:00", end: "14:00" }]);
    expect(c[6]).toEqual([]);
    expect(c[1]![0]).not.toBe(c[0]![0]);
    const edited = setTime(c, 1, 0, "start", "10:00");
    expect(edited[0]![0]!.start).toBe("09:00");
  });

  it("copies any day onto chosen days, replacing theirs", () => {
    const w = emptyWeek();
    w[3] = [{ start: "12:00", end: "20:00" }];
    w[6] = [{ start: "08:00", end: "09:00" }];
    const c = copyDay(w, 3, [6, 3]);
    expect(c[6]).toEqual([{ start: "12:00", end: "20:00" }]);
    expect(c[0]).toEqual([]);
  });
});

describe("validation, per interval and field", () => {
  it("an end at or before the start is an error on that end", () => {
    expect(validateDay([{ start: "17:00", end: "09:00" }], 2)).toEqual([
      { day: 2, index: 0, field: "end", problem: "endBeforeStart" },
    ]);
    expect(validateDay([{ start: "09:00", end: "09:00" }])).toHaveLength(1);
  });

  it("an overlap is reported on the later interval's start; touching intervals and 24:00 are fine", () => {
    expect(
      validateDay([
        { start: "12:00", end: "18:00" },
        { start: "09:00", end: "13:00" },
      ]),
    ).toEqual([{ day: 0, index: 0, field: "start", problem: "overlaps" }]);
    expect(
      validateDay([
        { start: "09:00", end: "13:00" },
        { start: "13:00", end: "24:00" },
      ]),
    ).toEqual([]);
  });

  it("unreadable times are errors on their field; the whole week is checked day by day", () => {
    const w = emptyWeek();
    w[1] = [{ start: "9:00", end: "25:00" }];
    w[4] = [{ start: "10:00", end: "11:00" }];
    expect(validateWeek(w)).toEqual([
      { day: 1, index: 0, field: "start", problem: "badTime" },
      { day: 1, index: 0, field: "end", problem: "badTime" },
    ]);
  });
});

describe("the API's issues about weekly hours", () => {
  it("land on the interval that was sent at that position", () => {
    const w = addBreak(nineToSix(), 0, 0);
    w[3] = [{ start: "10:00", end: "12:00" }];
    const { positions } = toWeekly(w);
    expect(weeklyIssueField("weeklyHours.2", positions)).toBe("hours.3.0.end");
    expect(weeklyIssueField("weeklyHours.1.start", positions)).toBe("hours.0.1.start");
    expect(weeklyIssueField("weeklyHours.9", positions)).toBeNull();
    expect(weeklyIssueField("name", positions)).toBeNull();
  });
});
