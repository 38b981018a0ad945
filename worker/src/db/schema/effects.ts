// What the side effects of bookings read and write (migrations/0005): per-tenant channels, staff calendar
// connections and private ICS feeds, the reminders written, and what the local provider adapters recorded.
import { bigint, boolean, foreignKey, jsonb, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
import { bookings } from "./bookings.ts";
import { staff } from "./catalog.ts";
import { ts } from "./columns.ts";
import { tenants } from "./tenants.ts";

/** Channels a tenant has switched on beyond e-mail. */
export const tenantChannels = pgTable("tenant_channels", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  whatsapp: boolean("whatsapp").notNull().default(false),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** A staff member's external calendar (Google); without a row nothing is written. */
export const staffCalendarConnections = pgTable(
  "staff_calendar_connections",
  {
    tenantId: text("tenant_id").notNull(),
    staffId: text("staff_id").primaryKey(),
    provider: text("provider").notNull().default("google"),
    calendarId: text("calendar_id").notNull().default("primary"),
    /** Encrypted by the worker (`enc:v1:…`, migrations/0013); legacy rows plaintext until first use. */
    refreshToken: text("refresh_token").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.staffId], foreignColumns: [staff.tenantId, staff.id] }).onDelete("cascade"),
  ],
);

/** Private per-staff ICS feed: only the token's SHA-256 is kept. */
export const staffCalendarFeeds = pgTable(
  "staff_calendar_feeds",
  {
    tenantId: text("tenant_id").notNull(),
    staffId: text("staff_id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    issuedAt: ts("issued_at").notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.staffId], foreignColumns: [staff.tenantId, staff.id] }).onDelete("cascade"),
  ],
);

/** One reminder per booking and start: a booking moved to another time is reminded of the new one. */
export const bookingReminders = pgTable(
  "booking_reminders",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    bookingId: text("booking_id").notNull(),
    startsAt: ts("starts_at").notNull(),
    writtenAt: ts("written_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.bookingId, t.startsAt] }),
    foreignKey({ columns: [t.tenantId, t.bookingId], foreignColumns: [bookings.tenantId, bookings.id] }),
  ],
);

/** What a local adapter would have sent (the dev mailbox); unique per idempotency key, like the real providers. */
export const devOutboxMessages = pgTable(
  "dev_outbox_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"email" | "whatsapp" | "calendar">().notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject"),
    body: text("body").notNull(),
    attachments: jsonb("attachments").$type<unknown[]>().notNull().default([]),
    calendarOp: text("calendar_op").$type<"upsert" | "delete">(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [unique().on(t.tenantId, t.kind, t.idempotencyKey)],
);
