// Customers as the owner sees them (Admin API): search, a customer's bookings and counts, private notes.
import { z } from "@hono/zod-openapi";
import { AdminBooking } from "./booking.ts";
import { Cursor, nullable } from "./common.ts";
import { PathId, PlainText } from "./staff.ts";

export const CUSTOMER_NOTES_MAX = 5000;
/** How many of a customer's bookings their page carries (the latest by start); the bookings list has the rest. */
export const CUSTOMER_RECENT_BOOKINGS = 50;

export const CustomerSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("CustomerSummary");
export type CustomerSummary = z.infer<typeof CustomerSummary>;

export const CustomerList = z
  .object({ data: z.array(CustomerSummary), nextCursor: z.string().nullable() })
  .openapi("CustomerList");
export type CustomerList = z.infer<typeof CustomerList>;

export const CustomerListQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .refine((v) => !v.includes("\u0000"), { message: "NUL characters are not allowed" })
    .optional()
    .openapi({ description: "Part of the name, e-mail or phone" }),
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ example: 50 }),
  cursor: Cursor.optional(),
});
export type CustomerListQuery = z.infer<typeof CustomerListQuery>;

export const CustomerDetail = CustomerSummary.extend({
  notes: z.string().nullable().openapi({ description: "Private: never public" }),
  counts: z.object({
    total: z.number().int(),
    completed: z.number().int(),
    noShows: z.number().int(),
    cancelled: z.number().int(),
  }),
  bookings: z.array(AdminBooking).openapi({ description: `The latest ${CUSTOMER_RECENT_BOOKINGS} by start` }),
}).openapi("CustomerDetail");
export type CustomerDetail = z.infer<typeof CustomerDetail>;

export const CustomerPatch = z
  .object({ notes: nullable(PlainText(CUSTOMER_NOTES_MAX)) })
  .strict()
  .openapi("CustomerPatch");
export type CustomerPatch = z.infer<typeof CustomerPatch>;

export const CustomerIdParam = z.object({ id: PathId("id", "cus") });
