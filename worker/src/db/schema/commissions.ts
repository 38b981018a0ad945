// Commission rules and staff payments (migrations/0024): a staff member's default rule and per-service overrides,
// each effective from a local date; what a staff member was paid, and for which period (the journal entry
// commission_payment:<id> carries the money).
import { char, date, foreignKey, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import type { CommissionRuleKind } from "../../domain/commissions.ts";
import { services, staff } from "./catalog.ts";
import { money, ts } from "./columns.ts";
import { tenants } from "./tenants.ts";

export const commissionRules = pgTable(
  "commission_rules",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    staffId: text("staff_id").notNull(),
    /** null: the staff member's default rule. */
    serviceId: text("service_id"),
    kind: text("kind").$type<CommissionRuleKind>().notNull(),
    rateBps: integer("rate_bps"),
    amount: money("amount"),
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("commission_rules_staff_idx").on(t.tenantId, t.staffId, t.effectiveFrom),
    foreignKey({ columns: [t.tenantId, t.staffId], foreignColumns: [staff.tenantId, staff.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [services.tenantId, services.id] }).onDelete(
      "cascade",
    ),
  ],
);

export const staffPayments = pgTable(
  "staff_payments",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    staffId: text("staff_id").notNull(),
    amount: money("amount").notNull(),
    commission: money("commission").notNull(),
    tips: money("tips").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    method: text("method").$type<"bank" | "cash">().notNull(),
    periodFrom: date("period_from", { mode: "string" }).notNull(),
    periodTo: date("period_to", { mode: "string" }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("staff_payments_staff_idx").on(t.tenantId, t.staffId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.staffId], foreignColumns: [staff.tenantId, staff.id] }),
  ],
);
