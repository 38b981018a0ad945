// Commission rules, staff statements and staff payments (docs/API.md "Commissions and staff statements"). Amounts are
// integer minor units of the tenant's currency; dates are local dates in the tenant's time zone.
import { z } from "@hono/zod-openapi";
import { STATEMENT_PERIODS } from "../domain/commissions.ts";
import { LocalDate } from "./common.ts";
import { LedgerLine } from "./ledger.ts";

/** The most rules one staff member has (a default and per-service overrides, with their history). */
export const MAX_COMMISSION_RULES = 200;
/** The most entries a statement lists; its figures always cover the whole period. */
export const STATEMENT_MAX_ENTRIES = 1000;
/** The largest staff payment: a million in major units of a two-decimal currency. */
export const MAX_STAFF_PAYMENT = 100_000_000;

const ServiceRef = z
  .string()
  .max(64)
  .nullable()
  .openapi({ description: "The service this rule overrides; null (or omitted) for the staff member's default" });

export const CommissionRuleInput = z
  .discriminatedUnion("kind", [
    z
      .object({
        kind: z.literal("percent"),
        rateBps: z.number().int().openapi({
          description: "Basis points of the revenue recognised, tips excluded (0–10000; above is 422)",
          example: 3000,
        }),
        serviceId: ServiceRef.optional(),
        effectiveFrom: LocalDate.openapi({ description: "First local date (appointment start) the rule applies to" }),
      })
      .strict(),
    z
      .object({
        kind: z.literal("fixed"),
        amount: z.number().int().max(MAX_STAFF_PAYMENT).openapi({
          description: "Minor units per appointment delivered (negative is 422)",
          example: 1500,
        }),
        serviceId: ServiceRef.optional(),
        effectiveFrom: LocalDate.openapi({ description: "First local date (appointment start) the rule applies to" }),
      })
      .strict(),
  ])
  .openapi("CommissionRuleInput");
export type CommissionRuleInput = z.infer<typeof CommissionRuleInput>;

export const CommissionRulesPut = z
  .object({ rules: z.array(CommissionRuleInput).max(MAX_COMMISSION_RULES) })
  .strict()
  .openapi("CommissionRulesPut");
export type CommissionRulesPut = z.infer<typeof CommissionRulesPut>;

export const CommissionRule = z
  .object({
    id: z.string().openapi({ example: "cmr_…" }),
    kind: z.enum(["percent", "fixed"]),
    rateBps: z.number().int().nullable().openapi({ description: "Percent rules: basis points; else null" }),
    amount: z.number().int().nullable().openapi({ description: "Fixed rules: minor units per appointment; else null" }),
    serviceId: z.string().nullable(),
    effectiveFrom: z.string().openapi({ example: "2027-03-01" }),
    createdAt: z.string(),
  })
  .openapi("CommissionRule");
export type CommissionRule = z.infer<typeof CommissionRule>;

export const CommissionRuleList = z
  .object({
    staffId: z.string(),
    currency: z.string(),
    defaultRateBps: z.number().int().openapi({
      description: "The staff member's `commissionBps`: the percent applied when no rule is in force yet",
    }),
    rules: z.array(CommissionRule).openapi({ description: "By effectiveFrom, then service (default first)" }),
  })
  .openapi("CommissionRuleList");
export type CommissionRuleList = z.infer<typeof CommissionRuleList>;

export const StatementQuery = z
  .object({
    from: LocalDate.optional().openapi({ description: "First local date (inclusive); with `to`" }),
    to: LocalDate.optional().openapi({ description: "Last local date (inclusive); with `from`" }),
    period: z
      .enum(STATEMENT_PERIODS)
      .optional()
      .openapi({ description: "Instead of from/to: the ISO week, fortnight or month holding `date`" }),
    date: LocalDate.optional().openapi({ description: "With `period`: a date inside it" }),
  })
  .strict();
export type StatementQuery = z.infer<typeof StatementQuery>;

export const StatementEntry = z
  .object({
    id: z.string(),
    occurredAt: z.string(),
    kind: z.string(),
    source: z.object({ type: z.string(), id: z.string() }),
    lines: z.array(LedgerLine).openapi({ description: "The entry's lines this statement's figures sum" }),
  })
  .openapi("StatementEntry");

export const StaffStatement = z
  .object({
    staffId: z.string(),
    currency: z.string(),
    timezone: z.string(),
    period: z.object({ from: z.string(), to: z.string() }).openapi({ description: "Local dates, both inclusive" }),
    appointments: z.number().int().openapi({ description: "Completions (booking.completed entries) in the period" }),
    revenue: z.number().int().openapi({ description: "−Σ service_revenue and discounts lines of this staff member" }),
    cancellationFees: z.number().int().openapi({ description: "−Σ cancellation_fees lines of this staff member" }),
    refunds: z.number().int().openapi({ description: "Σ refunds_given lines of this staff member" }),
    commission: z.number().int().openapi({ description: "−Σ credit lines on commissions_payable:<staff>" }),
    tips: z.number().int().openapi({ description: "−Σ credit lines on tips_payable:<staff>" }),
    commissionReversed: z
      .number()
      .int()
      .openapi({ description: "Σ debit lines on commissions_payable:<staff> from refunds after completion" }),
    paid: z.number().int().openapi({ description: "Σ debit lines of staff payments (commission_payment entries)" }),
    openingBalance: z.number().int().openapi({ description: "Owed before the period: −Σ both payable accounts" }),
    balanceOwed: z.number().int().openapi({
      description:
        "Owed at the period's end: −Σ commissions_payable:<staff> and tips_payable:<staff> = openingBalance + commission + tips − commissionReversed − paid",
    }),
    entries: z.array(StatementEntry).openapi({ description: `At most ${STATEMENT_MAX_ENTRIES}, oldest first` }),
    entriesTruncated: z.boolean(),
  })
  .openapi("StaffStatement");
export type StaffStatement = z.infer<typeof StaffStatement>;

export const StaffPaymentInput = z
  .object({
    amount: z.number().int().min(1).max(MAX_STAFF_PAYMENT).openapi({ description: "Minor units", example: 4500 }),
    method: z.enum(["bank", "cash"]).openapi({ description: "bank: from the bank account; cash: from desk:cash" }),
    period: z
      .object({ from: LocalDate, to: LocalDate })
      .strict()
      .refine((p) => p.from <= p.to, { message: "from must not be after to", path: ["to"] })
      .openapi({ description: "The statement this payment settles (local dates, inclusive)" }),
  })
  .strict()
  .openapi("StaffPaymentInput");
export type StaffPaymentInput = z.infer<typeof StaffPaymentInput>;

export const StaffPayment = z
  .object({
    id: z.string().openapi({ example: "spy_…" }),
    staffId: z.string(),
    amount: z.number().int(),
    commission: z.number().int().openapi({ description: "The part that settles commission" }),
    tips: z.number().int().openapi({ description: "The part that settles tips (paid first)" }),
    currency: z.string(),
    method: z.enum(["bank", "cash"]),
    period: z.object({ from: z.string(), to: z.string() }),
    entryId: z.string().openapi({ description: "The journal entry (source commission_payment:<id>)" }),
    balanceOwed: z.number().int().openapi({ description: "Owed after this payment" }),
    createdAt: z.string(),
  })
  .openapi("StaffPayment");
export type StaffPayment = z.infer<typeof StaffPayment>;
