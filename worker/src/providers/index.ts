// Picks each provider's adapter by configuration: the real one when BOOKRA_ENV is not "local" and its credentials are
// set, otherwise the local one that records into the dev mailbox (ARCHITECTURE.md, runtime parity).
import type { Database } from "../db/client.ts";
import { resendEmail } from "./email.ts";
import { googleCalendar } from "./google-calendar.ts";
import { localProviders, parseFailureInjection } from "./local.ts";
import type { CalendarProvider, EmailProvider, WhatsAppProvider } from "./types.ts";
import { whatsAppCloud } from "./whatsapp.ts";

export interface Providers {
  email: EmailProvider;
  whatsapp: WhatsAppProvider;
  calendar: CalendarProvider;
}

/** The Worker vars and secrets the providers read (to be merged into Env). */
export interface ProviderEnv {
  BOOKRA_ENV?: string;
  RESEND_API_KEY?: string;
  /** `bookings@example.com` or `Bookra <bookings@example.com>`. */
  EMAIL_FROM?: string;
  WHATSAPP_ACCESS_TOKEN?: string;
  WHATSAPP_PHONE_NUMBER_ID?: string;
  WHATSAPP_TEMPLATE_LANGUAGE?: string;
  GOOGLE_CLIENT_ID?: string;
  GOOGLE_CLIENT_SECRET?: string;
  LOCAL_PROVIDER_FAILURE_RATE?: string;
  LOCAL_PROVIDERS_DOWN?: string;
}

export function createProviders(env: ProviderEnv, db: Database): Providers {
  const local = localProviders(db, parseFailureInjection(env));
  const isLocal = env.BOOKRA_ENV === "local";
  const providers: Providers = {
    email:
      !isLocal && env.RESEND_API_KEY && env.EMAIL_FROM
        ? resendEmail({ apiKey: env.RESEND_API_KEY, from: env.EMAIL_FROM })
        : local.email,
    whatsapp:
      !isLocal && env.WHATSAPP_ACCESS_TOKEN && env.WHATSAPP_PHONE_NUMBER_ID
        ? whatsAppCloud({
            accessToken: env.WHATSAPP_ACCESS_TOKEN,
            phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID,
            templateLanguage: env.WHATSAPP_TEMPLATE_LANGUAGE ?? "en",
          })
        : local.whatsapp,
    calendar:
      !isLocal && env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET
        ? googleCalendar({ clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET })
        : local.calendar,
  };
  if (!isLocal) warnAboutLocalFallbacks(providers, local);
  return providers;
}

/** Outside local development a missing credential means nothing is really sent: say so loudly, once per call site. */
function warnAboutLocalFallbacks(chosen: Providers, local: Providers): void {
  const recordedOnly = (Object.keys(chosen) as (keyof Providers)[]).filter((k) => chosen[k] === local[k]);
  if (recordedOnly.length > 0)
    console.warn(
      JSON.stringify({
        level: "warn",
        msg: "providers without credentials only record to the dev mailbox",
        recordedOnly,
      }),
    );
}
