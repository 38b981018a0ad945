// The ledger as the owner reads it (Admin API): journal entries with their lines, and the trial balance at an instant.
import { z } from "@hono/zod-openapi";
import { Cursor, Instant } from "./common.ts";

/** `stripe_balance`, `desk:cash`, `tips_payable:stf_…` (the chart of accounts of domain/ledger.ts). */
const ACCOUNT_CODE = /^[a-z][a-z_]*(:[A-Za-z0-9_]+)?$/;
export const AccountCode = z
  .string()
  .max(100)
  .regex(ACCOUNT_CODE, "Expected an account code such as stripe_balance or tips_payable:stf_…")
  .openapi({ example: "customer_deposits" });

export const LedgerAccountType = z.enum(["asset", "liability", "income", "expense"]).openapi("LedgerAccountType");

export const LedgerLine = z
  .object({
    account: z.string(),
    amount: z
      .number()
      .int()
      .openapi({ description: "Signed minor units of `currency`: debit positive, credit negative; never zero" }),
    currency: z.string().openapi({ example: "EUR" }),
    bookingId: z.string().nullable(),
    staffId: z.string().nullable(),
    serviceId: z.string().nullable(),
  })
  .openapi("LedgerLine");
export type LedgerLine = z.infer<typeof LedgerLine>;

export const LedgerEntry = z
  .object({
    id: z.string().openapi({ example: "jre_…" }),
    occurredAt: z.string().openapi({ description: "When the fact happened in the world (Stripe's `created`)" }),
    kind: z.string().openapi({ example: "deposit.paid" }),
    source: z
      .object({ type: z.string(), id: z.string() })
      .openapi({ description: "The fact it records, unique per business: it can never post twice" }),
    reversesEntryId: z.string().nullable().openapi({ description: "The entry this one reverses, if any" }),
    lines: z.array(LedgerLine).openapi({ description: "Sum to zero per currency" }),
  })
  .openapi("LedgerEntry");
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const LedgerEntryList = z
  .object({ data: z.array(LedgerEntry), nextCursor: z.string().nullable() })
  .openapi("LedgerEntryList");
export type LedgerEntryList = z.infer<typeof LedgerEntryList>;

export const LedgerListQuery = z
  .object({
    bookingId: z
      .string()
      .max(64)
      .regex(/^bkg_[0-9a-z]{20}$/, "Expected a booking id (bkg_…)")
      .optional()
      .openapi({ description: "Entries with a line concerning this booking" }),
    account: AccountCode.optional().openapi({ description: "Entries with a line on this account" }),
    from: Instant.optional().openapi({ description: "Entries that occurred at or after this instant" }),
    to: Instant.optional().openapi({ description: "Entries that occurred before this instant (exclusive)" }),
    limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ example: 50 }),
    cursor: Cursor.optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: "from must be before to",
    path: ["to"],
  });
export type LedgerListQuery = z.infer<typeof LedgerListQuery>;

export const LedgerBalancesQuery = z.object({
  at: Instant.optional().openapi({ description: "Entries that occurred at or before this instant (default: now)" }),
});
export type LedgerBalancesQuery = z.infer<typeof LedgerBalancesQuery>;

export const LedgerBalances = z
  .object({
    at: z.string(),
    accounts: z.array(
      z.object({
        account: z.string(),
        type: LedgerAccountType,
        currency: z.string(),
        balance: z.number().int().openapi({ description: "Sum of the account's lines: debit positive" }),
      }),
    ),
    totals: z
      .array(z.object({ currency: z.string(), balance: z.number().int() }))
      .openapi({ description: "Per currency, the sum of every account: always zero" }),
  })
  .openapi("LedgerBalances");
export type LedgerBalances = z.infer<typeof LedgerBalances>;

export const LedgerAlert = z
  .object({
    id: z.string().openapi({ example: "42" }),
    identity: z.number().int().min(1).max(4).openapi({ description: "The MONEY.md identity that failed (1-4)" }),
    subject: z.string().openapi({
      description: "What failed, stable from one check to the next: `entry:<id>:<currency>`, `booking:<id>`, …",
      example: "booking:bkg_…",
    }),
    currency: z.string().nullable().openapi({ example: "EUR" }),
    detail: z.string().openapi({ description: "What the latest check found" }),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
    count: z.number().int().min(1).openapi({ description: "How many check runs found it" }),
  })
  .openapi("LedgerAlert");
export type LedgerAlert = z.infer<typeof LedgerAlert>;

export const LedgerAlertList = z
  .object({ data: z.array(LedgerAlert), nextCursor: z.string().nullable() })
  .openapi("LedgerAlertList");
export type LedgerAlertList = z.infer<typeof LedgerAlertList>;

export const LedgerAlertsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ example: 50 }),
  cursor: Cursor.optional(),
});
