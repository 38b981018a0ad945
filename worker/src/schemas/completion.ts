// Completing a booking with what was paid at the venue (docs/API.md "Completing a booking"): the request and the
// completion it records. Amounts are integer minor units of the tenant's currency.
import { z } from "@hono/zod-openapi";
import { DESK_METHODS } from "../domain/ledger.ts";
import { Booking } from "./booking.ts";
import { Currency, nullable } from "./common.ts";

/** The largest amount one field takes: a million in major units of a two-decimal currency. */
export const MAX_DESK_AMOUNT = 100_000_000;
/** The most payment lines one completion takes (a split bill, not a ledger import). */
export const MAX_DESK_PAYMENTS = 10;

const Amount = z.number().int().min(0).max(MAX_DESK_AMOUNT).openapi({ description: "Minor units", example: 3000 });

export const DeskMethod = z.enum(DESK_METHODS).openapi("DeskMethod");

export const DeskPayment = z
  .object({ method: DeskMethod, amount: Amount.min(1) })
  .strict()
  .openapi("DeskPayment");

export const CompletionInput = z
  .object({
    currency: Currency.optional().openapi({
      description: "When given, must be the tenant's currency (400 otherwise); amounts are always in it",
    }),
    payments: z.array(DeskPayment).max(MAX_DESK_PAYMENTS).optional().openapi({
      description:
        "Money taken at the desk, by method. Must equal the balance due plus the tip (422 `DESK_OVERPAID` / `BALANCE_DUE`). Omitted: nothing was taken now, and any balance due is recorded as owed",
    }),
    tip: z
      .object({
        amount: Amount,
        staffId: z
          .string()
          .max(64)
          .optional()
          .openapi({ description: "Who the tip is for; default the booking's staff member" }),
      })
      .strict()
      .optional()
      .openapi({ description: "Part of the payments owed to a staff member (`tips_payable:<staff>`)" }),
    discount: Amount.optional().openapi({ description: "Taken off the price at the desk (minor units)" }),
    acceptBalanceDue: z.boolean().optional().openapi({
      description:
        "Complete although the payments leave part of the balance unpaid; that part is recorded as `balanceDue`, not as revenue. Default: true when `payments` is omitted, else false",
    }),
  })
  .strict()
  .openapi("CompletionInput");
export type CompletionInput = z.infer<typeof CompletionInput>;

export const Completion = z
  .object({
    currency: z.string(),
    price: z.number().int(),
    deposits: z.number().int().openapi({ description: "What the booking's `customer_deposits` held at completion" }),
    discount: z.number().int(),
    payments: z.array(z.object({ method: DeskMethod, amount: z.number().int() })),
    tip: nullable(z.object({ amount: z.number().int(), staffId: z.string() })),
    balanceDue: z.number().int().openapi({ description: "Left unpaid by the owner's choice; not revenue" }),
    revenue: z.number().int().openapi({ description: "Recognised as `service_revenue`" }),
    commission: z.number().int(),
    completedAt: z.string(),
  })
  .openapi("Completion");
export type Completion = z.infer<typeof Completion>;

export const CompletedBooking = Booking.extend({
  completion: nullable(Completion).openapi({
    description: "null for a booking completed before desk payments were recorded",
  }),
}).openapi("CompletedBooking");
export type CompletedBooking = z.infer<typeof CompletedBooking>;

/** Before completion: what the desk should collect; after: the completion recorded. */
export const CompletionQuote = z
  .object({
    status: z.enum(["open", "completed"]),
    currency: z.string(),
    price: z.number().int(),
    deposits: z.number().int(),
    due: z.number().int().openapi({ description: "price − deposits (before any discount)" }),
    completion: nullable(Completion),
  })
  .openapi("CompletionQuote");
export type CompletionQuote = z.infer<typeof CompletionQuote>;
