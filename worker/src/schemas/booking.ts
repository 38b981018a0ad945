// Bookings and availability on the wire (API.md: public and admin booking routes, slot listing).
import { z } from "@hono/zod-openapi";
import { Cursor, Email, Instant, LocalDate, Money, Name, nullable, TimeZone } from "./common.ts";

export const BookingStatus = z.enum(["pending_payment", "confirmed", "cancelled", "completed", "no_show", "expired"]);

export const Customer = z
  .object({
    name: Name,
    email: Email,
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{6,20}$/, "A phone number in international format, e.g. +44 20 7946 0958")
      .optional(),
    whatsappOptIn: z
      .boolean()
      .optional()
      .openapi({ description: "The customer agreed to WhatsApp messages about this booking (default false)" }),
  })
  .strict()
  .openapi("CustomerInput");

export const BookingInput = z
  .object({
    serviceId: z.string().max(64),
    staffId: z.string().max(64).optional(),
    start: Instant,
    customer: Customer,
    notes: z.string().max(1000).optional(),
  })
  .strict()
  .openapi("BookingInput");
export type BookingInput = z.infer<typeof BookingInput>;

export const RescheduleInput = z.object({ start: Instant }).strict().openapi("RescheduleInput");
export type RescheduleInput = z.infer<typeof RescheduleInput>;

export const Booking = z
  .object({
    id: z.string(),
    status: BookingStatus,
    serviceId: z.string(),
    staffId: z.string(),
    start: z.string(),
    end: z.string(),
    price: Money,
    deposit: nullable(Money),
    holdExpiresAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Booking");
export type Booking = z.infer<typeof Booking>;

export const AdminBooking = Booking.extend({
  customer: z.object({ id: z.string(), name: z.string(), email: z.string(), phone: z.string().nullable() }),
  notes: z.string().nullable(),
  source: z.enum(["public", "admin"]),
  serviceName: z.string(),
  staffName: z.string(),
  paymentFlag: z
    .enum(["amount_mismatch", "disputed", "dispute_won", "dispute_lost"])
    .nullable()
    .describe(
      "`amount_mismatch`: Stripe reported a payment whose amount or currency differs from the deposit asked: the " +
        "booking was not confirmed by it (the money is in the ledger); the owner decides (refund it in Stripe, or book " +
        "again). `disputed`: the customer disputed the payment with their bank; `dispute_won` / `dispute_lost` once " +
        "Stripe closed the dispute.",
    ),
}).openapi("AdminBooking");
export type AdminBooking = z.infer<typeof AdminBooking>;

export const BookingCreated = z
  .object({
    booking: Booking,
    manageToken: z
      .string()
      .openapi({ description: "Authorises GET/cancel/reschedule of this booking; shown to the customer" }),
    checkout: z.object({ url: z.string() }).optional(),
  })
  .openapi("BookingCreated");
export type BookingCreated = z.infer<typeof BookingCreated>;

export const AvailabilityQuery = z
  .object({
    serviceId: z.string().max(64),
    from: LocalDate,
    to: LocalDate,
    staffId: z.string().max(64).optional(),
    timezone: TimeZone.optional(),
    cursor: Instant.optional().openapi({
      description: "The `nextCursor` of the previous response, to read the next page of the same query",
    }),
  })
  .refine((q) => q.from <= q.to, { message: "from must not be after to", path: ["to"] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < 62, {
    message: "The range may cover at most 62 days",
    path: ["to"],
  });
export type AvailabilityQuery = z.infer<typeof AvailabilityQuery>;

export const Availability = z
  .object({
    timezone: z.string(),
    serviceId: z.string(),
    slots: z.array(z.object({ start: z.string(), end: z.string(), staffIds: z.array(z.string()) })),
    nextCursor: z.string().nullable().openapi({
      description: "Null when `slots` holds the rest of the range; else pass it as `cursor` for the next page",
    }),
  })
  .openapi("Availability");
export type Availability = z.infer<typeof Availability>;

/** A bound of the list: an instant, or a calendar date in the business's time zone. */
const ListBound = (description: string) => z.union([Instant, LocalDate]).optional().openapi({ description });

/** `status=a,b` or `status=a&status=b`: one or several statuses, each at most once. */
const StatusFilter = z
  .preprocess(
    (v) => (typeof v === "string" ? v.split(",") : v),
    z
      .array(BookingStatus)
      .min(1)
      .max(6)
      .refine((s) => new Set(s).size === s.length, { message: "Statuses must not repeat" }),
  )
  .optional()
  .openapi({
    type: "array",
    items: { type: "string", enum: BookingStatus.options },
    description: "Comma-separated or repeated",
    param: { style: "form", explode: false },
  });

export const BookingListQuery = z.object({
  from: ListBound("An instant, or a date in the business's time zone"),
  to: ListBound("An instant (exclusive), or a date in the business's time zone (inclusive)"),
  q: z
    .string()
    .trim()
    .max(100)
    .refine((v) => !v.includes("\u0000"), { message: "NUL characters are not allowed" })
    .optional()
    .openapi({ description: "Part of the customer's name, e-mail or phone" }),
  staffId: z.string().max(64).optional(),
  serviceId: z.string().max(64).optional(),
  customerId: z.string().max(64).optional().openapi({ description: "One customer's bookings" }),
  status: StatusFilter,
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: Cursor.optional(),
});
export type BookingListQuery = z.infer<typeof BookingListQuery>;

export const BookingList = z
  .object({ data: z.array(AdminBooking), nextCursor: z.string().nullable() })
  .openapi("BookingList");
