// Date and time: the calendar beside the chosen day's slots, the staff choice and the customer's time zone.
import type { PublicStaff } from "@bookra/sdk";
import type { I18n } from "../models/i18n.ts";
import type { Slot, SlotPicker } from "../models/slot-picker.ts";
import { zoneList } from "../models/time.ts";
import { Calendar } from "./calendar.tsx";

export interface TimePickerProps {
  picker: SlotPicker;
  i18n: I18n;
  staff?: PublicStaff[];
  chosen?: string | null;
  onChoose(slot: Slot): void;
}

export function TimePicker({ picker, i18n, staff, chosen, onChoose }: TimePickerProps) {
  const tz = picker.tz.value;
  const day = picker.selectedDate.value;
  const slots = picker.daySlots.value;
  const loading = picker.loading.value;
  return (
    <div>
      <div class="row">
        {staff && staff.length > 0 && (
          <div class="fld">
            <label for="bk-staff">{i18n.t("staff")}</label>
            <select
              id="bk-staff"
              value={picker.staffId.value ?? ""}
              onChange={(e) => picker.setStaff(e.currentTarget.value || null)}
            >
              <option value="">{i18n.t("anyone")}</option>
              {staff.map((s) => (
                <option value={s.id} key={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="fld">
          <label for="bk-tz">{i18n.t("timezone")}</label>
          <select id="bk-tz" value={tz} onChange={(e) => picker.setZone(e.currentTarget.value)}>
            {zoneList(tz).map((z) => (
              <option value={z} key={z}>
                {z.replace(/_/g, " ")}
              </option>
            ))}
          </select>
        </div>
      </div>
      {picker.failed.value && (
        <p class="note bad" role="alert">
          {i18n.t("loadFailed")}
        </p>
      )}
      <div class="time">
        <Calendar picker={picker} i18n={i18n} />
        <section class="slots" aria-labelledby="bk-day">
          <h3 id="bk-day">{day ? i18n.day(day) : ""}</h3>
          {slots.length > 0 ? (
            <ul>
              {slots.map((s) => (
                <li key={s.start}>
                  <button
                    type="button"
                    class="slot"
                    data-slot={s.start}
                    aria-pressed={chosen === undefined ? undefined : chosen === s.start}
                    onClick={() => onChoose(s)}
                  >
                    {i18n.time(s.start, tz)}
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p class="mu">
              {loading ? i18n.t("loading") : i18n.t(picker.slots.value.length ? "noSlotsDay" : "noSlotsMonth")}
            </p>
          )}
        </section>
      </div>
    </div>
  );
}
