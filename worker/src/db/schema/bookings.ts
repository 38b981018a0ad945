// Customers and their bookings (migrations/0001; 0010 the (tenant_id, id) key its children reference; 0011 the abuse
// limits' columns; 0016 customer notes and outcome instants). The exclusion constraint bookings_no_overlap, not a model, decides whether two bookings coexist.
import { boolean, char, foreignKey, integer, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import type { BookingStatus } from "../../domain/booking-context.ts";
import { services, staff } from "./catalog.ts";
import { money, ts } from "./columns.ts";
import { tenants } from "./tenants.ts";

export const customers = pgTable(
  "customers",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    email: text("email").notNull(),
    phone: text("phone"),
    createdAt: ts("created_at").notNull().defaultNow(),
    /** The owner's private notes (migrations/0016): admin API only. */
    notes: text("notes"),
  },
  (t) => [unique().on(t.tenantId, t.id)],
);

// The statuses are a domain type (side effects' booking snapshot names them too); the column is typed with it.
export type { BookingStatus };

/** 0018 `amount_mismatch`; 0021 a dispute's state: `disputed` while open, then `dispute_won` / `dispute_lost`. */
export type PaymentFlag = "amount_mismatch" | "disputed" | "dispute_won" | "dispute_lost";

export const bookings = pgTable(
  "bookings",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    serviceId: text("service_id").notNull(),
    staffId: text("staff_id").notNull(),
    customerId: text("customer_id").notNull(),
    status: text("status").$type<BookingStatus>().notNull(),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at").notNull(),
    blockedFrom: ts("blocked_from").notNull(),
    blockedUntil: ts("blocked_until").notNull(),
    priceAmount: money("price_amount").notNull(),
    depositAmount: money("deposit_amount").notNull().default(0),
    currency: char("currency", { length: 3 }).notNull(),
    holdExpiresAt: ts("hold_expires_at"),
    manageTokenHash: text("manage_token_hash").notNull(),
    notes: text("notes"),
    source: text("source").$type<"public" | "admin">().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    /** Keyed hash of the client address a public hold came from (migrations/0011); never the address itself. */
    clientAddressHash: text("client_address_hash"),
    whatsappOptIn: boolean("whatsapp_opt_in").notNull().default(false),
    customerReschedules: integer("customer_reschedules").notNull().default(0),
    /** When the booking was marked completed / no-show (migrations/0016); no outbox row records these. */
    completedAt: ts("completed_at"),
    noShowAt: ts("no_show_at"),
    /** The booking's one Checkout Session (migrations/0018): created once, its URL handed out again on refresh. */
    checkoutSessionId: text("checkout_session_id"),
    checkoutUrl: text("checkout_url"),
    /** Set when a paid event's amount or currency differs from the deposit: left unconfirmed for the owner to see. */
    paymentFlag: text("payment_flag").$type<PaymentFlag>(),
  },
  (t) => [
    unique().on(t.tenantId, t.id),
    foreignKey({ columns: [t.tenantId, t.staffId], foreignColumns: [staff.tenantId, staff.id] }),
    foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [services.tenantId, services.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);

/**
 * The tenant's bookings version (migrations/0029): renewed at COMMIT of any transaction that changed its bookings, so
 * a public availability read cached at the edge is served only while no booking has changed since it was read.
 */
export const bookingVersions = pgTable("booking_versions", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  version: uuid("version").notNull().defaultRandom(),
});
