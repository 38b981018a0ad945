// The payment step (its own chunk, with models/booking/payment.ts): the hold's countdown and the link to the
// checkout, or, once the hold lapsed, the way back to other times.
import type { BookingFlow } from "../../models/booking/flow.ts";
import type { StateOf } from "../../models/booking/machine.ts";
import { type StepProps, Summary, Top } from "./top.tsx";

function mmss(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** The business's cancellation policy, shown before the customer pays. */
function Policy({ flow, i18n }: { flow: BookingFlow; i18n: StepProps<StateOf<"payment">>["i18n"] }) {
  const p = flow.catalog.value?.cancellationPolicy;
  if (!p) return null;
  return (
    <p class="mu" data-policy>
      {i18n.t("policyFree", { hours: p.freeUntilHours })}
      {p.lateKeepPercent > 0 && ` ${i18n.t("policyLate", { percent: p.lateKeepPercent })}`}
      {p.noShowKeepPercent > 0 && ` ${i18n.t("policyNoShow", { percent: p.noShowKeepPercent })}`}
    </p>
  );
}

export function PaymentStep({ flow, s, i18n, heading }: StepProps<StateOf<"payment">> & { flow: BookingFlow }) {
  const left = s.hold.leftMs.value;
  return (
    <>
      <Top title={i18n.t("pay")} i18n={i18n} hRef={heading} />
      <Summary name={flow.service.value?.name} start={s.created.booking.start} tz={s.picker.tz.value} i18n={i18n} />
      {s.hold.expired.value ? (
        <>
          <p class="note bad" role="alert">
            {i18n.t("holdExpired")}
          </p>
          <p class="mu" data-late-payment>
            {i18n.t("latePayment")}
          </p>
          <button type="button" class="btn pri" onClick={flow.again}>
            {i18n.t("again")}
          </button>
        </>
      ) : (
        <>
          <p>{i18n.t("payBody")}</p>
          <Policy flow={flow} i18n={i18n} />
          <p class="timer" role="timer" aria-label={i18n.t("holdLeft", { left: mmss(left) })}>
            {mmss(left)}
          </p>
          <a class="btn pri" href={s.created.checkout?.url} target="_blank" rel="noopener">
            {i18n.t("openPayment")}
          </a>
        </>
      )}
    </>
  );
}
