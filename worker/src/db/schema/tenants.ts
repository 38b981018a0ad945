// Tenants and who may act for them: users and API keys (migrations/0001, 0009 schedule_version, 0016 the business
// profile; memberships and sessions are in auth.ts).
import { boolean, char, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { ts } from "./columns.ts";

export interface Branding {
  primaryColor?: string;
  accentColor?: string;
  logoUrl?: string;
  radius?: number;
  font?: string;
}

export interface TenantPolicies {
  holdMinutes?: number;
  /** domain/refunds.ts; policies stored before issue 13 hold only freeUntilHours and lateRefundPercent. */
  cancellation?: {
    freeUntilHours: number;
    lateKeepPercent?: number;
    noShowKeepPercent?: number;
    lateRefundPercent?: number;
  };
  /** Open (unpaid, unexpired) deposit holds one customer e-mail may have (default OPEN_HOLDS_PER_EMAIL). */
  openHoldsPerEmail?: number;
  /** Open deposit holds one client address may have (default OPEN_HOLDS_PER_ADDRESS). */
  openHoldsPerAddress?: number;
  /** Reschedules a customer may make of one booking (default RESCHEDULES_PER_BOOKING). */
  reschedulesPerBooking?: number;
  /** Whether a cancellation or no-show fee kept earns commission (issue 14; default false). */
  commissionOnFees?: boolean;
}

export const tenants = pgTable("tenants", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull(),
  currency: char("currency", { length: 3 }).notNull(),
  branding: jsonb("branding").$type<Branding>().notNull().default({}),
  policies: jsonb("policies").$type<TenantPolicies>().notNull().default({}),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  /**
   * Renewed by triggers whenever something the availability engine reads changes (migrations/0009, 0010): the
   * schedule cache keys on it.
   */
  scheduleVersion: uuid("schedule_version").notNull().defaultRandom(),
  /** The business profile (migrations/0016): shown in the admin API and the public catalogue. */
  address: text("address"),
  phone: text("phone"),
  about: text("about"),
  /** An https URL (checked with the outbound URL policy when set). */
  logoUrl: text("logo_url"),
  /** Stripe Connect (migrations/0018): the connected account and its state as account.updated reports it. */
  stripeAccountId: text("stripe_account_id").unique(),
  stripeChargesEnabled: boolean("stripe_charges_enabled").notNull().default(false),
  stripePayoutsEnabled: boolean("stripe_payouts_enabled").notNull().default(false),
  stripeRequirements: jsonb("stripe_requirements").$type<string[]>().notNull().default([]),
  /** The platform's fee for this tenant (basis points); null: the configured default. Set by the operator only. */
  platformFeeBps: integer("platform_fee_bps"),
  /** Its fixed part (minor units per payment, migrations/0027); null: the configured default. */
  platformFeeFixed: integer("platform_fee_fixed"),
});

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull(),
  passwordHash: text("password_hash").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  /** Display name (migrations/0015); owners created by signup have none until they set it. */
  name: text("name"),
});

export const apiKeys = pgTable("api_keys", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  prefix: text("prefix").notNull(),
  keyHash: text("key_hash").notNull().unique(),
  createdAt: ts("created_at").notNull().defaultNow(),
  lastUsedAt: ts("last_used_at"),
  revokedAt: ts("revoked_at"),
});
