// The month calendar as an ARIA grid: arrow keys move a roving focus (Home/End: week, PageUp/PageDown: month), days
// with free slots are marked and selectable, the rest stay focusable but aria-disabled.
import { useEffect, useRef } from "preact/hooks";
import type { I18n } from "../models/i18n.ts";
import type { SlotPicker } from "../models/slot-picker.ts";
import { addDays, addMonths, daysInMonth, monthOf, parseKey, sameMonth, toKey, weekdayOf } from "../models/time.ts";

const KEY_STEPS: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

export function Calendar({ picker, i18n }: { picker: SlotPicker; i18n: I18n }) {
  const m = picker.month.value;
  const today = picker.today();
  const firstAllowed = monthOf(today);
  const first = toKey(m.y, m.m, 1);
  const byDay = picker.byDay.value;
  const selected = picker.selectedDate.value;
  const fd = picker.focusDate.value;
  const focus = sameMonth(monthOf(fd), m) ? fd : (selected ?? first);
  const grid = useRef<HTMLTableElement>(null);
  const wantFocus = useRef(false);

  useEffect(() => {
    if (!wantFocus.current) return;
    const btn = grid.current?.querySelector<HTMLButtonElement>(`[data-date="${focus}"]`);
    if (btn) {
      btn.focus();
      wantFocus.current = false;
    }
  });

  const cells: (string | null)[] = Array(weekdayOf(first)).fill(null);
  for (let d = 1; d <= daysInMonth(m); d++) cells.push(toKey(m.y, m.m, d));
  while (cells.length % 7) cells.push(null);
  const rows = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  const atStart = sameMonth(m, firstAllowed) || m.y * 12 + m.m < firstAllowed.y * 12 + firstAllowed.m;

  function go(key: string) {
    if (key < toKey(firstAllowed.y, firstAllowed.m, 1)) return;
    wantFocus.current = true;
    if (sameMonth(monthOf(key), m)) picker.focusDate.value = key;
    else picker.showMonth(monthOf(key), key);
  }

  function onKey(e: KeyboardEvent, key: string) {
    let target: string | undefined;
    if (e.key in KEY_STEPS) target = addDays(key, KEY_STEPS[e.key]!);
    else if (e.key === "Home") target = addDays(key, -weekdayOf(key));
    else if (e.key === "End") target = addDays(key, 6 - weekdayOf(key));
    else if (e.key === "PageUp" || e.key === "PageDown") {
      const nm = addMonths(monthOf(key), e.key === "PageUp" ? -1 : 1);
      target = toKey(nm.y, nm.m, Math.min(parseKey(key).d, daysInMonth(nm)));
    }
    if (!target) return;
    e.preventDefault();
    go(target);
  }

  const weekdays = i18n.weekdays();
  return (
    <div class="cal">
      <div class="cal-h">
        <button
          type="button"
          class="nav"
          aria-label={i18n.t("prevMonth")}
          disabled={atStart}
          onClick={() => picker.showMonth(addMonths(m, -1))}
        >
          ‹
        </button>
        <h3 id="bk-month" aria-live="polite">
          {i18n.month(m.y, m.m)}
        </h3>
        <button
          type="button"
          class="nav"
          aria-label={i18n.t("nextMonth")}
          onClick={() => picker.showMonth(addMonths(m, 1))}
        >
          ›
        </button>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the APG date-picker pattern, a table as an interactive grid */}
      <table role="grid" aria-labelledby="bk-month" aria-busy={picker.loading.value} ref={grid}>
        <thead>
          <tr>
            {weekdays.map((w) => (
              <th scope="col" key={w.long}>
                <abbr title={w.long}>{w.short}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.find(Boolean)}>
              {row.map((key, i) => {
                if (!key) return <td key={`e${i}`} />;
                const free = (byDay.get(key)?.length ?? 0) > 0;
                const sel = key === selected;
                const cls = `day${free ? " av" : ""}${sel ? " sel" : ""}${key === today ? " td" : ""}`;
                return (
                  // biome-ignore lint/a11y/useAriaPropsSupportedByRole: a grid's cells are gridcells, which support aria-selected
                  <td key={key} aria-selected={sel}>
                    <button
                      type="button"
                      class={cls}
                      data-date={key}
                      tabIndex={key === focus ? 0 : -1}
                      aria-label={`${i18n.day(key)}, ${i18n.t(free ? "available" : "unavailable")}`}
                      aria-disabled={!free}
                      onClick={() => free && picker.selectDate(key)}
                      onKeyDown={(e) => onKey(e, key)}
                    >
                      {parseKey(key).d}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
