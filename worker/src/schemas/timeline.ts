// A booking's timeline (Admin API): what happened to it, read from the tables that recorded it, never inferred.
import { z } from "@hono/zod-openapi";
import { Money, nullable } from "./common.ts";

export const TimelineSourceTable = z.enum([
  "bookings",
  "outbox",
  "outbox_completions",
  "webhook_deliveries",
  "payments",
  "invoices",
  "refunds",
  "journal_entries",
]);

export const TimelineKind = z.enum([
  "created",
  "confirmed",
  "rescheduled",
  "cancelled",
  "expired",
  "completed",
  "no_show",
  "paid",
  "refund",
  "invoice_issued",
  "ledger",
  "event",
  "effect",
  "webhook_delivery",
]);

export const TimelineEntry = z
  .object({
    at: z.string(),
    kind: TimelineKind.openapi({
      description: "What happened; `source` names the record (docs/API.md lists the kinds)",
    }),
    source: z.object({
      table: TimelineSourceTable,
      id: z.string().openapi({ description: "`<outboxId>/<handler>` for a completion" }),
    }),
    eventType: nullable(z.string()),
    outboxId: nullable(z.string()),
    status: nullable(z.string()),
    handler: nullable(z.string()),
    endpoint: nullable(z.object({ id: z.string(), url: z.string() })),
    responseStatus: nullable(z.number().int()),
    attempt: nullable(z.number().int()),
    amount: nullable(Money),
    ledger: z
      .object({
        kind: z.string().openapi({ description: "The journal entry's kind (docs/ARCHITECTURE.md, posting rules)" }),
        lines: z.array(
          z.object({
            account: z.string(),
            amount: z.number().int().openapi({ description: "Minor units: debit positive, credit negative" }),
            currency: z.string(),
          }),
        ),
      })
      .optional()
      .openapi({ description: "Only on a `ledger` entry: the journal entry's kind and all its lines" }),
  })
  .openapi("TimelineEntry");
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const BookingTimeline = z
  .object({ bookingId: z.string(), entries: z.array(TimelineEntry) })
  .openapi("BookingTimeline", { description: "Entries oldest first" });
export type BookingTimeline = z.infer<typeof BookingTimeline>;
