// The customer's details: labelled fields, errors tied to them with aria-describedby, focus on the first error.
import type { BookingFlow } from "../models/booking-flow.ts";
import type { MsgKey } from "../models/i18n.ts";
import type { CustomerDraft } from "../models/validate.ts";

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

export function DetailsForm({ flow }: { flow: BookingFlow }) {
  const { i18n } = flow.env;
  const errors = flow.errors.value;
  const draft = flow.draft.value;
  const busy = flow.submitting.value;
  const formError = flow.formError.value;

  async function onSubmit(e: Event) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const ok = await flow.submit();
    if (!ok) requestAnimationFrame(() => form.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
  }

  return (
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
              onInput={(e) => flow.setField(f.name, e.currentTarget.value)}
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
            checked={flow.whatsappOptIn.value}
            onChange={(e) => {
              flow.whatsappOptIn.value = e.currentTarget.checked;
            }}
          />
          {i18n.t("whatsapp")}
        </label>
      )}
      {formError && (
        <p class="note bad" id="bk-form-err" role="alert">
          {formError}
        </p>
      )}
      <button type="submit" class="btn pri wide" disabled={busy} aria-disabled={busy}>
        {i18n.t(busy ? "booking" : "confirm")}
      </button>
    </form>
  );
}
