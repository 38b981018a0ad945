// drizzle table definitions mirroring migrations/ (the SQL files are the source of truth for constraints and RLS).
import {
  bigint,
  boolean,
  char,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const money = (name: string) => bigint(name, { mode: "number" });

export interface Branding {
  primaryColor?: string;
  accentColor?: string;
  logoUrl?: string;
  radius?: number;
  font?: string;
}

export interface TenantPolicies {
  holdMinutes?: number;
  cancellation?: { freeUntilHours: number; lateRefundPercent: number };
  platformFeeBps?: number;
  /** Open (unpaid, unexpired) deposit holds one customer e-mail may have (default OPEN_HOLDS_PER_EMAIL). */
  openHoldsPerEmail?: number;
  /** Open deposit holds one client address may have (default OPEN_HOLDS_PER_ADDRESS). */
  openHoldsPerAddress?: number;
  /** Reschedules a customer may make of one booking (default RESCHEDULES_PER_BOOKING). */
  reschedulesPerBooking?: number;
}

export const tenants = pgTable("tenants", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull(),
  currency: char("currency", { length: 3 }).notNull(),
  branding: jsonb("branding").$type<Branding>().notNull(),
  policies: jsonb("policies").$type<TenantPolicies>().notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull(),
  passwordHash: text("password_hash").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export const memberships = pgTable(
  "memberships",
  {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    role: text("role").$type<"owner" | "admin" | "staff">().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] })],
);

export const apiKeys = pgTable("api_keys", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  name: text("name").notNull(),
  prefix: text("prefix").notNull(),
  keyHash: text("key_hash").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  lastUsedAt: ts("last_used_at"),
  revokedAt: ts("revoked_at"),
});

export const staff = pgTable("staff", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  name: text("name").notNull(),
  email: text("email"),
  commissionBps: integer("commission_bps").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

export const services = pgTable("services", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  name: text("name").notNull(),
  description: text("description"),
  durationMinutes: integer("duration_minutes").notNull(),
  priceAmount: money("price_amount").notNull(),
  currency: char("currency", { length: 3 }).notNull(),
  bufferBeforeMinutes: integer("buffer_before_minutes").notNull(),
  bufferAfterMinutes: integer("buffer_after_minutes").notNull(),
  minNoticeMinutes: integer("min_notice_minutes").notNull(),
  maxAdvanceDays: integer("max_advance_days").notNull(),
  slotStepMinutes: integer("slot_step_minutes").notNull(),
  depositPercent: integer("deposit_percent"),
  depositAmount: money("deposit_amount"),
  createdAt: ts("created_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

export const staffServices = pgTable(
  "staff_services",
  {
    tenantId: text("tenant_id").notNull(),
    staffId: text("staff_id").notNull(),
    serviceId: text("service_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.serviceId] })],
);

export const weeklyHours = pgTable("weekly_hours", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: text("tenant_id").notNull(),
  staffId: text("staff_id").notNull(),
  weekday: smallint("weekday").notNull(),
  startMinute: smallint("start_minute").notNull(),
  endMinute: smallint("end_minute").notNull(),
});

export const dateOverrides = pgTable(
  "date_overrides",
  {
    tenantId: text("tenant_id").notNull(),
    staffId: text("staff_id").notNull(),
    localDate: date("local_date", { mode: "string" }).notNull(),
    intervals: jsonb("intervals").$type<{ start: string; end: string }[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.localDate] })],
);

export const timeOff = pgTable("time_off", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  staffId: text("staff_id").notNull(),
  startsAt: ts("starts_at").notNull(),
  endsAt: ts("ends_at").notNull(),
  reason: text("reason"),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export const customers = pgTable("customers", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  name: text("name").notNull(),
  email: text("email").notNull(),
  phone: text("phone"),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export type BookingStatus = "pending_payment" | "confirmed" | "cancelled" | "completed" | "no_show" | "expired";

export const bookings = pgTable("bookings", {
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
  depositAmount: money("deposit_amount").notNull(),
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
});

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    tenantId: text("tenant_id").notNull(),
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    responseStatus: integer("response_status").notNull(),
    responseBody: jsonb("response_body").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.scope, t.key] })],
);

export const outbox = pgTable("outbox", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  eventType: text("event_type").notNull(),
  aggregateId: text("aggregate_id").notNull(),
  payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
  status: text("status").$type<"pending" | "done" | "failed" | "dead">().notNull().default("pending"),
  attempts: integer("attempts").notNull().default(0),
  lastError: text("last_error"),
  createdAt: ts("created_at").notNull().defaultNow(),
  enqueuedAt: ts("enqueued_at"),
  processedAt: ts("processed_at"),
});
