// The done step (a chunk of its own, with models/booking/done.ts, fetched during the details step): the
// confirmation, where it was sent, calendar links and the manage page.
import { calendarLinks, manageUrl } from "../../models/booking/done.ts";
import type { BookingFlow } from "../../models/booking/flow.ts";
import type { StateOf } from "../../models/booking/machine.ts";
import { type StepProps, Summary } from "./top.tsx";

export function DoneStep({ flow, s, i18n, heading }: StepProps<StateOf<"done">> & { flow: BookingFlow }) {
  const title = `${flow.service.value?.name ?? ""} · ${flow.catalog.value?.tenant.name ?? ""}`;
  const links = calendarLinks(flow.env, s.created, title);
  return (
    <div class="done">
      <div class="ok" aria-hidden="true">
        ✓
      </div>
      <h2 id="bk-h" tabIndex={-1} ref={heading}>
        {i18n.t("confirmed")}
      </h2>
      <Summary
        name={flow.service.value?.name}
        start={s.created.booking.start}
        tz={s.picker.tz.value}
        i18n={i18n}
        showZone
      />
      <p>{i18n.t("confirmedBody", { email: flow.details.draft.value.email })}</p>
      <div class="acts">
        <a class="btn" href={links.google} target="_blank" rel="noopener" data-google>
          {i18n.t("addGoogle")}
        </a>
        <a class="btn" href={links.ics} download="booking.ics" data-ics>
          {i18n.t("addIcs")}
        </a>
        <a class="btn" href={manageUrl(flow.env, s.created)} target="_blank" rel="noopener">
          {i18n.t("manage")}
        </a>
      </div>
    </div>
  );
}
