// The language picker of the signed-out pages (the shell has its own in its toolbar); the choice is remembered.
import { LOCALES, type Locale, locale, setLocale, t } from "../models/i18n.ts";

export function LanguagePicker() {
  return (
    <div class="lang-picker">
      <label for="lang-public">{t("language")}</label>
      <select
        id="lang-public"
        value={locale.value}
        onChange={(e) => {
          const next = (e.currentTarget as HTMLSelectElement).value as Locale;
          localStorage.setItem("bookra.locale", next);
          void setLocale(next);
        }}
      >
        {Object.entries(LOCALES).map(([k, v]) => (
          <option key={k} value={k} lang={k}>
            {v}
          </option>
        ))}
      </select>
    </div>
  );
}
