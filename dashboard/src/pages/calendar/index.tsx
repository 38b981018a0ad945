// The Calendar page: day or week, one staff member or everyone, in the business's time zone; a time grid on wide
// screens, an agenda under 640 px. Period and staff live in the URL (?view=week&date=2027-03-01&staff=stf_…).
import type { CalendarBooking } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect, useMemo } from "preact/hooks";
import { fmtDay, t } from "../../models/i18n.ts";
import { route, setQuery } from "../../models/router.ts";
import { session } from "../../models/session.ts";
import { Agenda } from "./agenda.tsx";
import { BookingDialog, WalkInDialog } from "./dialogs.tsx";
import { Grid } from "./grid.tsx";
import {
  type Column,
  cal,
  columnsOf,
  datesOf,
  load,
  loadError,
  narrow,
  type Params,
  shift,
  toast,
  todayIn,
} from "./model.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function Page() {
  const s = session.value!;
  const tz = s.tenant.timezone;
  const q = route.value.query;
  const p: Params = {
    view: q.get("view") === "week" ? "week" : "day",
    date: DATE.test(q.get("date") ?? "") ? q.get("date")! : todayIn(tz),
    staffId: s.role === "staff" ? (s.staffId ?? "") : (q.get("staff") ?? ""),
  };
  const walkIn = useSignal<{ col: Column; minute: number } | null>(null);
  const open = useSignal<CalendarBooking | null>(null);
  useEffect(() => {
    cal.value = null;
    void load(p);
  }, [p.view, p.date, p.staffId]);
  useEffect(() => {
    const mq = matchMedia("(max-width: 639px)");
    const update = () => {
      narrow.value = mq.matches;
    };
    update();
    mq.addEventListener("change", update);
    return () => mq.removeEventListener("change", update);
  }, []);
  const c = cal.value;
  const cols = useMemo(() => (c ? columnsOf(p, c) : []), [c, p.view, p.date, p.staffId]);
  const dates = datesOf(p);
  const title = p.view === "day" ? fmtDay(p.date) : `${fmtDay(dates[0]!, "short")} – ${fmtDay(dates[6]!, "short")}`;
  return (
    <section class="page calendar" aria-labelledby="page-title">
      <h1 id="page-title">
        {t("calendarTitle")}: {title}
      </h1>
      <div class="toolbar">
        <fieldset class="seg">
          <legend class="visually-hidden">{t("view")}</legend>
          {(["day", "week"] as const).map((v) => (
            <button key={v} type="button" aria-pressed={p.view === v} onClick={() => setQuery({ view: v })}>
              {t(v)}
            </button>
          ))}
        </fieldset>
        <fieldset class="seg">
          <legend class="visually-hidden">{t("date")}</legend>
          <button type="button" onClick={() => setQuery({ date: shift(p, -1) })}>
            <span aria-hidden="true">‹ </span>
            {t("previous")}
          </button>
          <button type="button" onClick={() => setQuery({ date: null })}>
            {t("today")}
          </button>
          <button type="button" onClick={() => setQuery({ date: shift(p, 1) })}>
            {t("nextPeriod")}
            <span aria-hidden="true"> ›</span>
          </button>
        </fieldset>
        {s.role !== "staff" && c && (
          <>
            <label for="cal-staff">{t("staffMember")}</label>
            <select
              id="cal-staff"
              value={p.staffId}
              onChange={(e) => setQuery({ staff: (e.currentTarget as HTMLSelectElement).value || null })}
            >
              <option value="">{t("everyone")}</option>
              {c.staff.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      <div class="toast-area" role="status" aria-live="polite">
        {toast.value && (
          <p class={toast.value.error ? "error" : "ok"}>
            {toast.value.text}{" "}
            {toast.value.undo && (
              <button type="button" onClick={toast.value.undo}>
                {t("undo")}
              </button>
            )}
          </p>
        )}
      </div>
      {loadError.value && (
        <p class="error" role="alert">
          {loadError.value}{" "}
          <button type="button" onClick={() => void load(p)}>
            {t("retry")}
          </button>
        </p>
      )}
      {!c && !loadError.value && <p class="muted">{t("loading")}</p>}
      {c &&
        (narrow.value ? (
          <Agenda onOpen={(b) => (open.value = b)} />
        ) : (
          <Grid
            p={p}
            cols={cols}
            onWalkIn={(col, minute) => (walkIn.value = { col, minute })}
            onOpen={(b) => (open.value = b)}
          />
        ))}
      {walkIn.value && <WalkInDialog {...walkIn.value} p={p} onClose={() => (walkIn.value = null)} />}
      {open.value && <BookingDialog b={open.value} tz={tz} p={p} onClose={() => (open.value = null)} />}
    </section>
  );
}
