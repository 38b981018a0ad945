// Texts in English, Spanish and German, and Intl formatters bound to the chosen locale.
import { dtf, keyDate } from "./time.ts";

const en = {
  chooseService: "Choose a service",
  chooseTime: "Pick a date and time",
  staff: "With",
  anyone: "Anyone available",
  timezone: "Time zone",
  prevMonth: "Previous month",
  nextMonth: "Next month",
  noSlotsDay: "No free times on this day.",
  noSlotsMonth: "No free times this month. Try the next month.",
  freeTimes: "{n} free times on {date}",
  available: "free times",
  unavailable: "no free times",
  loading: "Loading…",
  details: "Your details",
  name: "Name",
  email: "E-mail",
  phone: "Phone (optional)",
  confirm: "Confirm booking",
  back: "Back",
  errName: "Please enter your name.",
  errEmail: "Please enter a valid e-mail address, like ana@example.com.",
  errPhone: "Please enter a valid phone number, or leave it empty.",
  fixErrors: "Please correct the highlighted fields.",
  booking: "Booking…",
  taken: "Sorry, that time was just taken. Please pick another one: the times below are up to date.",
  failed: "We could not complete your booking. Please try again. (Reference: {ref})",
  loadFailed: "Online booking is not available right now. Please try again later.",
  confirmed: "You're booked!",
  confirmedBody: "A confirmation is on its way to {email}.",
  addGoogle: "Add to Google Calendar",
  addIcs: "Download .ics",
  manage: "Manage this booking",
  pay: "Complete your payment",
  payBody: "We are holding this time for you. Pay the deposit to confirm it.",
  holdLeft: "Held for {left}",
  holdExpired: "The hold has expired and the time was released.",
  openPayment: "Open the payment page",
  again: "Choose another time",
  close: "Close",
  bookNow: "Book now",
  minutes: "{n} min",
  deposit: "{amount} deposit",
  free: "Free",
  yourBooking: "Your booking",
  lService: "Service",
  lWhen: "When",
  lStatus: "Status",
  status_confirmed: "Confirmed",
  status_cancelled: "Cancelled",
  status_pending_payment: "Awaiting payment",
  status_expired: "Expired",
  status_completed: "Completed",
  status_no_show: "Missed",
  cancel: "Cancel booking",
  cancelAsk: "Cancel this booking?",
  keep: "Keep it",
  yesCancel: "Yes, cancel",
  cancelled: "Your booking has been cancelled.",
  reschedule: "Reschedule",
  moveTo: "Move to {time}",
  moved: "Your booking has been moved.",
  notFound: "This booking link is not valid.",
  unknownService: "This service cannot be booked online.",
};

export type MsgKey = keyof typeof en;
type Dict = Record<MsgKey, string>;

const es: Dict = {
  chooseService: "Elige un servicio",
  chooseTime: "Elige fecha y hora",
  staff: "Con",
  anyone: "Cualquier persona disponible",
  timezone: "Zona horaria",
  prevMonth: "Mes anterior",
  nextMonth: "Mes siguiente",
  noSlotsDay: "No hay horas libres este día.",
  noSlotsMonth: "No hay horas libres este mes. Prueba el mes siguiente.",
  freeTimes: "{n} horas libres el {date}",
  available: "horas libres",
  unavailable: "sin horas libres",
  loading: "Cargando…",
  details: "Tus datos",
  name: "Nombre",
  email: "Correo electrónico",
  phone: "Teléfono (opcional)",
  confirm: "Confirmar reserva",
  back: "Atrás",
  errName: "Escribe tu nombre.",
  errEmail: "Escribe un correo válido, como ana@example.com.",
  errPhone: "Escribe un teléfono válido o déjalo vacío.",
  fixErrors: "Corrige los campos marcados.",
  booking: "Reservando…",
  taken: "Lo sentimos, alguien acaba de reservar esa hora. Elige otra: las horas de abajo están actualizadas.",
  failed: "No pudimos completar la reserva. Inténtalo de nuevo. (Referencia: {ref})",
  loadFailed: "La reserva en línea no está disponible ahora. Inténtalo más tarde.",
  confirmed: "¡Reserva confirmada!",
  confirmedBody: "Te enviamos la confirmación a {email}.",
  addGoogle: "Añadir a Google Calendar",
  addIcs: "Descargar .ics",
  manage: "Gestionar la reserva",
  pay: "Completa el pago",
  payBody: "Te guardamos esta hora. Paga el depósito para confirmarla.",
  holdLeft: "Reservada durante {left}",
  holdExpired: "La reserva temporal caducó y la hora quedó libre.",
  openPayment: "Abrir la página de pago",
  again: "Elegir otra hora",
  close: "Cerrar",
  bookNow: "Reservar",
  minutes: "{n} min",
  deposit: "Depósito de {amount}",
  free: "Gratis",
  yourBooking: "Tu reserva",
  lService: "Servicio",
  lWhen: "Cuándo",
  lStatus: "Estado",
  status_confirmed: "Confirmada",
  status_cancelled: "Cancelada",
  status_pending_payment: "Pendiente de pago",
  status_expired: "Caducada",
  status_completed: "Completada",
  status_no_show: "No asistida",
  cancel: "Cancelar reserva",
  cancelAsk: "¿Cancelar esta reserva?",
  keep: "Mantenerla",
  yesCancel: "Sí, cancelar",
  cancelled: "Tu reserva ha sido cancelada.",
  reschedule: "Cambiar hora",
  moveTo: "Mover a {time}",
  moved: "Tu reserva ha sido cambiada.",
  notFound: "Este enlace de reserva no es válido.",
  unknownService: "Este servicio no se puede reservar en línea.",
};

const de: Dict = {
  chooseService: "Leistung wählen",
  chooseTime: "Datum und Uhrzeit wählen",
  staff: "Bei",
  anyone: "Beliebige Person",
  timezone: "Zeitzone",
  prevMonth: "Vorheriger Monat",
  nextMonth: "Nächster Monat",
  noSlotsDay: "An diesem Tag sind keine Zeiten frei.",
  noSlotsMonth: "In diesem Monat ist nichts frei. Versuchen Sie den nächsten Monat.",
  freeTimes: "{n} freie Zeiten am {date}",
  available: "freie Zeiten",
  unavailable: "keine freien Zeiten",
  loading: "Wird geladen…",
  details: "Ihre Angaben",
  name: "Name",
  email: "E-Mail",
  phone: "Telefon (optional)",
  confirm: "Verbindlich buchen",
  back: "Zurück",
  errName: "Bitte geben Sie Ihren Namen ein.",
  errEmail: "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. ana@example.com.",
  errPhone: "Bitte geben Sie eine gültige Telefonnummer ein oder lassen Sie das Feld leer.",
  fixErrors: "Bitte korrigieren Sie die markierten Felder.",
  booking: "Wird gebucht…",
  taken: "Diese Zeit wurde gerade vergeben. Bitte wählen Sie eine andere – die Zeiten unten sind aktuell.",
  failed: "Die Buchung konnte nicht abgeschlossen werden. Bitte erneut versuchen. (Referenz: {ref})",
  loadFailed: "Die Online-Buchung ist gerade nicht verfügbar. Bitte später erneut versuchen.",
  confirmed: "Gebucht!",
  confirmedBody: "Eine Bestätigung ist unterwegs an {email}.",
  addGoogle: "Zu Google Kalender hinzufügen",
  addIcs: ".ics herunterladen",
  manage: "Buchung verwalten",
  pay: "Zahlung abschließen",
  payBody: "Wir halten diese Zeit für Sie frei. Zahlen Sie die Anzahlung, um sie zu bestätigen.",
  holdLeft: "Reserviert für {left}",
  holdExpired: "Die Reservierung ist abgelaufen, die Zeit wurde freigegeben.",
  openPayment: "Zahlungsseite öffnen",
  again: "Andere Zeit wählen",
  close: "Schließen",
  bookNow: "Jetzt buchen",
  minutes: "{n} Min.",
  deposit: "{amount} Anzahlung",
  free: "Kostenlos",
  yourBooking: "Ihre Buchung",
  lService: "Leistung",
  lWhen: "Wann",
  lStatus: "Status",
  status_confirmed: "Bestätigt",
  status_cancelled: "Storniert",
  status_pending_payment: "Zahlung ausstehend",
  status_expired: "Abgelaufen",
  status_completed: "Abgeschlossen",
  status_no_show: "Nicht erschienen",
  cancel: "Buchung stornieren",
  cancelAsk: "Diese Buchung stornieren?",
  keep: "Behalten",
  yesCancel: "Ja, stornieren",
  cancelled: "Ihre Buchung wurde storniert.",
  reschedule: "Verschieben",
  moveTo: "Verschieben auf {time}",
  moved: "Ihre Buchung wurde verschoben.",
  notFound: "Dieser Buchungslink ist ungültig.",
  unknownService: "Diese Leistung kann nicht online gebucht werden.",
};

const DICTS: Record<string, Dict> = { en, es, de };

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
  const dict = DICTS[locale.split("-")[0]!.toLowerCase()] ?? en;
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
