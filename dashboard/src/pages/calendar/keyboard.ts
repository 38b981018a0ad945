// The calendar's keyboard, pure: what a key does to the focus (a time or a booking) of the grid. Arrows move between
// times and bookings; Shift+arrows widen the chosen time; Enter books a walk-in there or opens a booking; B blocks
// the time; Alt+arrows pick a new place for a booking, Enter moves it there, Escape gives up.
import type { CalendarBooking } from "@bookra/sdk/admin";
import type { ColumnGeometry } from "./geometry.ts";
import { bookingAt } from "./geometry.ts";

/** The grid's step, in minutes: the keyboard's and the drag's unit. */
export const STEP = 15;

export type Focus =
  | { kind: "slot"; col: number; start: number; end: number }
  | { kind: "booking"; col: number; id: string; pending?: { col: number; start: number } };

export interface KeyContext {
  geo: ColumnGeometry[];
  /** Each column's staff member (a booking moves only between columns of its own member). */
  staffOf: string[];
  from: number;
  to: number;
}

export type KeyOutcome =
  | { focus: Focus }
  | { walkIn: { col: number; minute: number } }
  | { block: { col: number; from: number; to: number } }
  | { open: CalendarBooking }
  | { move: { booking: CalendarBooking; col: number; start: number }; focus: Focus };

export interface Key {
  key: string;
  shiftKey?: boolean;
  altKey?: boolean;
}

/** The focus on a column's minute: the booking there, if any, else that time. */
export function focusAt(col: number, minute: number, ctx: KeyContext): Focus {
  const c = Math.max(0, Math.min(ctx.geo.length - 1, col));
  const m = Math.max(ctx.from, Math.min(ctx.to - STEP, minute));
  const b = bookingAt(ctx.geo[c]!, m);
  return b ? { kind: "booking", col: c, id: b.id } : { kind: "slot", col: c, start: m, end: m + STEP };
}

/** What a key does; null: nothing (the browser keeps the key). */
export function onGridKey(f: Focus, e: Key, ctx: KeyContext): KeyOutcome | null {
  return f.kind === "slot" ? onSlotKey(f, e, ctx) : onBookingKey(f, e, ctx);
}

function onSlotKey(f: Focus & { kind: "slot" }, e: Key, ctx: KeyContext): KeyOutcome | null {
  const go = (col: number, minute: number) => ({ focus: focusAt(col, minute, ctx) });
  if (e.key === "ArrowDown" && e.shiftKey) return { focus: { ...f, end: Math.min(ctx.to, f.end + STEP) } };
  if (e.key === "ArrowUp" && e.shiftKey) return { focus: { ...f, end: Math.max(f.start + STEP, f.end - STEP) } };
  if (e.key === "ArrowDown") return go(f.col, f.start + STEP);
  if (e.key === "ArrowUp") return go(f.col, f.start - STEP);
  if (e.key === "ArrowRight") return go(f.col + 1, f.start);
  if (e.key === "ArrowLeft") return go(f.col - 1, f.start);
  if (e.key === "Enter" || e.key === " ") return { walkIn: { col: f.col, minute: f.start } };
  if (e.key === "b" || e.key === "B") return { block: { col: f.col, from: f.start, to: f.end } };
  return null;
}

function onBookingKey(f: Focus & { kind: "booking" }, e: Key, ctx: KeyContext): KeyOutcome | null {
  const placed = ctx.geo[f.col]?.bookings.find((x) => x.item.id === f.id);
  if (!placed) return null;
  const go = (col: number, minute: number) => ({ focus: focusAt(col, minute, ctx) });
  if (e.altKey && e.key.startsWith("Arrow")) {
    const cur = f.pending ?? { col: f.col, start: placed.start };
    const next = { ...cur };
    if (e.key === "ArrowDown") next.start = Math.min(ctx.to - (placed.end - placed.start), cur.start + STEP);
    if (e.key === "ArrowUp") next.start = Math.max(ctx.from, cur.start - STEP);
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      const dir = e.key === "ArrowRight" ? 1 : -1;
      // only to a column of the same staff member: the reschedule keeps the member
      let k = cur.col + dir;
      while (k >= 0 && k < ctx.staffOf.length && ctx.staffOf[k] !== ctx.staffOf[f.col]) k += dir;
      if (k >= 0 && k < ctx.staffOf.length) next.col = k;
    }
    return { focus: { ...f, pending: next } };
  }
  if (e.key === "Escape" && f.pending) return { focus: { kind: "booking", col: f.col, id: f.id } };
  if (e.key === "Enter" && f.pending)
    return {
      move: { booking: placed.item, col: f.pending.col, start: f.pending.start },
      focus: { kind: "booking", col: f.pending.col, id: f.id },
    };
  if (e.key === "Enter" || e.key === " ") return { open: placed.item };
  if (e.key === "ArrowDown") return go(f.col, placed.end);
  if (e.key === "ArrowUp") return go(f.col, placed.start - STEP);
  if (e.key === "ArrowRight") return go(f.col + 1, placed.start);
  if (e.key === "ArrowLeft") return go(f.col - 1, placed.start);
  return null;
}
