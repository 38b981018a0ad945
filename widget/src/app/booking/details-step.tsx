// The details step: the chosen time, then the customer's details as labelled fields, errors tied to them with
// aria-describedby, focus on the first error.
import type { BookingFlow } from "../../models/booking/flow.ts";
import type { StateOf } from "../../models/booking/machine.ts";
import type { MsgKey } from "../../models/i18n.ts";
import type { CustomerDraft } from "../../models/validate.ts";
import { type StepProps, Summary, Top } from "./top.tsx";

const FIELDS: {
  name: keyof CustomerDraft;
  label: MsgKey;
  type: "text" | "email" | "tel";
  autocomplete: string;
  required: boolean;
}[] = [
  { name: "name", label: "name", type: "text", autocomplete: "name", required: true },
  { name: "email", label: "email", type: "email", autocomplete: "email", required: true },
  { name: "phone", label: "phone", type: "tel", autocomplete: "tel", required: false },
];

export function DetailsStep({ flow, s, i18n, heading }: StepProps<StateOf<"details">> & { flow: BookingFlow }) {
  const d = flow.details;
  const errors = d.errors.value;
  const draft = d.draft.value;
  const busy = d.submitting.value;
  const formError = d.formError.value;

  async function onSubmit(e: Event) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const ok = await flow.submit();
    if (!ok) requestAnimationFrame(() => form.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
  }

  return (
    <>
      <Top title={i18n.t("details")} i18n={i18n} onBack={flow.back} hRef={heading} />
      <Summary name={flow.service.value?.name} start={s.slot.start} tz={s.picker.tz.value} i18n={i18n} showZone />
      <form noValidate onSubmit={onSubmit} aria-describedby={formError ? "bk-form-err" : undefined}>
        {FIELDS.map((f) => {
          const err = errors[f.name];
          const id = `bk-${f.name}`;
          return (
            <div class="fld" key={f.name}>
              <label for={id}>{i18n.t(f.label)}</label>
              <input
                id={id}
                name={f.name}
                type={f.type as "text"}
                autocomplete={f.autocomplete}
                required={f.required}
                aria-required={f.required}
                aria-invalid={!!err}
                aria-describedby={err ? `${id}-err` : undefined}
                value={draft[f.name]}
                onInput={(e) => d.setField(f.name, e.currentTarget.value)}
              />
              {err && (
                <p class="err" id={`${id}-err`}>
                  {i18n.t(err)}
                </p>
              )}
            </div>
          );
        })}
        {draft.phone.trim() && (
          <label class="chk">
            <input
              id="bk-whatsapp"
              type="checkbox"
              checked={d.whatsappOptIn.value}
              onChange={(e) => {
                d.whatsappOptIn.value = e.currentTarget.checked;
              }}
            />
            {i18n.t("whatsapp")}
          </label>
        )}
        {formError && (
          <p class="note bad" id="bk-form-err" role="alert">
            {i18n.t(formError.key, formError.vars)}
          </p>
        )}
        <button type="submit" class="btn pri wide" disabled={busy} aria-disabled={busy}>
          {i18n.t(busy ? "booking" : "confirm")}
        </button>
      </form>
    </>
  );
}
