// Payouts, reconciliation with Stripe and the ledger's own checks (migrations/0023): the payouts Stripe reported,
// each run that held a day's balance transactions against the ledger with the differences it found, and the alerts
// of the scheduled identity checks.
import {
  bigint,
  char,
  date,
  foreignKey,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
} from "drizzle-orm/pg-core";
import { money, ts } from "./columns.ts";
import { tenants } from "./tenants.ts";

export const payouts = pgTable(
  "payouts",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    amount: money("amount").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    status: text("status").$type<"pending" | "in_transit" | "paid" | "failed" | "canceled">().notNull(),
    arrivalDate: ts("arrival_date"),
    createdAt: ts("created_at").notNull(),
    balanceTransactionId: text("balance_transaction_id"),
    failureBalanceTransactionId: text("failure_balance_transaction_id"),
    failureCode: text("failure_code"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const reconciliationRuns = pgTable(
  "reconciliation_runs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    trigger: text("trigger").$type<"manual" | "scheduled">().notNull(),
    startedAt: ts("started_at").notNull(),
    finishedAt: ts("finished_at").notNull(),
    transactions: integer("transactions").notNull(),
    differences: integer("differences").notNull(),
  },
  (t) => [unique().on(t.tenantId, t.id)],
);

export const reconciliationDifferences = pgTable(
  "reconciliation_differences",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text("tenant_id").notNull(),
    runId: text("run_id").notNull(),
    kind: text("kind")
      .$type<"missing_in_ledger" | "missing_at_stripe" | "amount_differs" | "fee_differs" | "balance_differs">()
      .notNull(),
    balanceTransactionId: text("balance_transaction_id"),
    entryId: text("entry_id"),
    currency: char("currency", { length: 3 }).notNull(),
    ledgerAmount: money("ledger_amount"),
    stripeAmount: money("stripe_amount"),
    detail: text("detail").notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.tenantId, t.runId],
      foreignColumns: [reconciliationRuns.tenantId, reconciliationRuns.id],
    }).onDelete("cascade"),
  ],
);

export const ledgerAlerts = pgTable("ledger_alerts", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: text("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" }),
  identity: smallint("identity").notNull(),
  currency: char("currency", { length: 3 }),
  /** What failed (`entry:…`, `booking:…`, `ledger:EUR`…): one alert per tenant + identity + subject (0028). */
  subject: text("subject").notNull(),
  detail: text("detail").notNull(),
  firstSeenAt: ts("first_seen_at").notNull(),
  lastSeenAt: ts("last_seen_at").notNull(),
  /** How many check runs found it. */
  count: integer("count").notNull().default(1),
});
