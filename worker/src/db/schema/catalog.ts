// What a tenant offers and when: staff, services, who performs what, weekly hours, date overrides and time off
// (migrations/0001; 0016 the staff profile). Every schedule table renews tenants.schedule_version through its statement triggers (0010).
import {
  bigint,
  char,
  date,
  foreignKey,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
} from "drizzle-orm/pg-core";
import { money, ts } from "./columns.ts";
import { tenants } from "./tenants.ts";

export const staff = pgTable(
  "staff",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    email: text("email"),
    commissionBps: integer("commission_bps").notNull().default(0),
    createdAt: ts("created_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
    /** Public profile (migrations/0016): an https photo URL and a short bio. */
    photoUrl: text("photo_url"),
    bio: text("bio"),
  },
  (t) => [unique().on(t.tenantId, t.id)],
);

export const services = pgTable(
  "services",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    durationMinutes: integer("duration_minutes").notNull(),
    priceAmount: money("price_amount").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    bufferBeforeMinutes: integer("buffer_before_minutes").notNull().default(0),
    bufferAfterMinutes: integer("buffer_after_minutes").notNull().default(0),
    minNoticeMinutes: integer("min_notice_minutes").notNull().default(0),
    maxAdvanceDays: integer("max_advance_days").notNull().default(90),
    slotStepMinutes: integer("slot_step_minutes").notNull().default(15),
    depositPercent: integer("deposit_percent"),
    depositAmount: money("deposit_amount"),
    createdAt: ts("created_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [unique().on(t.tenantId, t.id)],
);

export const staffServices = pgTable(
  "staff_services",
  {
    tenantId: text("tenant_id").notNull(),
    staffId: text("staff_id").notNull(),
    serviceId: text("service_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.staffId, t.serviceId] }),
    foreignKey({ columns: [t.tenantId, t.staffId], foreignColumns: [staff.tenantId, staff.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [services.tenantId, services.id] }).onDelete(
      "cascade",
    ),
  ],
);

export const weeklyHours = pgTable(
  "weekly_hours",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text("tenant_id").notNull(),
    staffId: text("staff_id").notNull(),
    weekday: smallint("weekday").notNull(),
    startMinute: smallint("start_minute").notNull(),
    endMinute: smallint("end_minute").notNull(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.staffId], foreignColumns: [staff.tenantId, staff.id] }).onDelete("cascade"),
  ],
);

/** A date override replaces that local date's weekly hours; an empty array is a day off. */
export const dateOverrides = pgTable(
  "date_overrides",
  {
    tenantId: text("tenant_id").notNull(),
    staffId: text("staff_id").notNull(),
    localDate: date("local_date", { mode: "string" }).notNull(),
    intervals: jsonb("intervals").$type<{ start: string; end: string }[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.staffId, t.localDate] }),
    foreignKey({ columns: [t.tenantId, t.staffId], foreignColumns: [staff.tenantId, staff.id] }).onDelete("cascade"),
  ],
);

export const timeOff = pgTable(
  "time_off",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    staffId: text("staff_id").notNull(),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at").notNull(),
    reason: text("reason"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.staffId], foreignColumns: [staff.tenantId, staff.id] }).onDelete("cascade"),
  ],
);
