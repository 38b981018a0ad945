// Tenant webhook endpoints and every delivery attempt (migrations/0004; 0013 encrypted secrets).
import { sql } from "drizzle-orm";
import { bigint, boolean, foreignKey, integer, pgTable, text, unique } from "drizzle-orm/pg-core";
import { ts } from "./columns.ts";
import { outbox } from "./outbox.ts";
import { tenants } from "./tenants.ts";

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    eventTypes: text("event_types").array().notNull(),
    description: text("description"),
    /** The signing secret, encrypted by the worker (`enc:v1:…`; legacy rows `whsec_…` until first delivery). */
    secret: text("secret").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [unique().on(t.tenantId, t.id)],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text("tenant_id").notNull(),
    outboxId: text("outbox_id")
      .notNull()
      .references(() => outbox.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id").notNull(),
    attempt: integer("attempt").notNull(),
    succeeded: boolean("succeeded").notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    createdAt: ts("created_at").notNull().default(sql`clock_timestamp()`),
  },
  (t) => [
    foreignKey({
      columns: [t.tenantId, t.endpointId],
      foreignColumns: [webhookEndpoints.tenantId, webhookEndpoints.id],
    }).onDelete("cascade"),
  ],
);
