// The transactional outbox (migrations/0001) and the consumer's per-handler completions (0004).
import { sql } from "drizzle-orm";
import { integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { ts } from "./columns.ts";
import { tenants } from "./tenants.ts";

export const outbox = pgTable("outbox", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" }),
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

/** One row per (outbox row, handler) that finished: a redelivery skips it. */
export const outboxCompletions = pgTable(
  "outbox_completions",
  {
    outboxId: text("outbox_id")
      .notNull()
      .references(() => outbox.id, { onDelete: "cascade" }),
    handler: text("handler").notNull(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    completedAt: ts("completed_at").notNull().default(sql`clock_timestamp()`),
  },
  (t) => [primaryKey({ columns: [t.outboxId, t.handler] })],
);
