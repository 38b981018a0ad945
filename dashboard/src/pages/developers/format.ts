// Instants on the Developers page, in the business's time zone and the chosen language ("3 Mar 2027, 14:05").
import { locale } from "../../models/i18n.ts";
import { session } from "../../models/session.ts";

export function fmtWhen(instant: string): string {
  return new Intl.DateTimeFormat(locale.value, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: session.value?.tenant.timezone ?? "UTC",
  }).format(new Date(instant));
}
