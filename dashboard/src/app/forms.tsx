// Form pieces the signed-out pages and the Developers page share: a labelled field whose error sits under it (and is
// announced with it), and the API's `issues` read onto those fields. (In the entry chunk: sign-in uses them.)
import type { ComponentChildren } from "preact";
import { t } from "../models/i18n.ts";
import { describeError } from "../models/session.ts";

export { type FieldErrors, fieldErrors } from "../models/field-errors.ts";

/** The attributes that tie an input to its hint (`<id>-hint`, when `hint`) and its error (`<id>-err`), if any. */
export function invalid(id: string, error: string | undefined, hint = false) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-err`].filter(Boolean).join(" ");
  return {
    ...(error ? { "aria-invalid": true as const } : {}),
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
  };
}

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

/** "Fill this in." for an empty required value, else null. */
export const required = (v: string) => (v.trim() ? null : t("errRequired"));

/** Moves focus to the first field with an error once it is rendered (its message is read with it). */
export function focusFirstError(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

/**
 * An API call of a signed-out page: like `attempt`, but a 401 is this form's answer (a wrong password), not a
 * session that ended.
 */
export async function tryApi<T>(
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: string; cause: unknown }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: describeError(e), cause: e };
  }
}
