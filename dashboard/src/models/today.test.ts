import type { Calendar, CalendarBooking } from "@bookra/sdk/admin";
import { expect, it } from "vitest";
import { summarizeToday } from "./today.ts";

const b = (id: string, start: string, end: string, status: string, holdExpiresAt: string | null = null) =>
  ({
    id,
    status,
    start,
    end,
    serviceId: "svc_1",
    serviceName: "Cut",
    staffId: "stf_1",
    customer: { id: `cus_${id}`, name: id, email: `${id}@example.com`, phone: null },
    holdExpiresAt,
    price: { amount: 1000, currency: "EUR" },
  }) as CalendarBooking;

it("finds who is next, holds awaiting payment and appointments to mark", () => {
  const now = new Date("2027-03-02T11:10:00Z");
  const cal: Calendar = {
    timezone: "UTC",
    from: "2027-03-02",
    to: "2027-03-02",
    staff: [
      {
        id: "stf_1",
        name: "Ana",
        days: [],
        timeOff: [],
        bookings: [
          b("b3", "2027-03-02T14:00:00Z", "2027-03-02T15:00:00Z", "confirmed"),
          b("b1", "2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z", "confirmed"),
          b("b2", "2027-03-02T11:00:00Z", "2027-03-02T12:00:00Z", "confirmed"),
          b("b0", "2027-03-02T08:00:00Z", "2027-03-02T09:00:00Z", "completed"),
          b("bx", "2027-03-02T13:00:00Z", "2027-03-02T14:00:00Z", "cancelled"),
        ],
      },
      {
        id: "stf_2",
        name: "Bo",
        days: [],
        timeOff: [],
        bookings: [
          b("h1", "2027-03-02T16:00:00Z", "2027-03-02T17:00:00Z", "pending_payment", "2027-03-02T11:20:00Z"),
          b("h0", "2027-03-02T15:00:00Z", "2027-03-02T16:00:00Z", "pending_payment", "2027-03-02T11:00:00Z"),
        ],
      },
    ],
  };
  const s = summarizeToday(cal, now);
  expect(s.staff.map((d) => [d.name, d.bookings.map((x) => x.id), d.next?.id ?? null])).toEqual([
    ["Ana", ["b0", "b1", "b2", "b3"], "b2"],
    ["Bo", ["h0", "h1"], "h1"],
  ]);
  // h0's hold has lapsed (the sweeper will expire it): only h1 still awaits payment
  expect(s.holds.map((x) => x.id)).toEqual(["h1"]);
  expect(s.toMark.map((x) => x.id)).toEqual(["b1"]);
});
