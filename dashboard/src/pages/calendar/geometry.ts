// Per column, what the grid draws: working hours, time off and the bookings in their lanes, computed once per loaded
// calendar (a week of 10 staff and 500 bookings is 70 columns: each booking is placed once).
import type { Calendar, CalendarBooking } from "@bookra/sdk/admin";
import {
  localSpanOnDay,
  type Placed,
  placeInLanes,
  SHOWN_STATUSES,
  type Span,
  spanOnDay,
  visibleHours,
} from "../../models/calendar-layout.ts";
import { type Local, toLocal } from "../../models/time.ts";

/** One column of the time grid: a local date for one staff member. */
export interface Column {
  date: string;
  staffId: string;
  staffName: string;
}

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
  // each booking's local start and end, read once per staff member (Intl is the costly part of a 500-booking week)
  const localBookings = new Map<string, { b: CalendarBooking; s: Local; e: Local }[]>();
  for (const s of cal.staff)
    localBookings.set(
      s.id,
      s.bookings
        .filter((b) => SHOWN_STATUSES.has(b.status))
        .map((b) => ({ b, s: toLocal(b.start, tz), e: toLocal(b.end, tz) })),
    );
  const out = cols.map((col) => {
    const s = byStaff.get(col.staffId);
    if (!s) return { work: [], off: [], bookings: [] };
    const work = (s.days.find((d) => d.date === col.date)?.working ?? [])
      .map((i) => spanOnDay(i.start, i.end, col.date, tz))
      .filter((x): x is Span => x !== null);
    const off = s.timeOff
      .map((o) => {
        const span = spanOnDay(o.start, o.end, col.date, tz);
        return span && { ...span, reason: o.reason };
      })
      .filter((x): x is Span & { reason: string | null } => !!x);
    const spans: (Span & { item: CalendarBooking })[] = [];
    for (const l of localBookings.get(s.id) ?? []) {
      if (l.s.date > col.date || l.e.date < col.date) continue;
      const span = localSpanOnDay(l.s, l.e, col.date);
      if (span) spans.push({ ...span, item: l.b });
    }
    all.push(...work, ...spans);
    return { work, off, bookings: placeInLanes(spans) };
  });
  return { cols: out, hours: visibleHours(all) };
}

/** The booking of a column that covers a minute, if any. */
export const bookingAt = (g: ColumnGeometry, minute: number) =>
  g.bookings.find((p) => p.start <= minute && minute < p.end)?.item;
