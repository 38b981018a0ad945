// Texts and Intl formatters in the chosen locale, dates always in the business's time zone. English is built in;
// Spanish and German are chunks of their own, loaded when chosen (`setLocale`).
import { signal } from "@preact/signals";
import { messages as en, type Messages, type MsgKey } from "./locales/en.ts";

export type { MsgKey } from "./locales/en.ts";

export const LOCALES = { en: "English", es: "Español", de: "Deutsch" } as const;
export type Locale = keyof typeof LOCALES;

const LOADERS: Record<Exclude<Locale, "en">, () => Promise<{ messages: Messages }>> = {
  es: () => import("./locales/es.ts"),
  de: () => import("./locales/de.ts"),
};

const dict = signal<Messages>(en);
export const locale = signal<Locale>("en");

export function isLocale(tag: string | null | undefined): tag is Locale {
  return !!tag && tag in LOCALES;
}

/** The saved choice, else the browser's first language we have, else English. */
export function pickLocale(saved: string | null, languages: readonly string[]): Locale {
  for (const tag of [saved, ...languages]) {
    const l = tag?.toLowerCase().split("-")[0];
    if (isLocale(l)) return l;
  }
  return "en";
}

/** Switches the language; the texts change once its chunk has arrived (English stays on a failure). */
export async function setLocale(next: Locale): Promise<void> {
  const messages = next === "en" ? en : (await LOADERS[next]()).messages;
  dict.value = messages;
  locale.value = next;
  document.documentElement.lang = next;
}

/** A text; `{name}` placeholders are filled from `vars`. Reading it subscribes the component to language changes. */
export function t(key: MsgKey, vars: Record<string, string | number> = {}): string {
  return dict.value[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ""));
}

const formats = new Map<string, Intl.DateTimeFormat>();
function dtf(timeZone: string, o: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale.value}|${timeZone}|${JSON.stringify(o)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale.value, { timeZone, ...o });
    formats.set(key, f);
  }
  return f;
}

/** "14:30" (or "2:30 PM") for an instant in the business's zone. */
export const fmtTime = (instant: string | number, timeZone: string) =>
  dtf(timeZone, { hour: "numeric", minute: "2-digit" }).format(new Date(instant));

/** "Tuesday, 2 March" for a local date (YYYY-MM-DD). */
export const fmtDay = (date: string, style: "long" | "short" = "long") =>
  dtf("UTC", { weekday: style, day: "numeric", month: style }).format(new Date(`${date}T12:00:00Z`));

/** A minute of a local day, as a time in the locale's style. */
export const fmtMinutes = (minutes: number) =>
  dtf("UTC", { hour: "numeric", minute: "2-digit" }).format(new Date(Date.UTC(2000, 0, 1) + minutes * 60_000));

/** Money in minor units (`{ amount: 1500, currency: "EUR" }` is 15,00 €; yen have no minor unit). */
export function fmtMoney(m: { amount: number; currency: string }): string {
  const f = new Intl.NumberFormat(locale.value, { style: "currency", currency: m.currency });
  return f.format(m.amount / 10 ** (f.resolvedOptions().maximumFractionDigits ?? 2));
}
