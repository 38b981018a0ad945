// Reading Stripe-style parameters: unknown ones are refused (as Stripe does), integers are checked, metadata is
// a flat map of strings.
import type Stripe from "stripe";
import { invalid, missing, unknownParam } from "./errors.ts";
import type { Form, FormValue } from "./form.ts";

export function allowOnly(form: Form, allowed: readonly string[], prefix = ""): void {
  for (const key of Object.keys(form)) if (!allowed.includes(key)) throw unknownParam(`${prefix}${key}`);
}

export function str(form: Form, key: string, required: true, prefix?: string): string;
export function str(form: Form, key: string, required?: false, prefix?: string): string | null;
export function str(form: Form, key: string, required = false, prefix = ""): string | null {
  const v = form[key];
  if (v === undefined || v === "") {
    if (required) throw missing(`${prefix}${key}`);
    return null;
  }
  if (typeof v !== "string") throw invalid(`${prefix}${key}`, `Invalid string: ${prefix}${key}`);
  return v;
}

export function int(form: Form, key: string, required: true, prefix?: string): number;
export function int(form: Form, key: string, required?: false, prefix?: string): number | null;
export function int(form: Form, key: string, required = false, prefix = ""): number | null {
  const v = str(form, key, required as false, prefix);
  if (v === null) return null;
  if (!/^-?\d{1,15}$/.test(v)) throw invalid(`${prefix}${key}`, `Invalid integer: ${v}`, "parameter_invalid_integer");
  return Number(v);
}

export function bool(form: Form, key: string): boolean | null {
  const v = str(form, key);
  if (v === null) return null;
  if (v !== "true" && v !== "false") throw invalid(key, `Invalid boolean: ${v}`);
  return v === "true";
}

export function obj(form: Form, key: string, prefix = ""): Form {
  const v = form[key];
  if (v === undefined || v === "") return {};
  if (typeof v !== "object" || Array.isArray(v)) throw invalid(`${prefix}${key}`, `Invalid object: ${prefix}${key}`);
  return v;
}

export function arr(form: Form, key: string): FormValue[] {
  const v = form[key];
  if (v === undefined || v === "") return [];
  if (!Array.isArray(v)) throw invalid(key, `Invalid array: ${key}`);
  return v;
}

/** Stripe's metadata: at most 50 keys, keys up to 40 and values up to 500 characters. */
export function metadata(form: Form, key = "metadata", prefix = ""): Stripe.Metadata {
  const m = obj(form, key, prefix);
  const out: Stripe.Metadata = {};
  const entries = Object.entries(m);
  if (entries.length > 50) throw invalid(`${prefix}${key}`, "Metadata can have at most 50 keys.");
  for (const [k, v] of entries) {
    if (typeof v !== "string") throw invalid(`${prefix}${key}[${k}]`, "Metadata values must be strings.");
    if (k.length > 40 || v.length > 500) throw invalid(`${prefix}${key}[${k}]`, "Metadata key or value too long.");
    if (v !== "") out[k] = v;
  }
  return out;
}

export function expandList(form: Form): string[] {
  return arr(form, "expand").filter((v): v is string => typeof v === "string");
}
