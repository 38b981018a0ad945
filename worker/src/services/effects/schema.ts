// drizzle definitions of the side-effect tables (migrations/0005_effects.sql is the source of truth).
import { bigint, boolean, char, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const tenantChannels = pgTable("tenant_channels", {
  tenantId: text("tenant_id").primaryKey(),
  whatsapp: boolean("whatsapp").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const staffCalendarConnections = pgTable("staff_calendar_connections", {
  tenantId: text("tenant_id").notNull(),
  staffId: text("staff_id").primaryKey(),
  provider: text("provider").notNull(),
  calendarId: text("calendar_id").notNull(),
  refreshToken: text("refresh_token").notNull(),
});

export const staffCalendarFeeds = pgTable("staff_calendar_feeds", {
  tenantId: text("tenant_id").notNull(),
  staffId: text("staff_id").primaryKey(),
  tokenHash: text("token_hash").notNull(),
  issuedAt: ts("issued_at").notNull(),
});

export const invoices = pgTable("invoices", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
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
});
