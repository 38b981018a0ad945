// Payouts and reconciliation with Stripe as the owner reads them (Admin API, issue 14 items 3 and 5).
import { z } from "@hono/zod-openapi";
import { Cursor, LocalDate } from "./common.ts";

export const DifferenceKind = z
  .enum(["missing_in_ledger", "missing_at_stripe", "amount_differs", "fee_differs", "balance_differs"])
  .openapi("ReconciliationDifferenceKind");

export const ReconciliationDifference = z
  .object({
    kind: DifferenceKind,
    balanceTransactionId: z.string().nullable().openapi({ description: "Stripe's balance transaction (`txn_…`)" }),
    entryId: z.string().nullable().openapi({ description: "The ledger entry (or entries, comma-separated) concerned" }),
    currency: z.string().openapi({ example: "EUR" }),
    ledgerAmount: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "What the ledger says, minor units (a fee for fee_differs); null: nothing" }),
    stripeAmount: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "What Stripe says, minor units (a fee for fee_differs); null: nothing" }),
    detail: z.string(),
  })
  .openapi("ReconciliationDifference");

export const ReconciliationRun = z
  .object({
    id: z.string().openapi({ example: "rcn_…" }),
    day: z
      .string()
      .openapi({ description: "The UTC day whose balance transactions were checked", example: "2027-03-01" }),
    trigger: z.enum(["manual", "scheduled"]),
    startedAt: z.string(),
    finishedAt: z.string(),
    transactions: z.number().int().openapi({ description: "Stripe balance transactions checked" }),
    differences: z.number().int().openapi({ description: "Differences found (0: the day reconciles)" }),
    clean: z.boolean().openapi({ description: "True when the run found no difference" }),
  })
  .openapi("ReconciliationRun");
export type ReconciliationRun = z.infer<typeof ReconciliationRun>;

export const ReconciliationRunDetail = ReconciliationRun.extend({
  differenceList: z.array(ReconciliationDifference),
}).openapi("ReconciliationRunDetail");
export type ReconciliationRunDetail = z.infer<typeof ReconciliationRunDetail>;

export const ReconciliationRunList = z
  .object({ data: z.array(ReconciliationRun), nextCursor: z.string().nullable() })
  .openapi("ReconciliationRunList");
export type ReconciliationRunList = z.infer<typeof ReconciliationRunList>;

export const ReconciliationRunRequest = z
  .object({
    day: LocalDate.optional().openapi({ description: "The UTC day to reconcile (default: today); not in the future" }),
  })
  .strict()
  .openapi("ReconciliationRunRequest");

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ example: 50 }),
  cursor: Cursor.optional(),
});

export const Payout = z
  .object({
    id: z.string().openapi({ example: "po_…" }),
    amount: z.number().int().openapi({ description: "Minor units, as Stripe reported the payout" }),
    currency: z.string().openapi({ example: "EUR" }),
    status: z.enum(["pending", "in_transit", "paid", "failed", "canceled"]),
    createdAt: z.string().openapi({ description: "Stripe's `created`" }),
    arrivalDate: z.string().nullable(),
    failureCode: z.string().nullable(),
  })
  .openapi("Payout");
export type Payout = z.infer<typeof Payout>;

export const PayoutList = z.object({ data: z.array(Payout), nextCursor: z.string().nullable() }).openapi("PayoutList");
export type PayoutList = z.infer<typeof PayoutList>;

export const PayoutTransaction = z
  .object({
    id: z.string().openapi({ example: "txn_…" }),
    type: z.string().openapi({ example: "charge" }),
    source: z.string().nullable().openapi({ example: "ch_…" }),
    amount: z.number().int(),
    fee: z.number().int(),
    net: z.number().int(),
    currency: z.string(),
    entryId: z.string().nullable().openapi({ description: "The ledger entry that records it; null: none" }),
    bookingId: z.string().nullable().openapi({ description: "The appointment it concerns, if any" }),
  })
  .openapi("PayoutTransaction");

export const PayoutBooking = z
  .object({
    id: z.string(),
    startsAt: z.string(),
    status: z.string(),
    customerName: z.string().nullable(),
    net: z
      .number()
      .int()
      .openapi({ description: "What its transactions in this payout added up to (net, minor units)" }),
  })
  .openapi("PayoutBooking");

export const PayoutDetail = Payout.extend({
  transactions: z
    .array(PayoutTransaction)
    .openapi({ description: "Every balance transaction the payout swept, and its own (their nets sum to zero)" }),
  bookings: z.array(PayoutBooking).openapi({ description: "The appointments whose money is in this deposit" }),
}).openapi("PayoutDetail");
export type PayoutDetail = z.infer<typeof PayoutDetail>;
