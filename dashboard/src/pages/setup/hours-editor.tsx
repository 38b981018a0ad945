// The hours editor: a day's intervals as From/To time inputs, with a break shown (and removable) between two of them,
// "Add a break" to split a shift and "Add hours" for another; the week is seven of these with "Copy Monday to
// Tuesday–Friday". Every change goes through hours.ts; each error sits under the input it is about.
import { locale } from "../../models/i18n.ts";
import {
  addBreak,
  addShift,
  breaksOf,
  copyMondayToWeekdays,
  type HoursError,
  minutesOf,
  removeBreak,
  removeShift,
  type Span,
  setTime,
  toMinutes,
  type Week,
} from "./hours.ts";
import { tp } from "./texts.ts";
import { type Errors, invalid } from "./ui.tsx";

/** "Monday" … "Sunday" in the chosen language (1 January 2024 was a Monday). */
export const weekdayName = (day: number) =>
  new Intl.DateTimeFormat(locale.value, { weekday: "long", timeZone: "UTC" }).format(Date.UTC(2024, 0, 1 + day));

const PROBLEM = {
  badTime: "errBadTime",
  endBeforeStart: "errEndBeforeStart",
  overlaps: "errOverlaps",
} as const;

/** The editor's errors keyed as its inputs are: `hours.<day>.<index>.<field>`. */
export function hoursErrors(errors: readonly HoursError[]): Errors {
  const out: Errors = {};
  for (const e of errors) out[`hours.${e.day}.${e.index}.${e.field}`] ??= tp(PROBLEM[e.problem]);
  return out;
}

export function DayEditor(props: {
  /** Input ids start with it; also the prefix of the error keys (`<prefix>.<day>.<index>.<field>`). */
  prefix: string;
  day: number;
  label: string;
  spans: Span[];
  errors: Errors;
  onChange: (spans: Span[]) => void;
}) {
  const { prefix, day, spans, errors } = props;
  // the week-level operations work on one day here: wrap it as a one-day week at its own index
  const apply = (op: (w: Week) => Week) => {
    const w: Week = Array.from({ length: 7 }, (_, i) => (i === day ? spans : []));
    props.onChange(op(w)[day] ?? []);
  };
  const breaks = breaksOf(spans);
  const hours = minutesOf(spans) / 60;
  return (
    <fieldset class="day">
      <legend>
        {props.label}{" "}
        <span class="muted">{spans.length ? tp("dayTotal", { h: Number(hours.toFixed(2)) }) : tp("closed")}</span>
      </legend>
      {spans.map((s, i) => {
        const brk = breaks.find((b) => b.after === i);
        const a = toMinutes(s.start);
        const b = toMinutes(s.end, true);
        const canBreak = a !== null && b !== null && b - a >= 30;
        return (
          <div key={i}>
            <fieldset class="shift">
              <legend class="visually-hidden">{tp("shiftLabel", { day: props.label, n: i + 1 })}</legend>
              {(["start", "end"] as const).map((f) => {
                const id = `${prefix}-${day}-${i}-${f}`;
                const err = errors[`${prefix}.${day}.${i}.${f}`];
                return (
                  <div class="field" key={f}>
                    <label for={id}>{tp(f === "start" ? "from" : "to")}</label>
                    <input
                      id={id}
                      type="time"
                      step={300}
                      value={s[f]}
                      onInput={(e) => apply((w) => setTime(w, day, i, f, (e.currentTarget as HTMLInputElement).value))}
                      {...invalid(id, err)}
                    />
                    {err && (
                      <p class="error" id={`${id}-err`}>
                        {err}
                      </p>
                    )}
                  </div>
                );
              })}
              <div class="shift-actions">
                {canBreak && (
                  <button type="button" onClick={() => apply((w) => addBreak(w, day, i))}>
                    {tp("addBreak")}
                  </button>
                )}
                <button type="button" onClick={() => apply((w) => removeShift(w, day, i))}>
                  <span aria-hidden="true">✕ </span>
                  <span class="visually-hidden">{tp("removeShift", { from: s.start, to: s.end })}</span>
                </button>
              </div>
            </fieldset>
            {brk && (
              <p class="break">
                <span>{tp("breakLabel", { from: brk.start, to: brk.end })}</span>{" "}
                <button type="button" onClick={() => apply((w) => removeBreak(w, day, i))}>
                  {tp("removeBreak", { from: brk.start, to: brk.end })}
                </button>
              </p>
            )}
          </div>
        );
      })}
      <button type="button" class="add" onClick={() => apply((w) => addShift(w, day))}>
        + {tp("addShift")}
        <span class="visually-hidden"> ({props.label})</span>
      </button>
    </fieldset>
  );
}

export function WeekEditor(props: { week: Week; errors: Errors; onChange: (w: Week) => void }) {
  return (
    <div class="week">
      <p class="muted">{tp("hoursHelp")}</p>
      <button type="button" onClick={() => props.onChange(copyMondayToWeekdays(props.week))}>
        {tp("copyMonday")}
      </button>
      {props.week.map((spans, day) => (
        <DayEditor
          key={day}
          prefix="hours"
          day={day}
          label={weekdayName(day)}
          spans={spans}
          errors={props.errors}
          onChange={(next) => props.onChange(props.week.map((d, i) => (i === day ? next : d)))}
        />
      ))}
    </div>
  );
}
