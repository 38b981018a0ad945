// Per column, what the grid draws: working hours, time off and the bookings in their lanes, computed once per loaded
// calendar (a week of 10 staff and 500 bookings is 70 columns: each booking is placed once).
import type { Calendar, CalendarBooking } from "@bookra/sdk/admin";
import {
  type Placed,
  placeInLanes,
  SHOWN_STATUSES,
  type Span,
  spanOnDay,
  visibleHours,
} from "../../models/calendar-layout.ts";
import type { Column } from "./model.ts";

export interface ColumnGeometry {
  work: Span[];
  off: (Span & { reason: string | null })[];
  bookings: Placed<CalendarBooking>[];
}

export function geometryOf(
  cal: Calendar,
  cols: Column[],
): { cols: ColumnGeometry[]; hours: { from: number; to: number } } {
  const tz = cal.timezone;
  const byStaff = new Map(cal.staff.map((s) => [s.id, s]));
  const all: Span[] = [];
  const out = cols.map((col) => {
    const s = byStaff.get(col.staffId);
    if (!s) return { work: [], off: [], bookings: [] };
    const work = (s.days.find((d) => d.date === col.date)?.intervals ?? [])
      .map((i) => spanOnDay(i.start, i.end, col.date, tz))
      .filter((x): x is Span => x !== null);
    const off = s.timeOff
      .map((o) => {
        const span = spanOnDay(o.start, o.end, col.date, tz);
        return span && { ...span, reason: o.reason };
      })
      .filter((x): x is Span & { reason: string | null } => !!x);
    const spans = s.bookings
      .filter((b) => SHOWN_STATUSES.has(b.status))
      .map((b) => {
        const span = spanOnDay(b.start, b.end, col.date, tz);
        return span && { ...span, item: b };
      })
      .filter((x): x is Span & { item: CalendarBooking } => !!x);
    all.push(...work, ...spans);
    return { work, off, bookings: placeInLanes(spans) };
  });
  return { cols: out, hours: visibleHours(all) };
}

/** The booking of a column that covers a minute, if any. */
export const bookingAt = (g: ColumnGeometry, minute: number) =>
  g.bookings.find((p) => p.start <= minute && minute < p.end)?.item;
