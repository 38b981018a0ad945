// The setup sections' form pieces: a labelled field whose error sits under it (and is tied to the input for screen
// readers), a text input bound to a draft, and the save bar with the form's own message.
import { type Signal, useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../../models/i18n.ts";
import { tp } from "./texts.ts";

export type Errors = Record<string, string>;

/** The attributes that mark an input invalid and point at its message. */
export const invalid = (id: string, error: string | undefined) =>
  error ? { "aria-invalid": true as const, "aria-describedby": `${id}-err` } : {};

export function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <span class="muted hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.children}
      {props.error && (
        <p class="error" id={`${props.id}-err`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

interface InputProps {
  type?: "text" | "email" | "url" | "tel" | "color" | "number";
  inputMode?: "numeric" | "decimal";
  autocomplete?: string;
  readOnly?: boolean;
  min?: number;
  max?: number;
}

/** An input bound to `draft.value[name]` (as text), its error from `errors[errKey ?? name]`. */
export function Text<T extends Record<string, unknown>>(
  props: InputProps & {
    id: string;
    label: string;
    draft: Signal<T>;
    name: keyof T & string;
    errors: Errors;
    errKey?: string;
    hint?: string;
  },
) {
  const { id, label, draft, name, errors, errKey, hint, type, ...rest } = props;
  const error = errors[errKey ?? name];
  return (
    <Field id={id} label={label} error={error} {...(hint ? { hint } : {})}>
      <input
        {...rest}
        // one of the text-like types (Preact types each input type's attributes apart)
        type={(type ?? "text") as "text"}
        id={id}
        name={name}
        value={String(draft.value[name] ?? "")}
        onInput={(e) => {
          draft.value = { ...draft.value, [name]: (e.currentTarget as HTMLInputElement).value };
        }}
        {...invalid(id, error)}
        {...(hint && !error ? { "aria-describedby": `${id}-hint` } : {})}
      />
    </Field>
  );
}

/** The form's buttons and its message: a general error (role=alert) or "Saved" (polite). */
export function SaveBar(props: { busy: boolean; errors: Errors; saved: boolean; children?: ComponentChildren }) {
  return (
    <div class="save-bar">
      <button type="submit" class="primary" disabled={props.busy}>
        {props.busy ? t("working") : tp("save")}
      </button>
      {props.children}
      <span role="status" class="status">
        {props.saved && !props.busy && <span class="ok">{tp("saved")}</span>}
      </span>
      {props.errors.form && (
        <p class="error" role="alert">
          {props.errors.form}
        </p>
      )}
    </div>
  );
}

/** A delete button that asks first, in place: the question takes the focus, "Keep" takes it back. */
export function ConfirmDelete(props: { label: string; question: string; busy: boolean; onConfirm: () => void }) {
  const asking = useSignal(false);
  const question = useRef<HTMLLegendElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const back = useRef(false);
  useEffect(() => {
    if (asking.value) question.current?.focus();
    else if (back.current) opener.current?.focus();
    back.current = false;
  }, [asking.value]);
  if (!asking.value)
    return (
      <button type="button" class="danger" ref={opener} onClick={() => (asking.value = true)}>
        {props.label}
      </button>
    );
  return (
    <fieldset class="confirm">
      <legend tabIndex={-1} ref={question}>
        {props.question}
      </legend>
      <button type="button" class="danger" disabled={props.busy} onClick={props.onConfirm}>
        {props.busy ? t("working") : tp("delete")}
      </button>{" "}
      <button
        type="button"
        onClick={() => {
          back.current = true;
          asking.value = false;
        }}
      >
        {tp("keep")}
      </button>
    </fieldset>
  );
}

/** Field errors plus a line for the form saying so (announced, since the fields' own messages are not). */
export const withSummary = (e: Errors): Errors =>
  Object.keys(e).length > 0 && !e.form ? { ...e, form: tp("fixFields") } : e;
