// Texts in English, Spanish and German, and Intl formatters bound to the chosen locale.
import { dtf, keyDate } from "./time.ts";

// The message keys, and each language's texts in the same order (arrays rather than objects keep the keys out of
// the bundle three times over: see the size budget in widget/size.test.ts). `Texts` is a tuple as long as `KEYS`,
// so a missing or extra text fails the type check; the comment after each text names its key.
const KEYS = [
  "chooseService",
  "chooseTime",
  "staff",
  "anyone",
  "timezone",
  "prevMonth",
  "nextMonth",
  "noSlotsDay",
  "noSlotsMonth",
  "freeTimes",
  "available",
  "unavailable",
  "loading",
  "details",
  "name",
  "email",
  "phone",
  "confirm",
  "back",
  "errName",
  "errEmail",
  "errPhone",
  "fixErrors",
  "booking",
  "taken",
  "failed",
  "loadFailed",
  "confirmed",
  "confirmedBody",
  "addGoogle",
  "addIcs",
  "manage",
  "pay",
  "payBody",
  "holdLeft",
  "holdExpired",
  "openPayment",
  "again",
  "close",
  "bookNow",
  "minutes",
  "deposit",
  "free",
  "yourBooking",
  "lService",
  "lWhen",
  "lStatus",
  "status_confirmed",
  "status_cancelled",
  "status_pending_payment",
  "status_expired",
  "status_completed",
  "status_no_show",
  "cancel",
  "cancelAsk",
  "keep",
  "yesCancel",
  "cancelled",
  "reschedule",
  "moveTo",
  "moved",
  "notFound",
  "unknownService",
  "whatsapp",
] as const;

export type MsgKey = (typeof KEYS)[number];
type StringsFor<T> = { -readonly [I in keyof T]: string };
type Texts = StringsFor<typeof KEYS>;
type Dict = Record<MsgKey, string>;

const en: Texts = [
  "Choose a service", // chooseService
  "Pick a date and time", // chooseTime
  "With", // staff
  "Anyone available", // anyone
  "Time zone", // timezone
  "Previous month", // prevMonth
  "Next month", // nextMonth
  "No free times on this day.", // noSlotsDay
  "No free times this month. Try the next month.", // noSlotsMonth
  "{n} free times on {date}", // freeTimes
  "free times", // available
  "no free times", // unavailable
  "Loading…", // loading
  "Your details", // details
  "Name", // name
  "E-mail", // email
  "Phone (optional)", // phone
  "Confirm booking", // confirm
  "Back", // back
  "Please enter your name.", // errName
  "Please enter a valid e-mail address, like ana@example.com.", // errEmail
  "Please enter a valid phone number, or leave it empty.", // errPhone
  "Please correct the highlighted fields.", // fixErrors
  "Booking…", // booking
  "Sorry, that time was just taken. Please pick another one: the times below are up to date.", // taken
  "We could not complete your booking. Please try again. (Reference: {ref})", // failed
  "Online booking is not available right now. Please try again later.", // loadFailed
  "You're booked!", // confirmed
  "A confirmation is on its way to {email}.", // confirmedBody
  "Add to Google Calendar", // addGoogle
  "Download .ics", // addIcs
  "Manage this booking", // manage
  "Complete your payment", // pay
  "We are holding this time for you. Pay the deposit to confirm it.", // payBody
  "Held for {left}", // holdLeft
  "The hold has expired and the time was released.", // holdExpired
  "Open the payment page", // openPayment
  "Choose another time", // again
  "Close", // close
  "Book now", // bookNow
  "{n} min", // minutes
  "{amount} deposit", // deposit
  "Free", // free
  "Your booking", // yourBooking
  "Service", // lService
  "When", // lWhen
  "Status", // lStatus
  "Confirmed", // status_confirmed
  "Cancelled", // status_cancelled
  "Awaiting payment", // status_pending_payment
  "Expired", // status_expired
  "Completed", // status_completed
  "Missed", // status_no_show
  "Cancel booking", // cancel
  "Cancel this booking?", // cancelAsk
  "Keep it", // keep
  "Yes, cancel", // yesCancel
  "Your booking has been cancelled.", // cancelled
  "Reschedule", // reschedule
  "Move to {time}", // moveTo
  "Your booking has been moved.", // moved
  "This booking link is not valid.", // notFound
  "This service cannot be booked online.", // unknownService
  "Send me booking updates on WhatsApp", // whatsapp
];

const es: Texts = [
  "Elige un servicio", // chooseService
  "Elige fecha y hora", // chooseTime
  "Con", // staff
  "Cualquier persona disponible", // anyone
  "Zona horaria", // timezone
  "Mes anterior", // prevMonth
  "Mes siguiente", // nextMonth
  "No hay horas libres este día.", // noSlotsDay
  "No hay horas libres este mes. Prueba el mes siguiente.", // noSlotsMonth
  "{n} horas libres el {date}", // freeTimes
  "horas libres", // available
  "sin horas libres", // unavailable
  "Cargando…", // loading
  "Tus datos", // details
  "Nombre", // name
  "Correo electrónico", // email
  "Teléfono (opcional)", // phone
  "Confirmar reserva", // confirm
  "Atrás", // back
  "Escribe tu nombre.", // errName
  "Escribe un correo válido, como ana@example.com.", // errEmail
  "Escribe un teléfono válido o déjalo vacío.", // errPhone
  "Corrige los campos marcados.", // fixErrors
  "Reservando…", // booking
  "Lo sentimos, alguien acaba de reservar esa hora. Elige otra: las horas de abajo están actualizadas.", // taken
  "No pudimos completar la reserva. Inténtalo de nuevo. (Referencia: {ref})", // failed
  "La reserva en línea no está disponible ahora. Inténtalo más tarde.", // loadFailed
  "¡Reserva confirmada!", // confirmed
  "Te enviamos la confirmación a {email}.", // confirmedBody
  "Añadir a Google Calendar", // addGoogle
  "Descargar .ics", // addIcs
  "Gestionar la reserva", // manage
  "Completa el pago", // pay
  "Te guardamos esta hora. Paga el depósito para confirmarla.", // payBody
  "Reservada durante {left}", // holdLeft
  "La reserva temporal caducó y la hora quedó libre.", // holdExpired
  "Abrir la página de pago", // openPayment
  "Elegir otra hora", // again
  "Cerrar", // close
  "Reservar", // bookNow
  "{n} min", // minutes
  "Depósito de {amount}", // deposit
  "Gratis", // free
  "Tu reserva", // yourBooking
  "Servicio", // lService
  "Cuándo", // lWhen
  "Estado", // lStatus
  "Confirmada", // status_confirmed
  "Cancelada", // status_cancelled
  "Pendiente de pago", // status_pending_payment
  "Caducada", // status_expired
  "Completada", // status_completed
  "No asistida", // status_no_show
  "Cancelar reserva", // cancel
  "¿Cancelar esta reserva?", // cancelAsk
  "Mantenerla", // keep
  "Sí, cancelar", // yesCancel
  "Tu reserva ha sido cancelada.", // cancelled
  "Cambiar hora", // reschedule
  "Mover a {time}", // moveTo
  "Tu reserva ha sido cambiada.", // moved
  "Este enlace de reserva no es válido.", // notFound
  "Este servicio no se puede reservar en línea.", // unknownService
  "Recibir avisos de la reserva por WhatsApp", // whatsapp
];

const de: Texts = [
  "Leistung wählen", // chooseService
  "Datum und Uhrzeit wählen", // chooseTime
  "Bei", // staff
  "Beliebige Person", // anyone
  "Zeitzone", // timezone
  "Vorheriger Monat", // prevMonth
  "Nächster Monat", // nextMonth
  "An diesem Tag sind keine Zeiten frei.", // noSlotsDay
  "In diesem Monat ist nichts frei. Versuchen Sie den nächsten Monat.", // noSlotsMonth
  "{n} freie Zeiten am {date}", // freeTimes
  "freie Zeiten", // available
  "keine freien Zeiten", // unavailable
  "Wird geladen…", // loading
  "Ihre Angaben", // details
  "Name", // name
  "E-Mail", // email
  "Telefon (optional)", // phone
  "Verbindlich buchen", // confirm
  "Zurück", // back
  "Bitte geben Sie Ihren Namen ein.", // errName
  "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. ana@example.com.", // errEmail
  "Bitte geben Sie eine gültige Telefonnummer ein oder lassen Sie das Feld leer.", // errPhone
  "Bitte korrigieren Sie die markierten Felder.", // fixErrors
  "Wird gebucht…", // booking
  "Diese Zeit wurde gerade vergeben. Bitte wählen Sie eine andere – die Zeiten unten sind aktuell.", // taken
  "Die Buchung konnte nicht abgeschlossen werden. Bitte erneut versuchen. (Referenz: {ref})", // failed
  "Die Online-Buchung ist gerade nicht verfügbar. Bitte später erneut versuchen.", // loadFailed
  "Gebucht!", // confirmed
  "Eine Bestätigung ist unterwegs an {email}.", // confirmedBody
  "Zu Google Kalender hinzufügen", // addGoogle
  ".ics herunterladen", // addIcs
  "Buchung verwalten", // manage
  "Zahlung abschließen", // pay
  "Wir halten diese Zeit für Sie frei. Zahlen Sie die Anzahlung, um sie zu bestätigen.", // payBody
  "Reserviert für {left}", // holdLeft
  "Die Reservierung ist abgelaufen, die Zeit wurde freigegeben.", // holdExpired
  "Zahlungsseite öffnen", // openPayment
  "Andere Zeit wählen", // again
  "Schließen", // close
  "Jetzt buchen", // bookNow
  "{n} Min.", // minutes
  "{amount} Anzahlung", // deposit
  "Kostenlos", // free
  "Ihre Buchung", // yourBooking
  "Leistung", // lService
  "Wann", // lWhen
  "Status", // lStatus
  "Bestätigt", // status_confirmed
  "Storniert", // status_cancelled
  "Zahlung ausstehend", // status_pending_payment
  "Abgelaufen", // status_expired
  "Abgeschlossen", // status_completed
  "Nicht erschienen", // status_no_show
  "Buchung stornieren", // cancel
  "Diese Buchung stornieren?", // cancelAsk
  "Behalten", // keep
  "Ja, stornieren", // yesCancel
  "Ihre Buchung wurde storniert.", // cancelled
  "Verschieben", // reschedule
  "Verschieben auf {time}", // moveTo
  "Ihre Buchung wurde verschoben.", // moved
  "Dieser Buchungslink ist ungültig.", // notFound
  "Diese Leistung kann nicht online gebucht werden.", // unknownService
  "Buchungsinfos per WhatsApp erhalten", // whatsapp
];

const toDict = (texts: Texts) => Object.fromEntries(KEYS.map((k, i) => [k, texts[i]])) as Dict;
const EN = toDict(en);
const DICTS: Record<string, Dict> = { en: EN, es: toDict(es), de: toDict(de) };

/** `data-locale`, else the browser's languages, else English. */
export function pickLocale(requested?: string | null): string {
  for (const tag of [requested, ...(navigator.languages ?? [navigator.language])]) {
    const lang = tag?.toLowerCase().split("-")[0];
    if (lang && DICTS[lang]) return tag!;
  }
  return "en";
}

export interface I18n {
  locale: string;
  t(key: MsgKey, vars?: Record<string, string | number>): string;
  time(instant: string, timeZone: string): string;
  /** "Tuesday 3 March" for a calendar date. */
  day(key: string): string;
  dayTime(instant: string, timeZone: string): string;
  month(y: number, m: number): string;
  weekdays(): { short: string; long: string }[];
  money(m: { amount: number; currency: string }): string;
  duration(minutes: number): string;
}

export function createI18n(locale: string): I18n {
  const dict = DICTS[locale.split("-")[0]!.toLowerCase()] ?? EN;
  const t = (key: MsgKey, vars: Record<string, string | number> = {}) =>
    dict[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ""));
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
