// The calendar on a phone (under 640 px): the period's bookings as a list by day, each opening its details (where it
// can be moved with the keyboard-friendly form).
import type { CalendarBooking } from "@bookra/sdk/admin";
import { groupAgenda } from "../../models/calendar-layout.ts";
import { fmtDay, fmtMinutes, t } from "../../models/i18n.ts";
import { cal } from "./model.ts";

export function Agenda({ onOpen }: { onOpen: (b: CalendarBooking) => void }) {
  const c = cal.value!;
  const days = groupAgenda(c.staff, c.timezone);
  if (!days.length) return <p>{t("noBookings")}</p>;
  return (
    <div class="agenda">
      {days.map((d) => (
        <section key={d.date} aria-labelledby={`ag-${d.date}`}>
          <h2 id={`ag-${d.date}`}>{fmtDay(d.date)}</h2>
          <ul class="list">
            {d.items.map(({ booking: b, staffName, start, end }) => (
              <li key={b.id} class={`booking status-${b.status}`}>
                <button type="button" class="agenda-item" onClick={() => onOpen(b)}>
                  <span class="when">
                    {fmtMinutes(start)}–{fmtMinutes(end % 1440)}
                  </span>
                  <span class="who">
                    <strong>{b.customer.name}</strong> · {b.serviceName} · {staffName}
                  </span>
                  <span class="badge">{t(`status.${b.status}`)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
