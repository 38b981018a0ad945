// drizzle definitions of the outbox consumer's tables (migrations/0004_outbox_consumer.sql is the source of truth).
// Kept beside the consumer until db/schema.ts takes them in.
import { bigint, boolean, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const outboxCompletions = pgTable(
  "outbox_completions",
  {
    outboxId: text("outbox_id").notNull(),
    handler: text("handler").notNull(),
    tenantId: text("tenant_id").notNull(),
    completedAt: ts("completed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.outboxId, t.handler] })],
);

export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  url: text("url").notNull(),
  eventTypes: text("event_types").array().notNull(),
  description: text("description"),
  secret: text("secret").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

export const webhookDeliveries = pgTable("webhook_deliveries", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: text("tenant_id").notNull(),
  outboxId: text("outbox_id").notNull(),
  endpointId: text("endpoint_id").notNull(),
  attempt: integer("attempt").notNull(),
  succeeded: boolean("succeeded").notNull(),
  statusCode: integer("status_code"),
  durationMs: integer("duration_ms").notNull(),
  error: text("error"),
  createdAt: ts("created_at").notNull().defaultNow(),
});
