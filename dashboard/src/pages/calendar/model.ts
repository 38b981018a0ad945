// The calendar page's state: the period and staff shown (kept in the URL), the loaded calendar, the services for the
// walk-in form, and the verbs (move, book, block, undo) with their messages. The geometry is models/calendar-layout.ts.
import type { Calendar, CalendarBooking, Service } from "@bookra/sdk/admin";
import { ConflictError } from "@bookra/sdk/admin";
import { signal } from "@preact/signals";
import { t } from "../../models/i18n.ts";
import { api, attempt, session } from "../../models/session.ts";
import { addDays, fromLocal, toLocal, weekOf } from "../../models/time.ts";
import type { Column } from "./geometry.ts";

export type View = "day" | "week";

export type { Column } from "./geometry.ts";

export const cal = signal<Calendar | null>(null);
export const services = signal<Service[]>([]);
export const loadError = signal<string | null>(null);
/** The latest outcome of a move, a booking or a block, announced politely; `undo` when it can be taken back. */
export const toast = signal<{ text: string; error?: boolean; undo?: () => void } | null>(null);

export interface Params {
  view: View;
  date: string;
  staffId: string;
}

export const datesOf = (p: Params) => (p.view === "day" ? [p.date] : weekOf(p.date));

/** The columns for the period: per staff member for a day, per day for one staff member's week, both for everyone's. */
export function columnsOf(p: Params, c: Calendar): Column[] {
  const staff = p.staffId ? c.staff.filter((s) => s.id === p.staffId) : c.staff;
  return datesOf(p).flatMap((date) => staff.map((s) => ({ date, staffId: s.id, staffName: s.name })));
}

export function todayIn(timeZone: string): string {
  return toLocal(Date.now(), timeZone).date;
}

export function shift(p: Params, dir: 1 | -1): string {
  return addDays(p.date, dir * (p.view === "day" ? 1 : 7));
}

const tz = () => session.value!.tenant.timezone;

export async function load(p: Params): Promise<void> {
  const dates = datesOf(p);
  const staffId = session.value?.role === "staff" ? (session.value.staffId ?? undefined) : p.staffId || undefined;
  const [c, s] = await Promise.all([
    attempt(() => api.calendar.get({ from: dates[0]!, to: dates[dates.length - 1]!, staffId })),
    services.value.length ? Promise.resolve(null) : attempt(() => api.services.list({ limit: 100 })),
  ]);
  if (c.ok) {
    cal.value = c.value;
    loadError.value = null;
  } else loadError.value = c.error;
  if (s?.ok) services.value = s.value.data;
}

function replaceBooking(id: string, change: Partial<CalendarBooking>): void {
  const c = cal.value;
  if (!c) return;
  cal.value = {
    ...c,
    staff: c.staff.map((s) => ({
      ...s,
      bookings: s.bookings.map((b) => (b.id === id ? { ...b, ...change } : b)),
    })),
  };
}

/**
 * Moves a booking to a local date and minute (the API's reschedule). It moves on screen at once; a refusal (409: the
 * time is taken) puts it back where it was, with the reason.
 */
export async function moveBooking(b: CalendarBooking, date: string, minutes: number, p: Params): Promise<void> {
  const start = fromLocal(date, minutes, tz());
  if (start === new Date(b.start).toISOString()) return;
  const duration = Date.parse(b.end) - Date.parse(b.start);
  const before = { start: b.start, end: b.end };
  replaceBooking(b.id, { start, end: new Date(Date.parse(start) + duration).toISOString() });
  const r = await attempt(() => api.bookings.reschedule(b.id, { start }));
  if (r.ok) {
    toast.value = { text: t("moved", { time: `${date} ${hhmmLocal(minutes)}` }) };
    await load(p);
  } else {
    replaceBooking(b.id, before);
    toast.value = {
      text: r.cause instanceof ConflictError ? t("moveTaken") : t("moveFailed", { message: r.error }),
      error: true,
    };
  }
}

const hhmmLocal = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** Blocks a range of one staff member's day (time off), with an undo. */
export async function blockTime(col: Column, from: number, to: number, p: Params): Promise<void> {
  const start = fromLocal(col.date, from, tz());
  const end = to >= 1440 ? fromLocal(addDays(col.date, 1), 0, tz()) : fromLocal(col.date, to, tz());
  const r = await attempt(() => api.staff.timeOff.create(col.staffId, { start, end, reason: t("blocked") }));
  if (!r.ok) {
    toast.value = { text: r.error, error: true };
    return;
  }
  const id = r.value.id;
  toast.value = {
    text: t("blockedRange", { from: hhmmLocal(from), to: hhmmLocal(Math.min(to, 1440)) }),
    undo: async () => {
      toast.value = null;
      const u = await attempt(() => api.staff.timeOff.delete(col.staffId, id));
      if (!u.ok) toast.value = { text: u.error, error: true };
      await load(p);
    },
  };
  await load(p);
}

/** A walk-in or phone booking; the field errors come back keyed by field name. */
export async function bookWalkIn(
  col: Column,
  minutes: number,
  input: { serviceId: string; name: string; email: string; phone: string },
  p: Params,
): Promise<Record<string, string> | null> {
  const errors: Record<string, string> = {};
  if (!input.serviceId) errors.serviceId = t("errRequired");
  if (!input.name.trim()) errors.name = t("errRequired");
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email.trim())) errors.email = t("errEmail");
  if (Object.keys(errors).length) return errors;
  const start = fromLocal(col.date, minutes, tz());
  const customer = {
    name: input.name.trim(),
    email: input.email.trim(),
    ...(input.phone.trim() ? { phone: input.phone.trim() } : {}),
  };
  const r = await attempt(() =>
    api.bookings.create({ serviceId: input.serviceId, staffId: col.staffId, start, customer }),
  );
  if (r.ok) {
    await load(p);
    return null;
  }
  if (r.cause instanceof ConflictError) return { form: t("slotTaken") };
  const issues = (r.cause as { issues?: { path: (string | number)[]; message: string }[] }).issues ?? [];
  for (const i of issues) {
    const field = String(i.path[i.path.length - 1] ?? "form");
    errors[field === "start" ? "form" : field] = i.message;
  }
  return Object.keys(errors).length ? errors : { form: r.error };
}

/** Services the column's staff member offers. */
export const servicesFor = (staffId: string) => services.value.filter((s) => s.staffIds.includes(staffId));

/** Under 640 px the calendar is an agenda (set from a media query by the page). */
export const narrow = signal(false);
