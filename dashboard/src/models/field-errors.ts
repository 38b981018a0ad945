// The API's validation answer read onto a form, pure: each `issues[].path` names a field; what names none goes to
// the form as a whole, so an error always shows where it happened (never lost, never a blank page).

export type FieldErrors = Record<string, string>;

/**
 * An API error read onto a form: each issue goes to the field its path ends in (when the form has that field), the
 * rest to `form`; a 409 goes to `conflictField` when given (a taken slug belongs at the slug).
 */
export function fieldErrors(
  cause: unknown,
  fields: readonly string[],
  message: string,
  conflictField?: string,
): FieldErrors {
  const e = cause as { status?: number; issues?: { path: (string | number)[]; message: string }[] };
  const out: FieldErrors = {};
  for (const i of e.issues ?? []) {
    const last = String(i.path[i.path.length - 1] ?? "");
    const key = fields.includes(last) ? last : "form";
    out[key] ??= i.message;
  }
  if (e.status === 409 && conflictField) out[conflictField] ??= message;
  if (!Object.keys(out).length) out.form = message;
  return out;
}
