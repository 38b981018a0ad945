// An API error's `issues` by field (the last name in each issue's path), so a form shows each message at its field;
// what names no field of the form stays a message for the whole form.
import { BookraError } from "@bookra/sdk/admin";

export interface FormErrors {
  fields: Record<string, string>;
  /** Set when no issue names one of `fields` (a 409, a 5xx, an issue about something else). */
  form: string | null;
}

export function formErrors(cause: unknown, fallback: string, fieldNames: readonly string[]): FormErrors {
  const fields: Record<string, string> = {};
  const issues = cause instanceof BookraError ? (cause.issues ?? []) : [];
  for (const i of issues) {
    const name = [...i.path].reverse().find((p): p is string => typeof p === "string");
    if (name && fieldNames.includes(name) && !fields[name]) fields[name] = i.message;
  }
  return { fields, form: Object.keys(fields).length ? null : fallback };
}

/** Attributes that tie an input to its error text (`<id>-err`), when it has one. */
export const describedBy = (id: string, error: string | undefined) =>
  error ? { "aria-invalid": true as const, "aria-describedby": `${id}-err` } : {};
