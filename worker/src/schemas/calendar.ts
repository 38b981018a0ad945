// The dashboard's calendar (Admin API): per staff member, working hours per local date, time off and bookings.
import { z } from "@hono/zod-openapi";
import { BookingStatus } from "./booking.ts";
import { LocalDate, Money } from "./common.ts";
import { TimeOff } from "./staff.ts";

/** The longest range one calendar request may cover (six weeks: a month view with its edges). */
export const CALENDAR_MAX_DAYS = 42;

export const CalendarQuery = z
  .object({
    from: LocalDate,
    to: LocalDate.openapi({ description: "Inclusive" }),
    staffId: z.string().max(64).optional(),
  })
  .refine((q) => q.from <= q.to, { message: "from must not be after to", path: ["to"] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < CALENDAR_MAX_DAYS, {
    message: `The range may cover at most ${CALENDAR_MAX_DAYS} days`,
    path: ["to"],
  });
export type CalendarQuery = z.infer<typeof CalendarQuery>;

const Span = z.object({ start: z.string(), end: z.string() });

export const CalendarBooking = z
  .object({
    id: z.string(),
    status: BookingStatus,
    serviceId: z.string(),
    serviceName: z.string(),
    start: z.string(),
    end: z.string(),
    holdExpiresAt: z.string().nullable(),
    price: Money,
    customer: z.object({ id: z.string(), name: z.string(), email: z.string(), phone: z.string().nullable() }),
  })
  .openapi("CalendarBooking");
export type CalendarBooking = z.infer<typeof CalendarBooking>;

export const CalendarStaff = z
  .object({
    id: z.string(),
    name: z.string(),
    days: z.array(
      z.object({
        date: z.string(),
        working: z.array(Span),
      }),
    ),
    timeOff: z.array(TimeOff),
    bookings: z.array(CalendarBooking),
  })
  .openapi("CalendarStaff");
export type CalendarStaff = z.infer<typeof CalendarStaff>;

export const Calendar = z
  .object({
    timezone: z.string(),
    from: z.string(),
    to: z.string(),
    staff: z.array(CalendarStaff),
  })
  .openapi("Calendar");
export type Calendar = z.infer<typeof Calendar>;
