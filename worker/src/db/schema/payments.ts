// Deposits and prepayments (migrations/0006; 0010 the booking's tenant in the foreign key): Stripe events applied
// once per tenant, and what was paid for which booking.
import { char, foreignKey, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
import { bookings } from "./bookings.ts";
import { money, ts } from "./columns.ts";
import { tenants } from "./tenants.ts";

export const paymentEvents = pgTable(
  "payment_events",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    receivedAt: ts("received_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.eventId] })],
);

export const payments = pgTable(
  "payments",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    bookingId: text("booking_id").notNull(),
    amount: money("amount").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    providerRef: text("provider_ref").notNull(),
    status: text("status").$type<"succeeded" | "refund_required">().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    unique().on(t.tenantId, t.providerRef),
    foreignKey({ columns: [t.tenantId, t.bookingId], foreignColumns: [bookings.tenantId, bookings.id] }),
  ],
);
