// The double-entry ledger (migrations/0017; docs/ARCHITECTURE.md "The ledger"): accounts created on first use,
// entries unique per tenant and source, signed lines. The database refuses unbalanced entries at COMMIT and any UPDATE or DELETE.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  char,
  date,
  foreignKey,
  pgTable,
  primaryKey,
  text,
  unique,
} from "drizzle-orm/pg-core";
import { bookings } from "./bookings.ts";
import { services, staff } from "./catalog.ts";
import { money, ts } from "./columns.ts";
import { tenants } from "./tenants.ts";

export type LedgerAccountType = "asset" | "liability" | "income" | "expense";

export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    code: text("code").notNull(),
    type: text("type").$type<LedgerAccountType>().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.code] })],
);

export const journalEntries = pgTable(
  "journal_entries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    occurredAt: ts("occurred_at").notNull(),
    kind: text("kind").notNull(),
    sourceType: text("source_type").notNull(),
    sourceId: text("source_id").notNull(),
    reversesEntryId: text("reverses_entry_id"),
    /** Set by the database to the creating transaction's start (the only transaction that may add its lines). */
    createdAt: ts("created_at").notNull().default(sql`now()`),
  },
  (t) => [
    unique().on(t.tenantId, t.id),
    unique().on(t.tenantId, t.sourceType, t.sourceId),
    unique().on(t.tenantId, t.reversesEntryId),
    foreignKey({
      columns: [t.tenantId, t.reversesEntryId],
      foreignColumns: [t.tenantId, t.id] as [AnyPgColumn, AnyPgColumn],
    }),
  ],
);

export const journalLines = pgTable(
  "journal_lines",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    entryId: text("entry_id").notNull(),
    account: text("account").notNull(),
    /** Minor units, debit positive, credit negative, never zero. */
    amount: money("amount").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    bookingId: text("booking_id"),
    staffId: text("staff_id"),
    serviceId: text("service_id"),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.entryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
    foreignKey({ columns: [t.tenantId, t.account], foreignColumns: [ledgerAccounts.tenantId, ledgerAccounts.code] }),
    foreignKey({ columns: [t.tenantId, t.bookingId], foreignColumns: [bookings.tenantId, bookings.id] }),
    foreignKey({ columns: [t.tenantId, t.staffId], foreignColumns: [staff.tenantId, staff.id] }),
    foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [services.tenantId, services.id] }),
  ],
);

/**
 * The daily rollup of journal lines (migrations/0025): per tenant, local day (the tenant's zone at posting time),
 * account, currency, staff member and service ('' for none). Written only by the database, in the posting's statement.
 */
export const ledgerDaily = pgTable(
  "ledger_daily",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    day: date("day", { mode: "string" }).notNull(),
    account: text("account").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    staffId: text("staff_id").notNull().default(""),
    serviceId: text("service_id").notNull().default(""),
    debits: money("debits").notNull().default(0),
    credits: money("credits").notNull().default(0),
    lines: money("lines").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.account, t.currency, t.staffId, t.serviceId] })],
);
