// Texts that belong to one page live in that page's folder (`pages/<name>/texts.ts`), in all three languages, so a
// page is added or changed without touching the shared locale files; they travel in the page's own chunk.
import { locale } from "./i18n.ts";

type Texts = Record<string, string>;

/**
 * `pageTexts({ en, es, de })` → `tp(key, vars?)`; Spanish and German must have every English key (checked by the
 * compiler). Reading it subscribes the component to language changes, like `t`.
 * @example const tp = pageTexts({ en: { title: "Bookings" }, es: { title: "Reservas" }, de: { title: "Buchungen" } });
 */
export function pageTexts<T extends Texts>(texts: { en: T; es: Record<keyof T, string>; de: Record<keyof T, string> }) {
  return (key: keyof T & string, vars: Record<string, string | number> = {}): string =>
    (texts[locale.value][key] ?? texts.en[key]).replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ""));
}
