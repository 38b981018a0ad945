// Today: the day's appointments per staff member, who is next, holds awaiting payment, and finished appointments to
// mark completed or no-show in one tap, or to complete with what was paid at the desk (desk-form.tsx); an error
// shows beside the booking it concerns.
import type { Calendar, CalendarBooking } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { now } from "../../models/clock.ts";
import { fmtDay, fmtMoney, fmtTime, t } from "../../models/i18n.ts";
import { api, attempt, session } from "../../models/session.ts";
import { toLocal } from "../../models/time.ts";
import { summarizeToday } from "../../models/today.ts";
import { DeskForm } from "./desk-form.tsx";
import { tp } from "./texts.ts";

type Mark = "complete" | "noShow";

function BookingRow({ b, tz, onMarked }: { b: CalendarBooking; tz: string; onMarked: () => void }) {
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const paying = useSignal(false);
  const mark = async (how: Mark) => {
    busy.value = true;
    error.value = null;
    const r = await attempt(() => (how === "complete" ? api.bookings.complete(b.id) : api.bookings.noShow(b.id)));
    busy.value = false;
    if (r.ok) onMarked();
    else error.value = r.error;
  };
  const ended = Date.parse(b.end) <= now().getTime();
  const errId = `err-${b.id}`;
  return (
    <li class={`booking status-${b.status}`}>
      <span class="when">
        {fmtTime(b.start, tz)}–{fmtTime(b.end, tz)}
      </span>
      <span class="who">
        <strong>{b.customer.name}</strong> · {b.serviceName}
      </span>
      <span class="badge">{t(`status.${b.status}`)}</span>
      {b.status === "confirmed" && (
        <span class="actions">
          <button
            type="button"
            class={ended ? "primary" : ""}
            disabled={busy.value}
            aria-describedby={error.value ? errId : undefined}
            aria-label={`${t("complete")}: ${b.customer.name} ${fmtTime(b.start, tz)}`}
            onClick={() => void mark("complete")}
          >
            {t("complete")}
          </button>
          <button
            type="button"
            disabled={busy.value}
            aria-expanded={paying.value}
            aria-label={tp("payFor", { name: b.customer.name, time: fmtTime(b.start, tz) })}
            onClick={() => {
              paying.value = !paying.value;
            }}
          >
            {tp("pay")}
          </button>
          <button
            type="button"
            disabled={busy.value}
            aria-label={`${t("noShow")}: ${b.customer.name} ${fmtTime(b.start, tz)}`}
            onClick={() => void mark("noShow")}
          >
            {t("noShow")}
          </button>
        </span>
      )}
      {error.value && (
        <p class="error" role="alert" id={errId}>
          {error.value}
        </p>
      )}
      {paying.value && b.status === "confirmed" && (
        <DeskForm
          bookingId={b.id}
          onDone={() => {
            paying.value = false;
            onMarked();
          }}
          onClose={() => {
            paying.value = false;
          }}
        />
      )}
    </li>
  );
}

export function Page() {
  const s = session.value!;
  const tz = s.tenant.timezone;
  const cal = useSignal<Calendar | null>(null);
  const error = useSignal<string | null>(null);
  const date = toLocal(now(), tz).date;
  const load = async () => {
    const r = await attempt(() =>
      api.calendar.get({ from: date, to: date, ...(s.role === "staff" && s.staffId ? { staffId: s.staffId } : {}) }),
    );
    if (r.ok) {
      cal.value = r.value;
      error.value = null;
    } else error.value = r.error;
  };
  useEffect(() => {
    void load();
  }, []);
  const summary = cal.value ? summarizeToday(cal.value, now()) : null;
  return (
    <section class="page today" aria-labelledby="page-title">
      <h1 id="page-title">{t("todayTitle", { date: fmtDay(date) })}</h1>
      {error.value && (
        <p class="error" role="alert">
          {error.value}{" "}
          <button type="button" onClick={() => void load()}>
            {t("retry")}
          </button>
        </p>
      )}
      {!summary && !error.value && <p class="muted">{t("loading")}</p>}
      {summary && (
        <>
          {summary.toMark.length > 0 && (
            <section class="panel attention" aria-labelledby="to-mark">
              <h2 id="to-mark">{t("toMark")}</h2>
              <p class="muted">{t("toMarkHint")}</p>
              <ul class="list">
                {summary.toMark.map((b) => (
                  <BookingRow key={b.id} b={b} tz={tz} onMarked={load} />
                ))}
              </ul>
            </section>
          )}
          {summary.holds.length > 0 && (
            <section class="panel" aria-labelledby="holds">
              <h2 id="holds">{t("holds")}</h2>
              <ul class="list">
                {summary.holds.map((b) => (
                  <li key={b.id} class="booking status-pending_payment">
                    <span class="when">{fmtTime(b.start, tz)}</span>
                    <span class="who">
                      <strong>{b.customer.name}</strong> · {b.serviceName} · {fmtMoney(b.price)}
                    </span>
                    {b.holdExpiresAt && (
                      <span class="badge">{t("holdUntil", { time: fmtTime(b.holdExpiresAt, tz) })}</span>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {summary.staff.every((d) => d.bookings.length === 0) && <p>{t("nothingToday")}</p>}
          <div class="staff-days">
            {summary.staff
              .filter((d) => d.bookings.length > 0)
              .map((d) => (
                <section key={d.staffId} class="panel" aria-labelledby={`staff-${d.staffId}`}>
                  <h2 id={`staff-${d.staffId}`}>{d.name}</h2>
                  <p class="next">
                    <strong>{t("next")}:</strong>{" "}
                    {d.next
                      ? `${fmtTime(d.next.start, tz)} ${d.next.customer.name} · ${d.next.serviceName}`
                      : t("noNext")}
                  </p>
                  <ul class="list">
                    {d.bookings.map((b) => (
                      <BookingRow key={b.id} b={b} tz={tz} onMarked={load} />
                    ))}
                  </ul>
                </section>
              ))}
          </div>
        </>
      )}
    </section>
  );
}
