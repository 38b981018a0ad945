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
  "invoice_issued",
  "event",
  "effect",
  "webhook_delivery",
]);

export const TimelineEntry = z
  .object({
    at: z.string().openapi({ description: "When the source row records it happened (UTC)" }),
    kind: TimelineKind.openapi({
      description:
        "`created`, `completed`, `no_show` come from the booking; `confirmed`, `rescheduled`, `cancelled`, `expired` and `event` (any other event, e.g. `booking.created`, `booking.reminder_due`) from its outbox rows; `effect` from an outbox row's handler completion (`customer-email`, `whatsapp`, `calendar`, `invoice`, `staff-notice`, `tenant-webhooks`); `webhook_delivery` from one delivery attempt; `paid` from a payment; `invoice_issued` from the invoice",
    }),
    source: z.object({
      table: TimelineSourceTable,
      id: z.string().openapi({ description: "The row's key (`<outboxId>/<handler>` for a completion)" }),
    }),
    eventType: nullable(z.string()).openapi({
      description: "The outbox event type (outbox rows, effects, deliveries)",
    }),
    outboxId: nullable(z.string()),
    status: nullable(z.string()).openapi({
      description:
        "An outbox row's status (pending, done, failed, dead), a payment's status, or a delivery's `succeeded`/`failed`",
    }),
    handler: nullable(z.string()),
    endpoint: nullable(z.object({ id: z.string(), url: z.string() })),
    responseStatus: nullable(z.number().int()).openapi({ description: "The webhook receiver's HTTP status" }),
    attempt: nullable(z.number().int()),
    amount: nullable(Money),
  })
  .openapi("TimelineEntry");
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const BookingTimeline = z
  .object({ bookingId: z.string(), entries: z.array(TimelineEntry) })
  .openapi("BookingTimeline", { description: "Entries oldest first" });
export type BookingTimeline = z.infer<typeof BookingTimeline>;
