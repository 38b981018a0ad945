// Stripe's request encoding: `application/x-www-form-urlencoded` with bracketed keys (`metadata[k]=v`,
// `line_items[0][price_data][currency]=eur`), as the `stripe` package writes it, parsed into nested values.

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type Form = { [key: string]: FormValue };

/** Parses a form body or query string; indexed keys (`a[0]`, `a[]`) become arrays. */
export function parseForm(text: string): Form {
  const root: Form = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!m) continue;
    const path = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((p) => p[1]!)];
    let node: Record<string, FormValue> = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      let child = node[key];
      if (typeof child !== "object" || child === null) {
        child = {};
        node[key] = child;
      }
      node = child as Record<string, FormValue>;
    }
    const last = path[path.length - 1]!;
    node[last === "" ? String(Object.keys(node).length) : last] = value;
  }
  return arraysFromIndexes(root) as Form;
}

/** `{ "0": x, "1": y }` → `[x, y]`, all the way down. */
function arraysFromIndexes(value: FormValue): FormValue {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(arraysFromIndexes);
  const keys = Object.keys(value);
  const out: Record<string, FormValue> = {};
  for (const k of keys) out[k] = arraysFromIndexes(value[k]!);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k)))
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => out[String(k)]!);
  return out;
}
