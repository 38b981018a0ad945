// The time step: the chosen service, why the customer is back here (a time just taken), and the date-and-time picker.
import type { BookingFlow } from "../../models/booking/flow.ts";
import type { StateOf } from "../../models/booking/machine.ts";
import type { I18n } from "../../models/i18n.ts";
import { TimePicker } from "../time-picker.tsx";
import { type StepProps, Top } from "./top.tsx";

function ServiceLine({ flow, i18n }: { flow: BookingFlow; i18n: I18n }) {
  const service = flow.service.value;
  return (
    service && (
      <p class="mu">
        {service.name} · {i18n.duration(service.durationMinutes)} · {i18n.money(service.price)}
      </p>
    )
  );
}

/** What the live region announces on this step: the free times of the chosen day, once loaded. */
export function timeStatus({ picker }: StateOf<"time">, i18n: I18n): string {
  const day = picker.selectedDate.value;
  const n = picker.daySlots.value.length;
  if (picker.loading.value) return i18n.t("loading");
  return day && n ? i18n.t("freeTimes", { n, date: i18n.day(day) }) : "";
}

export function TimeStep({ flow, s, i18n, heading }: StepProps<StateOf<"time">> & { flow: BookingFlow }) {
  return (
    <>
      <Top
        title={i18n.t("chooseTime")}
        i18n={i18n}
        onBack={flow.canChooseService ? flow.back : undefined}
        hRef={heading}
      />
      <ServiceLine flow={flow} i18n={i18n} />
      {s.notice && (
        <p class="note" role="alert">
          {i18n.t(s.notice)}
        </p>
      )}
      <TimePicker picker={s.picker} i18n={i18n} staff={flow.staffFor.value} onChoose={flow.chooseSlot} />
    </>
  );
}
