// Texts and Intl formatters bound to the chosen locale. English is built in; the other locales are chunks of their
// own, fetched only when a page or the browser asks for them (`loadI18n`), so the first load carries one language.

import { messages as en, type Messages, type MsgKey } from "./locales/en.ts";
import { warn } from "./log.ts";
import { dtf, keyDate } from "./time.ts";

export type { MsgKey } from "./locales/en.ts";

export type Vars = Record<string, string | number>;

/** A text as the models keep it: a key (and its variables), turned into words by the view in its locale. */
export interface Msg {
  key: MsgKey;
  vars?: Vars;
}

/** The locales besides English, each a dynamic import (its own chunk). */
const LOCALES: Record<string, () => Promise<{ messages: Messages }>> = {
  es: () => import("./locales/es.ts"),
  de: () => import("./locales/de.ts"),
};

const lang = (tag: string) => tag.toLowerCase().split("-")[0]!;

/** `data-locale`, else the browser's languages, else English. */
export function pickLocale(requested?: string | null): string {
  for (const tag of [requested, ...(navigator.languages ?? [navigator.language])]) {
    if (tag && (lang(tag) === "en" || LOCALES[lang(tag)])) return tag;
  }
  return "en";
}

export interface I18n {
  locale: string;
  t(key: MsgKey, vars?: Vars): string;
  time(instant: string, timeZone: string): string;
  /** "Tuesday 3 March" for a calendar date. */
  day(key: string): string;
  dayTime(instant: string, timeZone: string): string;
  month(y: number, m: number): string;
  weekdays(): { short: string; long: string }[];
  money(m: { amount: number; currency: string }): string;
  duration(minutes: number): string;
}

const loaded = new Map<string, Promise<I18n>>();

/** The I18n for a locale tag (see `pickLocale`): English at once, another language once its chunk has arrived.
 * A chunk that fails to load falls back to English (with a warning): the widget still works. */
export function loadI18n(locale: string): Promise<I18n> {
  let p = loaded.get(locale);
  if (!p) {
    const load = LOCALES[lang(locale)];
    p = load
      ? load().then(
          (m) => createI18n(locale, m.messages),
          (e) => {
            loaded.delete(locale); // a later widget on the page may try again
            warn("could not load the texts; showing English", e);
            return createI18n("en", en);
          },
        )
      : Promise.resolve(createI18n(locale, en));
    loaded.set(locale, p);
  }
  return p;
}

export function createI18n(locale: string, dict: Messages = en): I18n {
  const t = (key: MsgKey, vars: Vars = {}) => dict[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ""));
  const utc = (o: Intl.DateTimeFormatOptions) => dtf(locale, { timeZone: "UTC", ...o });
  return {
    locale,
    t,
    time: (instant, timeZone) =>
      dtf(locale, { timeZone, hour: "numeric", minute: "2-digit" }).format(new Date(instant)),
    day: (key) => utc({ weekday: "long", day: "numeric", month: "long" }).format(keyDate(key)),
    dayTime: (instant, timeZone) =>
      dtf(locale, {
        timeZone,
        weekday: "long",
        day: "numeric",
        month: "long",
        hour: "numeric",
        minute: "2-digit",
      }).format(new Date(instant)),
    month: (y, m) => utc({ month: "long", year: "numeric" }).format(new Date(Date.UTC(y, m - 1, 15))),
    weekdays: () =>
      // 2024-01-01 was a Monday
      Array.from({ length: 7 }, (_, i) => {
        const d = new Date(Date.UTC(2024, 0, 1 + i, 12));
        return { short: utc({ weekday: "short" }).format(d), long: utc({ weekday: "long" }).format(d) };
      }),
    money: ({ amount, currency }) => {
      const f = new Intl.NumberFormat(locale, { style: "currency", currency });
      return amount === 0 ? t("free") : f.format(amount / 10 ** (f.resolvedOptions().maximumFractionDigits ?? 2));
    },
    duration: (n) => t("minutes", { n }),
  };
}
