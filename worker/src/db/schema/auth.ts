// Who may sign in to a business and how (migrations/0001, 0015): memberships with their role (and a staff user's
// staff record), dashboard sessions (only the token's SHA-256 is stored) and one-time reset / invitation tokens.
import { foreignKey, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
import { staff } from "./catalog.ts";
import { ts } from "./columns.ts";
import { tenants, users } from "./tenants.ts";

export type Role = "owner" | "manager" | "staff";

export const memberships = pgTable(
  "memberships",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    role: text("role").$type<Role>().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    /** The staff record a staff user acts as (their calendar, their bookings); null for owners and managers. */
    staffId: text("staff_id"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id] }).onDelete("cascade"),
    foreignKey({
      name: "memberships_staff_fkey",
      columns: [t.tenantId, t.staffId],
      foreignColumns: [staff.tenantId, staff.id],
    }).onDelete("cascade"),
    unique("memberships_staff_id_key").on(t.tenantId, t.staffId),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    createdAt: ts("created_at").notNull().defaultNow(),
    lastSeenAt: ts("last_seen_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    foreignKey({
      columns: [t.tenantId, t.userId],
      foreignColumns: [memberships.tenantId, memberships.userId],
    }).onDelete("cascade"),
  ],
);

export const authTokens = pgTable(
  "auth_tokens",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"reset" | "invitation">().notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    email: text("email").notNull(),
    role: text("role").$type<Role>(),
    staffId: text("staff_id"),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.staffId], foreignColumns: [staff.tenantId, staff.id] }).onDelete("cascade"),
  ],
);
