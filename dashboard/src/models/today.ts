// The Today page's reading of the calendar, pure: per staff member the day's bookings, who is next, holds still
// awaiting payment, and past appointments still to be marked completed or no-show.
import type { Calendar, CalendarBooking } from "@bookra/sdk/admin";
import { SHOWN_STATUSES } from "./calendar-layout.ts";

export interface StaffDay {
  staffId: string;
  name: string;
  bookings: CalendarBooking[];
  /** The first booking that has not ended yet (confirmed or held), if any. */
  next: CalendarBooking | null;
}

export interface TodaySummary {
  staff: StaffDay[];
  /** Holds (pending payment) whose hold has not lapsed, soonest first. */
  holds: CalendarBooking[];
  /** Confirmed bookings that have ended: to complete or to mark no-show. */
  toMark: CalendarBooking[];
}

/** A hold whose time has passed is about to be expired by the sweeper: it no longer counts. */
const lapsed = (b: CalendarBooking, t: number) =>
  b.status === "pending_payment" && b.holdExpiresAt !== null && Date.parse(b.holdExpiresAt) <= t;

const byStart = (a: CalendarBooking, b: CalendarBooking) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);

export function summarizeToday(cal: Calendar, now: Date): TodaySummary {
  const t = now.getTime();
  const staff: StaffDay[] = cal.staff.map((s) => {
    const bookings = s.bookings.filter((b) => SHOWN_STATUSES.has(b.status)).sort(byStart);
    const next =
      bookings.find(
        (b) => (b.status === "confirmed" || b.status === "pending_payment") && !lapsed(b, t) && Date.parse(b.end) > t,
      ) ?? null;
    return { staffId: s.id, name: s.name, bookings, next };
  });
  const all = staff.flatMap((s) => s.bookings);
  return {
    staff,
    holds: all.filter((b) => b.status === "pending_payment" && !lapsed(b, t)).sort(byStart),
    toMark: all.filter((b) => b.status === "confirmed" && Date.parse(b.end) <= t).sort(byStart),
  };
}
