// Refunds (issue 13 item 5): the owner's refund request, a refund as the API shows it, and what a cancellation
// would refund before the customer confirms it.
import { z } from "@hono/zod-openapi";
import { Currency, Money } from "./common.ts";

export const RefundInput = z
  .object({
    amount: z
      .number()
      .int("Whole minor units")
      .min(1, "At least 1 minor unit")
      .max(100_000_000_00)
      .optional()
      .openapi({
        description:
          "Minor units of the payment's currency (the tenant's, unless a mismatched payment brought another); " +
          "absent: everything still refundable",
      }),
    currency: Currency.optional().openapi({
      description:
        "If given, must be the currency of the booking's payment (the tenant's, but for a mismatched one); 400 otherwise",
    }),
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .refine((v) => !v.includes("\u0000"), { message: "NUL characters are not allowed" }),
  })
  .strict()
  .openapi("RefundInput");
export type RefundInput = z.infer<typeof RefundInput>;

export const Refund = z
  .object({
    id: z.string().openapi({ example: "rfd_…" }),
    bookingId: z.string(),
    amount: Money,
    reason: z.string(),
    origin: z.enum(["manual", "cancellation", "no_show", "stripe", "slot_taken", "booking_cancelled"]).openapi({
      description:
        "who decided: the owner (`manual`), the policy on a cancellation or no-show, Stripe's dashboard (`stripe`: " +
        "a refund made there, recorded from its webhook), or Bookra itself, refunding in full a payment that could " +
        "not confirm its booking (`slot_taken`: it arrived after its hold lapsed, for a time someone else had " +
        "booked; `booking_cancelled`: it arrived for a booking already cancelled)",
    }),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempt: z.number().int().openapi({ description: "1, then one more per retry of a failed refund" }),
    stripeRefundId: z.string().nullable(),
    failureReason: z.string().nullable(),
    createdAt: z.string(),
    settledAt: z.string().nullable(),
  })
  .openapi("Refund");
export type Refund = z.infer<typeof Refund>;

export const RefundList = z
  .object({
    refunds: z.array(Refund),
    paid: Money.openapi({ description: "What the booking paid through Stripe (deposits and prepayments)" }),
    refundable: Money.openapi({
      description: "What the owner can still refund: paid minus every refund (pending and failed ones count)",
    }),
    cancellation: z
      .object({
        rule: z.enum(["owner", "free_window", "late_cancellation", "no_show"]),
        refund: Money.openapi({ description: "What the customer cancelling now would be refunded" }),
        fee: Money.openapi({ description: "What the customer cancelling now would leave kept" }),
        freeUntil: z.string(),
      })
      .openapi({ description: "The policy's answer for a customer's cancellation now (the owner's refunds in full)" }),
  })
  .openapi("RefundList");
export type RefundList = z.infer<typeof RefundList>;

export const CancellationQuote = z
  .object({
    bookingId: z.string(),
    rule: z.enum(["owner", "free_window", "late_cancellation", "no_show"]).openapi({
      description: "Which rule of the policy decides: inside the free window, or a late cancellation",
    }),
    paid: Money,
    refund: Money.openapi({ description: "What cancelling now would refund" }),
    fee: Money.openapi({ description: "What cancelling now would keep" }),
    freeUntil: z.string().openapi({ description: "Until this instant a cancellation refunds everything" }),
    cancellable: z.boolean().openapi({ description: "Whether the booking can still be cancelled" }),
  })
  .openapi("CancellationQuote");
export type CancellationQuote = z.infer<typeof CancellationQuote>;
