import type { CalendarBooking } from "@bookra/sdk/admin";
import { describe, expect, it } from "vitest";
import { placeInLanes } from "../../models/calendar-layout.ts";
import type { ColumnGeometry } from "./geometry.ts";
import { type Focus, focusAt, type KeyContext, onGridKey } from "./keyboard.ts";

const b = (id: string) => ({ id, status: "confirmed" }) as CalendarBooking;
const column = (...spans: [string, number, number][]): ColumnGeometry => ({
  work: [],
  off: [],
  bookings: placeInLanes(spans.map(([id, start, end]) => ({ start, end, item: b(id) }))),
});

// three columns: Ana's Monday (a booking 10:00–11:00), Bo's Monday (empty), Ana's Tuesday (a booking 09:00–09:45)
const ctx: KeyContext = {
  geo: [column(["mon", 600, 660]), column(), column(["tue", 540, 585])],
  staffOf: ["stf_ana", "stf_bo", "stf_ana"],
  from: 480,
  to: 1080,
};
const slot = (col: number, start: number, end = start + 15): Focus => ({ kind: "slot", col, start, end });

describe("the calendar's keyboard", () => {
  it("arrows walk the times and land on a booking where one is", () => {
    expect(onGridKey(slot(0, 570), { key: "ArrowDown" }, ctx)).toEqual({ focus: slot(0, 585) });
    expect(onGridKey(slot(0, 585), { key: "ArrowDown" }, ctx)).toEqual({
      focus: { kind: "booking", col: 0, id: "mon" },
    });
    // from the booking, down goes to the time after it, right to the next column at the booking's start
    const onMon: Focus = { kind: "booking", col: 0, id: "mon" };
    expect(onGridKey(onMon, { key: "ArrowDown" }, ctx)).toEqual({ focus: slot(0, 660) });
    expect(onGridKey(onMon, { key: "ArrowRight" }, ctx)).toEqual({ focus: slot(1, 600) });
    // the edges hold: no column left of the first, no time before the first hour
    expect(onGridKey(slot(0, 480), { key: "ArrowLeft" }, ctx)).toEqual({ focus: slot(0, 480) });
    expect(onGridKey(slot(0, 480), { key: "ArrowUp" }, ctx)).toEqual({ focus: slot(0, 480) });
    expect(focusAt(2, 550, ctx)).toEqual({ kind: "booking", col: 2, id: "tue" });
  });

  it("Enter books at the time, Shift+arrows widen it and B blocks it", () => {
    expect(onGridKey(slot(1, 720), { key: "Enter" }, ctx)).toEqual({ walkIn: { col: 1, minute: 720 } });
    const wide = onGridKey(slot(1, 720), { key: "ArrowDown", shiftKey: true }, ctx);
    expect(wide).toEqual({ focus: slot(1, 720, 750) });
    expect(onGridKey(slot(1, 720, 750), { key: "b" }, ctx)).toEqual({ block: { col: 1, from: 720, to: 750 } });
    expect(onGridKey(slot(1, 720), { key: "x" }, ctx)).toBeNull();
  });

  it("Alt+arrows pick a new place for a booking (its own staff member's columns only), Enter moves, Escape gives up", () => {
    let f: Focus = { kind: "booking", col: 0, id: "mon" };
    const press = (key: string, altKey = true) => {
      const out = onGridKey(f, { key, altKey }, ctx)!;
      if ("focus" in out) f = out.focus;
      return out;
    };
    press("ArrowDown");
    press("ArrowDown");
    // right skips Bo's column: the reschedule keeps the staff member
    press("ArrowRight");
    expect(f).toEqual({ kind: "booking", col: 0, id: "mon", pending: { col: 2, start: 630 } });
    expect(press("Enter", false)).toEqual({
      move: { booking: b("mon"), col: 2, start: 630 },
      focus: { kind: "booking", col: 2, id: "mon" },
    });
    f = { kind: "booking", col: 0, id: "mon", pending: { col: 0, start: 1020 } };
    // the whole booking stays inside the day's hours
    press("ArrowDown");
    expect(f).toEqual({ kind: "booking", col: 0, id: "mon", pending: { col: 0, start: 1020 } });
    expect(press("Escape", false)).toEqual({ focus: { kind: "booking", col: 0, id: "mon" } });
    expect(onGridKey({ kind: "booking", col: 0, id: "mon" }, { key: "Enter" }, ctx)).toEqual({ open: b("mon") });
  });
});
