// Refunds (migrations/0019): decided by the owner or by the cancellation policy, asked of Stripe by the
// `payments.refund` effect, settled pending → succeeded | failed; a failed one is retried as its next attempt.
import { char, foreignKey, index, integer, pgTable, text, unique } from "drizzle-orm/pg-core";
import { bookings } from "./bookings.ts";
import { money, ts } from "./columns.ts";
import { payments } from "./payments.ts";
import { tenants } from "./tenants.ts";

export type RefundStatus = "pending" | "succeeded" | "failed";
/** 0021: `stripe` (made in Stripe's dashboard, recorded from its webhook), `slot_taken` (a late payment refunded). */
export type RefundOrigin = "manual" | "cancellation" | "no_show" | "stripe" | "slot_taken" | "booking_cancelled";

export const refunds = pgTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    bookingId: text("booking_id").notNull(),
    paymentId: text("payment_id").references(() => payments.id),
    amount: money("amount").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    reason: text("reason").notNull(),
    origin: text("origin").$type<RefundOrigin>().notNull(),
    status: text("status").$type<RefundStatus>().notNull().default("pending"),
    attempt: integer("attempt").notNull().default(1),
    stripePaymentIntent: text("stripe_payment_intent"),
    stripeRefundId: text("stripe_refund_id"),
    failureReason: text("failure_reason"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    settledAt: ts("settled_at"),
  },
  (t) => [
    unique().on(t.tenantId, t.stripeRefundId),
    foreignKey({ columns: [t.tenantId, t.bookingId], foreignColumns: [bookings.tenantId, bookings.id] }),
    index("refunds_booking_idx").on(t.tenantId, t.bookingId, t.createdAt),
  ],
);
