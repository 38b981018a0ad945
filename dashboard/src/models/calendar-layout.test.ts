import type { CalendarBooking, CalendarStaff } from "@bookra/sdk/admin";
import { describe, expect, it } from "vitest";
import { columnAt, groupAgenda, placeInLanes, snapDrop, spanOnDay, visibleHours } from "./calendar-layout.ts";

const booking = (id: string, start: string, end: string, status = "confirmed"): CalendarBooking =>
  ({
    id,
    status,
    start,
    end,
    serviceId: "svc_1",
    serviceName: "Cut",
    staffId: "stf_1",
    customer: { id: `cus_${id}`, name: id, email: `${id}@example.com`, phone: null },
    holdExpiresAt: null,
    price: { amount: 1000, currency: "EUR" },
  }) as CalendarBooking;

describe("spans on a local day", () => {
  it("clips instants to the day in the business's zone", () => {
    expect(spanOnDay("2027-03-02T08:00:00Z", "2027-03-02T09:30:00Z", "2027-03-02", "Europe/Madrid")).toEqual({
      start: 540,
      end: 630,
    });
    // a time off across midnight covers the end of one day and the start of the next
    const s = "2027-03-01T20:00:00Z";
    const e = "2027-03-02T07:00:00Z";
    expect(spanOnDay(s, e, "2027-03-01", "UTC")).toEqual({ start: 1200, end: 1440 });
    expect(spanOnDay(s, e, "2027-03-02", "UTC")).toEqual({ start: 0, end: 420 });
    expect(spanOnDay(s, e, "2027-03-03", "UTC")).toBeNull();
    // ending exactly at midnight does not spill into the next day
    expect(spanOnDay("2027-03-01T22:00:00Z", "2027-03-02T00:00:00Z", "2027-03-02", "UTC")).toBeNull();
  });
});

describe("overlap lanes", () => {
  it("puts overlapping bookings side by side and leaves separate ones full width", () => {
    const placed = placeInLanes([
      { start: 540, end: 600, item: "a" },
      { start: 570, end: 630, item: "b" },
      { start: 600, end: 660, item: "c" },
      { start: 700, end: 760, item: "d" },
    ]);
    const by = Object.fromEntries(placed.map((p) => [p.item, [p.lane, p.lanes]]));
    // a and b overlap; c starts when a ends, so it reuses a's lane; the chain a–b–c is one cluster of 2 lanes
    expect(by).toEqual({ a: [0, 2], b: [1, 2], c: [0, 2], d: [0, 1] });
  });

  it("gives three mutual overlaps three lanes", () => {
    const placed = placeInLanes([
      { start: 0, end: 60, item: 1 },
      { start: 10, end: 60, item: 2 },
      { start: 20, end: 60, item: 3 },
    ]);
    expect(placed.map((p) => [p.lane, p.lanes])).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
  });
});

describe("dragging", () => {
  const base = { start: 600, duration: 60, pxPerMinute: 1, step: 15, bounds: { from: 480, to: 1080 } };
  it("snaps the new start to the step", () => {
    expect(snapDrop({ ...base, deltaPx: 37 })).toBe(630);
    expect(snapDrop({ ...base, deltaPx: 38 })).toBe(645);
    expect(snapDrop({ ...base, deltaPx: -7 })).toBe(600);
    expect(snapDrop({ ...base, deltaPx: 60, pxPerMinute: 2 })).toBe(630);
  });
  it("keeps the whole booking inside the visible hours", () => {
    expect(snapDrop({ ...base, deltaPx: -500 })).toBe(480);
    expect(snapDrop({ ...base, deltaPx: 900 })).toBe(1020);
  });
  it("finds the column under the pointer", () => {
    expect(columnAt(5, [10, 110, 210])).toBe(-1);
    expect(columnAt(10, [10, 110, 210])).toBe(0);
    expect(columnAt(150, [10, 110, 210])).toBe(1);
    expect(columnAt(999, [10, 110, 210])).toBe(2);
  });
});

describe("visible hours", () => {
  it("covers working hours and bookings, at least 08–18, in whole hours", () => {
    expect(visibleHours([])).toEqual({ from: 480, to: 1080 });
    expect(visibleHours([{ start: 7 * 60 + 30, end: 20 * 60 + 10 }])).toEqual({ from: 420, to: 1260 });
  });
});

describe("the phone agenda", () => {
  it("groups shown bookings by local date and start, leaving cancelled ones out", () => {
    const staff = [
      {
        id: "stf_1",
        name: "Ana",
        days: [],
        timeOff: [],
        bookings: [
          booking("late", "2027-03-02T16:00:00Z", "2027-03-02T17:00:00Z"),
          booking("gone", "2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z", "cancelled"),
          booking("night", "2027-03-01T23:30:00Z", "2027-03-02T00:30:00Z"),
        ],
      },
      {
        id: "stf_2",
        name: "Bo",
        days: [],
        timeOff: [],
        bookings: [booking("early", "2027-03-02T08:00:00Z", "2027-03-02T09:00:00Z", "pending_payment")],
      },
    ] as CalendarStaff[];
    const agenda = groupAgenda(staff, "Europe/Madrid");
    expect(agenda.map((d) => [d.date, d.items.map((i) => `${i.booking.id}@${i.start}/${i.staffName}`)])).toEqual([
      ["2027-03-02", ["night@30/Ana", "early@540/Bo", "late@1020/Ana"]],
    ]);
  });
});
