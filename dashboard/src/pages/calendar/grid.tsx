// The time grid (day and week views): columns of working hours, time off and bookings coloured by status. Pointer:
// drag a booking to move it, click an empty time to book a walk-in, drag over empty time to block it. Keyboard: one
// tab stop; arrows move between times and bookings, Enter books or opens, B blocks, Alt+arrows then Enter move a
// booking, Escape cancels.
import type { CalendarBooking } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect, useMemo, useRef } from "preact/hooks";
import { columnAt, snapDrop } from "../../models/calendar-layout.ts";
import { fmtDay, fmtMinutes, t } from "../../models/i18n.ts";
import { toLocal } from "../../models/time.ts";
import { geometryOf } from "./geometry.ts";
import { type Focus, onGridKey, STEP } from "./keyboard.ts";
import { blockTime, type Column, cal, moveBooking, type Params } from "./model.ts";

/** Pixels per minute: an hour is 48 px. */
const PX = 0.8;

export interface GridProps {
  p: Params;
  cols: Column[];
  onWalkIn: (col: Column, minute: number) => void;
  onOpen: (b: CalendarBooking) => void;
}

export function Grid({ p, cols, onWalkIn, onOpen }: GridProps) {
  const c = cal.value!;
  const geo = useMemo(() => geometryOf(c, cols), [c, cols]);
  const { from, to } = geo.hours;
  const focus = useSignal<Focus>({
    kind: "slot",
    col: 0,
    start: Math.max(from, 9 * 60),
    end: Math.max(from, 9 * 60) + STEP,
  });
  const kbd = useRef(false);
  const root = useRef<HTMLElement>(null);
  const drag = useRef<{
    b: CalendarBooking;
    col: number;
    el: HTMLElement;
    x: number;
    y: number;
    lefts: number[];
    moved: boolean;
    target: { col: number; start: number };
  } | null>(null);
  const select = useSignal<{ col: number; a: number; b: number } | null>(null);

  useEffect(() => {
    if (!kbd.current) return;
    root.current?.querySelector<HTMLElement>("[data-focus]")?.focus();
  });

  const minuteAt = (el: HTMLElement, clientY: number) =>
    from + Math.floor((clientY - el.getBoundingClientRect().top) / PX / STEP) * STEP;

  const lefts = () =>
    Array.from(root.current?.querySelectorAll<HTMLElement>(".col-body") ?? [], (e) => e.getBoundingClientRect().left);

  // --- keyboard (keyboard.ts decides; this applies) ------------------------------------------------------------
  const onKey = (e: KeyboardEvent) => {
    kbd.current = true;
    const ctx = { geo: geo.cols, staffOf: cols.map((x) => x.staffId), from, to };
    const out = onGridKey(focus.value, e, ctx);
    if (!out) return;
    e.preventDefault();
    if ("focus" in out) focus.value = out.focus;
    if ("walkIn" in out) onWalkIn(cols[out.walkIn.col]!, out.walkIn.minute);
    else if ("block" in out) void blockTime(cols[out.block.col]!, out.block.from, out.block.to, p);
    else if ("open" in out) onOpen(out.open);
    else if ("move" in out) void moveBooking(out.move.booking, cols[out.move.col]!.date, out.move.start, p);
  };

  // --- pointer on a booking: drag to move, a click opens -------------------------------------------------------------
  const onBookingDown = (e: PointerEvent, b: CalendarBooking, col: number) => {
    if (e.button !== 0 || b.status === "completed" || b.status === "no_show") return;
    const el = e.currentTarget as HTMLElement;
    el.setPointerCapture(e.pointerId);
    const start = toLocal(b.start, c.timezone).minutes;
    drag.current = { b, col, el, x: e.clientX, y: e.clientY, lefts: lefts(), moved: false, target: { col, start } };
  };
  const onBookingMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.hypot(dx, dy) < 5) return;
    d.moved = true;
    const start = toLocal(d.b.start, c.timezone).minutes;
    const duration = (Date.parse(d.b.end) - Date.parse(d.b.start)) / 60_000;
    const newStart = snapDrop({ start, duration, deltaPx: dy, pxPerMinute: PX, step: STEP, bounds: { from, to } });
    let col = columnAt(e.clientX, d.lefts);
    if (col < 0 || cols[col]?.staffId !== cols[d.col]!.staffId) col = d.col;
    d.target = { col, start: newStart };
    d.el.style.transform = `translate(${d.lefts[col]! - d.lefts[d.col]!}px, ${(newStart - start) * PX}px)`;
    d.el.classList.add("dragging");
  };
  const onBookingUp = () => {
    const d = drag.current;
    drag.current = null;
    if (!d) return;
    d.el.style.transform = "";
    d.el.classList.remove("dragging");
    if (!d.moved) return onOpen(d.b);
    void moveBooking(d.b, cols[d.target.col]!.date, d.target.start, p);
  };

  // --- pointer on empty time: a click books, a drag blocks --------------------------------------------------------------
  const onColDown = (e: PointerEvent, col: number) => {
    if (e.button !== 0 || (e.target as HTMLElement).closest(".booking, .cursor")) return;
    const el = e.currentTarget as HTMLElement;
    el.setPointerCapture(e.pointerId);
    const m = minuteAt(el, e.clientY);
    select.value = { col, a: m, b: m };
  };
  const onColMove = (e: PointerEvent) => {
    const s = select.value;
    if (!s) return;
    const m = minuteAt(e.currentTarget as HTMLElement, e.clientY);
    if (m !== s.b) select.value = { ...s, b: m };
  };
  const onColUp = (e: PointerEvent) => {
    const s = select.value;
    select.value = null;
    if (!s) return;
    kbd.current = false;
    const lo = Math.max(from, Math.min(s.a, s.b));
    const hi = Math.min(to, Math.max(s.a, s.b) + STEP);
    const col = cols[s.col]!;
    if (hi - lo > STEP) void blockTime(col, lo, hi, p);
    else {
      focus.value = { kind: "slot", col: s.col, start: lo, end: lo + STEP };
      onWalkIn(col, lo);
    }
    e.preventDefault();
  };

  const hours: number[] = [];
  for (let h = from; h < to; h += 60) hours.push(h);
  const height = (to - from) * PX;
  // a focused booking that moved away or was cancelled: the tab stop falls back to a time
  if (focus.value.kind === "booking") {
    const fb = focus.value;
    if (!geo.cols[fb.col]?.bookings.some((x) => x.item.id === fb.id)) {
      // a move that was refused leaves the booking in its old column: follow it there
      const col = geo.cols.findIndex((g) => g.bookings.some((x) => x.item.id === fb.id));
      focus.value =
        col >= 0 ? { kind: "booking", col, id: fb.id } : { kind: "slot", col: 0, start: from, end: from + STEP };
    }
  }
  const f = focus.value;
  const sameDates = new Set(cols.map((x) => x.date)).size === 1;

  return (
    <div class="grid-wrap">
      <p id="grid-help" class="visually-hidden">
        {t("gridHelp")}
      </p>
      <section
        class="grid"
        ref={root}
        aria-label={t("calendarTitle")}
        aria-describedby="grid-help"
        style={{ "--cols": cols.length, "--h": `${height}px` }}
        onKeyDown={onKey}
      >
        <div class="corner" />
        {cols.map((col, i) => (
          <div class="col-head" key={`h${i}`}>
            {sameDates ? col.staffName : fmtDay(col.date, "short")}
            {!sameDates && cols.length > 7 && <span class="sub">{col.staffName}</span>}
          </div>
        ))}
        <div class="gutter" aria-hidden="true">
          {hours.map((h) => (
            <span key={h} style={{ top: `${(h - from) * PX}px` }}>
              {fmtMinutes(h)}
            </span>
          ))}
        </div>
        {cols.map((col, i) => {
          const g = geo.cols[i]!;
          const s = select.value?.col === i ? select.value : null;
          return (
            <div
              key={`c${col.date}${col.staffId}`}
              class="col-body"
              onPointerDown={(e) => onColDown(e, i)}
              onPointerMove={onColMove}
              onPointerUp={onColUp}
            >
              {g.work.map((w) => (
                <div
                  key={w.start}
                  class="work"
                  style={{ top: `${(w.start - from) * PX}px`, height: `${(w.end - w.start) * PX}px` }}
                />
              ))}
              {g.off.map((o) => (
                <div
                  key={`o${o.start}`}
                  class="off"
                  style={{ top: `${(o.start - from) * PX}px`, height: `${(o.end - o.start) * PX}px` }}
                >
                  <span>{o.reason || t("timeOff")}</span>
                </div>
              ))}
              {s && (
                <div
                  class="selecting"
                  style={{
                    top: `${(Math.min(s.a, s.b) - from) * PX}px`,
                    height: `${(Math.abs(s.b - s.a) + STEP) * PX}px`,
                  }}
                />
              )}
              {g.bookings.map((pl) => {
                const b = pl.item;
                const focused = f.kind === "booking" && f.id === b.id && f.col === i;
                const pending = focused && f.kind === "booking" ? f.pending : undefined;
                const shiftX = pending ? `calc(${pending.col - i} * (100% * ${pl.lanes}))` : "0";
                return (
                  <button
                    type="button"
                    key={b.id}
                    class={`booking status-${b.status}${pending ? " dragging" : ""}`}
                    tabIndex={focused ? 0 : -1}
                    data-focus={focused ? "" : undefined}
                    style={{
                      top: `${(pl.start - from) * PX}px`,
                      height: `${Math.max(STEP, pl.end - pl.start) * PX}px`,
                      left: `${(pl.lane / pl.lanes) * 100}%`,
                      width: `${100 / pl.lanes}%`,
                      transform: pending ? `translate(${shiftX}, ${(pending.start - pl.start) * PX}px)` : undefined,
                    }}
                    onFocus={() => {
                      if (!focused) focus.value = { kind: "booking", col: i, id: b.id };
                    }}
                    onPointerDown={(e) => onBookingDown(e, b, i)}
                    onPointerMove={onBookingMove}
                    onPointerUp={onBookingUp}
                    onPointerCancel={onBookingUp}
                  >
                    {/* the visible text is the accessible name; the end and the status are added for screen readers */}
                    <span class="b-time">{fmtMinutes(pending ? pending.start : pl.start)}</span>
                    <span class="visually-hidden">–{fmtMinutes(pl.end % 1440)}</span>{" "}
                    <span class="b-name">{b.customer.name}</span> <span class="b-svc">{b.serviceName}</span>
                    <span class="visually-hidden">, {t(`status.${b.status}`)}</span>
                  </button>
                );
              })}
              {f.kind === "slot" && f.col === i && (
                <button
                  type="button"
                  class="cursor"
                  tabIndex={0}
                  data-focus=""
                  style={{ top: `${(f.start - from) * PX}px`, height: `${(f.end - f.start) * PX}px` }}
                  onClick={() => onWalkIn(col, f.start)}
                >
                  <span class="visually-hidden">
                    {t("slotLabel", {
                      staff: col.staffName,
                      date: fmtDay(col.date),
                      time: `${fmtMinutes(f.start)}–${fmtMinutes(f.end % 1440)}`,
                    })}
                  </span>
                </button>
              )}
            </div>
          );
        })}
      </section>
    </div>
  );
}
