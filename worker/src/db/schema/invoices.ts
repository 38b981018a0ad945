// Gapless invoices (migrations/0005; 0010 the link's token hash and the booking's tenant in the foreign key).
import { bigint, char, foreignKey, pgTable, text, unique } from "drizzle-orm/pg-core";
import { bookings } from "./bookings.ts";
import { ts } from "./columns.ts";
import { tenants } from "./tenants.ts";

/** One counter row per tenant, advanced in the transaction that inserts the invoice. */
export const invoiceCounters = pgTable("invoice_counters", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  next: bigint("next", { mode: "number" }).notNull().default(1),
});

export const invoices = pgTable(
  "invoices",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    bookingId: text("booking_id").notNull(),
    number: bigint("number", { mode: "number" }).notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    customerName: text("customer_name").notNull(),
    customerEmail: text("customer_email").notNull(),
    description: text("description").notNull(),
    serviceDate: ts("service_date").notNull(),
    issuedAt: ts("issued_at").notNull(),
    /** SHA-256 of the invoice link's token (null for invoices issued before migration 0010). */
    tokenHash: text("token_hash"),
  },
  (t) => [
    unique().on(t.tenantId, t.number),
    unique().on(t.tenantId, t.bookingId),
    foreignKey({ columns: [t.tenantId, t.bookingId], foreignColumns: [bookings.tenantId, bookings.id] }),
  ],
);
