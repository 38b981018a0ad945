// Deposits and prepayments (migrations/0006; 0010 the booking's tenant in the foreign key): Stripe events applied
// once per tenant, and what was paid for which booking; 0021: events about a charge not known yet, parked until it is.
import { char, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
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
    status: text("status").$type<"succeeded" | "refund_required" | "mismatch">().notNull(),
    /** The fees its balance transaction states (migrations/0027): Stripe's and the platform's application fee. */
    stripeFee: integer("stripe_fee"),
    platformFee: integer("platform_fee"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    unique().on(t.tenantId, t.providerRef),
    foreignKey({ columns: [t.tenantId, t.bookingId], foreignColumns: [bookings.tenantId, bookings.id] }),
  ],
);

/** A verified Stripe event about a PaymentIntent Bookra does not know yet, with its balance transaction (0021). */
export const paymentEventsParked = pgTable(
  "payment_events_parked",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    paymentIntent: text("payment_intent").notNull(),
    event: jsonb("event").$type<unknown>().notNull(),
    balance: jsonb("balance").$type<unknown>(),
    parkedAt: ts("parked_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.eventId] }),
    index("payment_events_parked_intent_idx").on(t.tenantId, t.paymentIntent),
  ],
);
