// Paying at the venue (migrations/0020): what a completion settled, once per booking, and the money taken at the
// desk by method. Append-only for the app (SELECT, INSERT); the ledger entries of the completion carry the money.
import { char, foreignKey, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import type { DeskMethod } from "../../domain/ledger.ts";
import { bookings } from "./bookings.ts";
import { staff } from "./catalog.ts";
import { money, ts } from "./columns.ts";
import { tenants } from "./tenants.ts";

export const bookingCompletions = pgTable(
  "booking_completions",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    bookingId: text("booking_id").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    price: money("price").notNull(),
    deposits: money("deposits").notNull(),
    discount: money("discount").notNull().default(0),
    tip: money("tip").notNull().default(0),
    tipStaffId: text("tip_staff_id"),
    /** Left unpaid by the owner's choice; never recognised as revenue. */
    balanceDue: money("balance_due").notNull().default(0),
    revenue: money("revenue").notNull(),
    commission: money("commission").notNull().default(0),
    /** SHA-256 of the canonical request: the same completion replays, another is refused. */
    requestHash: text("request_hash").notNull(),
    completedAt: ts("completed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.bookingId] }),
    foreignKey({ columns: [t.tenantId, t.bookingId], foreignColumns: [bookings.tenantId, bookings.id] }),
    foreignKey({ columns: [t.tenantId, t.tipStaffId], foreignColumns: [staff.tenantId, staff.id] }),
  ],
);

export const deskPayments = pgTable(
  "desk_payments",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    bookingId: text("booking_id").notNull(),
    method: text("method").$type<DeskMethod>().notNull(),
    amount: money("amount").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      columns: [t.tenantId, t.bookingId],
      foreignColumns: [bookingCompletions.tenantId, bookingCompletions.bookingId],
    }),
  ],
);
