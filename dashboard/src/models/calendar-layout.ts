// The calendar's geometry, pure: which bookings and blocks fall in which column, side-by-side lanes for overlapping
// bookings, the visible hours, a drag's new start snapped to the step, and the phone agenda's grouping.
import type { CalendarBooking, CalendarStaff } from "@bookra/sdk/admin";
import { type Local, toLocal } from "./time.ts";

/** Statuses a calendar shows (cancelled and expired bookings free their time and are left out). */
export const SHOWN_STATUSES = new Set(["confirmed", "pending_payment", "completed", "no_show"]);

/** A span inside one column (a local day), in minutes from local midnight; `end` may be 1440. */
export interface Span {
  start: number;
  end: number;
}

/** An instant range clipped to one local day: its span that day, or null if it misses the day. */
export function spanOnDay(start: string, end: string, date: string, timeZone: string): Span | null {
  return localSpanOnDay(toLocal(start, timeZone), toLocal(end, timeZone), date);
}

/** The same from local times already read (a week's columns read each booking's local times once, not per day). */
export function localSpanOnDay(s: Local, e: Local, date: string): Span | null {
  if (s.date > date || e.date < date || (e.date === date && e.minutes === 0 && s.date < date)) return null;
  const from = s.date < date ? 0 : s.minutes;
  const to = e.date > date ? 1440 : e.minutes;
  return to > from ? { start: from, end: to } : null;
}

export interface Placed<T> extends Span {
  item: T;
  /** The lane (0-based) inside its overlap cluster, and how many lanes the cluster has. */
  lane: number;
  lanes: number;
}

/**
 * Side-by-side lanes for overlapping spans (the usual calendar layout): spans that overlap, directly or through a
 * chain, form a cluster; each span takes the first lane free at its start; every span of a cluster is as wide as
 * 1/lanes of the column.
 */
export function placeInLanes<T>(spans: (Span & { item: T })[]): Placed<T>[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Placed<T>[] = [];
  let cluster: Placed<T>[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -1;
  const close = () => {
    for (const p of cluster) p.lanes = laneEnds.length;
    out.push(...cluster);
    cluster = [];
    laneEnds = [];
  };
  for (const s of sorted) {
    if (s.start >= clusterEnd) close();
    let lane = laneEnds.findIndex((end) => end <= s.start);
    if (lane === -1) lane = laneEnds.push(s.end) - 1;
    else laneEnds[lane] = s.end;
    cluster.push({ ...s, lane, lanes: 0 });
    clusterEnd = Math.max(clusterEnd, s.end);
  }
  close();
  return out;
}

/** The hours to draw: from the earliest working hour or booking to the latest, at least 08:00–18:00, whole hours. */
export function visibleHours(spans: Span[]): { from: number; to: number } {
  let from = 8 * 60;
  let to = 18 * 60;
  for (const s of spans) {
    from = Math.min(from, s.start);
    to = Math.max(to, s.end);
  }
  return { from: Math.floor(from / 60) * 60, to: Math.min(1440, Math.ceil(to / 60) * 60) };
}

/**
 * Where a dragged booking lands: its original start moved by the pointer's vertical travel, snapped to `step` minutes
 * and kept inside the visible hours (the whole booking fits).
 */
export function snapDrop(opts: {
  start: number;
  duration: number;
  deltaPx: number;
  pxPerMinute: number;
  step: number;
  bounds: { from: number; to: number };
}): number {
  const raw = opts.start + opts.deltaPx / opts.pxPerMinute;
  const snapped = Math.round(raw / opts.step) * opts.step;
  const latest = Math.floor((opts.bounds.to - opts.duration) / opts.step) * opts.step;
  return Math.max(opts.bounds.from, Math.min(latest, snapped));
}

/** The column a pointer is over, from its x and the columns' left edges (sorted); -1 left of the first. */
export function columnAt(x: number, lefts: number[]): number {
  let i = -1;
  for (let k = 0; k < lefts.length; k++) if (x >= lefts[k]!) i = k;
  return i;
}

export interface AgendaDay {
  date: string;
  items: { booking: CalendarBooking; staffName: string; start: number; end: number }[];
}

/** The phone agenda: shown bookings of every staff member, by local date then start time, empty days left out. */
export function groupAgenda(staff: CalendarStaff[], timeZone: string): AgendaDay[] {
  const byDate = new Map<string, AgendaDay["items"]>();
  for (const s of staff)
    for (const b of s.bookings) {
      if (!SHOWN_STATUSES.has(b.status)) continue;
      const start = toLocal(b.start, timeZone);
      const end = toLocal(b.end, timeZone);
      const list = byDate.get(start.date) ?? [];
      list.push({
        booking: b,
        staffName: s.name,
        start: start.minutes,
        end: end.date === start.date ? end.minutes : 1440,
      });
      byDate.set(start.date, list);
    }
  return [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, items]) => ({
      date,
      items: items.sort((a, b) => a.start - b.start || a.staffName.localeCompare(b.staffName)),
    }));
}
