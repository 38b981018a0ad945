// Every table the migrations create, as drizzle models, one file per area. migrations/ is the source of truth
// (constraints, RLS, functions; migrations/schema.sql is what they add up to) and test/db-schema-drift.test.ts keeps
// these models equal to it: tables, columns, types, nullability, defaults, keys and foreign keys.
export * from "./auth.ts";
export * from "./bookings.ts";
export * from "./catalog.ts";
export * from "./commissions.ts";
export * from "./desk.ts";
export * from "./effects.ts";
export * from "./idempotency.ts";
export * from "./invoices.ts";
export * from "./ledger.ts";
export * from "./outbox.ts";
export * from "./payments.ts";
export * from "./reconciliation.ts";
export * from "./refunds.ts";
export * from "./tenants.ts";
export * from "./webhooks.ts";
