// A booking's timeline from real records: the booking row, its outbox rows and their completions, webhook
// deliveries, payments, refunds and the invoice. Each entry names its source table and id; nothing is inferred.
import { eq, inArray, or, sql } from "drizzle-orm";
import {
  bookings,
  invoices,
  journalEntries,
  journalLines,
  outbox,
  outboxCompletions,
  payments,
  refunds,
  webhookDeliveries,
  webhookEndpoints,
} from "../../db/schema/index.ts";
import { mayCall, staffScopeOf } from "../../domain/permissions.ts";
import { NotFound } from "../../errors.ts";
import type { BookingTimeline, TimelineEntry } from "../../schemas/timeline.ts";
import type { TenantCtx } from "../context.ts";

type TimelineLine = NonNullable<TimelineEntry["ledger"]>["lines"][number];

const STATE_EVENTS: Record<string, TimelineEntry["kind"]> = {
  "booking.confirmed": "confirmed",
  "booking.rescheduled": "rescheduled",
  "booking.cancelled": "cancelled",
  "booking.expired": "expired",
};

const EMPTY = {
  eventType: null,
  outboxId: null,
  status: null,
  handler: null,
  endpoint: null,
  responseStatus: null,
  attempt: null,
  amount: null,
} as const;

function entry(at: Date, kind: TimelineEntry["kind"], table: TimelineEntry["source"]["table"], id: string) {
  return { ...EMPTY, at: at.toISOString(), kind, source: { table, id } };
}

/** Oldest first; at one instant, the cause before its effects (a row, then its completions, then deliveries). */
const ORDER: TimelineEntry["source"]["table"][] = [
  "bookings",
  "payments",
  "refunds",
  "journal_entries",
  "outbox",
  "invoices",
  "outbox_completions",
  "webhook_deliveries",
];
function byTime(a: TimelineEntry, b: TimelineEntry): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  const rank = ORDER.indexOf(a.source.table) - ORDER.indexOf(b.source.table);
  return rank !== 0 ? rank : a.source.id < b.source.id ? -1 : a.source.id > b.source.id ? 1 : 0;
}

export async function getBookingTimeline({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<BookingTimeline> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, id));
    const scope = staffScopeOf(ctx.actor);
    if (!b || (scope && b.staffId !== scope)) throw new NotFound("Booking");
    const events = await tx
      .select()
      .from(outbox)
      .where(or(eq(outbox.aggregateId, id), sql`${outbox.payload} ->> 'bookingId' = ${id}`));
    const eventIds = events.map((e) => e.id);
    const typeOf = new Map(events.map((e) => [e.id, e.eventType]));
    const completions = eventIds.length
      ? await tx.select().from(outboxCompletions).where(inArray(outboxCompletions.outboxId, eventIds))
      : [];
    const deliveries = eventIds.length
      ? await tx
          .select({ d: webhookDeliveries, url: webhookEndpoints.url })
          .from(webhookDeliveries)
          .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
          .where(inArray(webhookDeliveries.outboxId, eventIds))
      : [];
    const paid = await tx.select().from(payments).where(eq(payments.bookingId, id));
    const invoice = await tx.select().from(invoices).where(eq(invoices.bookingId, id));
    const refunded = await tx.select().from(refunds).where(eq(refunds.bookingId, id));
    // Journal entries with a line for this booking, each with all its lines (the entry as posted, balanced).
    // Shown to whoever may read the ledger itself (the owner), never to a manager or staff member.
    const readsLedger = !ctx.actor || mayCall(ctx.actor.role, "GET /v1/admin/ledger");
    const posted = !readsLedger
      ? []
      : await tx
          .select({ e: journalEntries, l: journalLines })
          .from(journalEntries)
          .innerJoin(journalLines, eq(journalLines.entryId, journalEntries.id))
          .where(
            inArray(
              journalEntries.id,
              tx.selectDistinct({ id: journalLines.entryId }).from(journalLines).where(eq(journalLines.bookingId, id)),
            ),
          )
          .orderBy(journalLines.id);
    const journal = new Map<string, { e: typeof journalEntries.$inferSelect; lines: TimelineLine[] }>();
    for (const { e, l } of posted) {
      const line = { account: l.account, amount: Number(l.amount), currency: l.currency };
      const known = journal.get(e.id);
      if (known) known.lines.push(line);
      else journal.set(e.id, { e, lines: [line] });
    }
    const entries: TimelineEntry[] = [entry(b.createdAt, "created", "bookings", b.id)];
    for (const { e, lines } of journal.values())
      entries.push({ ...entry(e.occurredAt, "ledger", "journal_entries", e.id), ledger: { kind: e.kind, lines } });
    if (b.completedAt) entries.push(entry(b.completedAt, "completed", "bookings", b.id));
    if (b.noShowAt) entries.push(entry(b.noShowAt, "no_show", "bookings", b.id));
    for (const e of events)
      entries.push({
        ...entry(e.createdAt, STATE_EVENTS[e.eventType] ?? "event", "outbox", e.id),
        eventType: e.eventType,
        outboxId: e.id,
        status: e.status,
        attempt: e.attempts,
      });
    for (const c of completions)
      entries.push({
        ...entry(c.completedAt, "effect", "outbox_completions", `${c.outboxId}/${c.handler}`),
        eventType: typeOf.get(c.outboxId) ?? null,
        outboxId: c.outboxId,
        handler: c.handler,
      });
    for (const { d, url } of deliveries)
      entries.push({
        ...entry(d.createdAt, "webhook_delivery", "webhook_deliveries", String(d.id)),
        eventType: typeOf.get(d.outboxId) ?? null,
        outboxId: d.outboxId,
        status: d.succeeded ? "succeeded" : "failed",
        endpoint: { id: d.endpointId, url },
        responseStatus: d.statusCode,
        attempt: d.attempt,
      });
    for (const p of paid)
      entries.push({
        ...entry(p.createdAt, "paid", "payments", p.id),
        status: p.status,
        amount: { amount: Number(p.amount), currency: p.currency },
      });
    // A refund as it stands now: pending, succeeded or failed (then retryable), with its attempt.
    for (const r of refunded)
      entries.push({
        ...entry(r.createdAt, "refund", "refunds", r.id),
        status: r.status,
        attempt: r.attempt,
        amount: { amount: Number(r.amount), currency: r.currency },
      });
    for (const i of invoice)
      entries.push({
        ...entry(i.issuedAt, "invoice_issued", "invoices", i.id),
        amount: { amount: Number(i.amount), currency: i.currency },
      });
    return { bookingId: b.id, entries: entries.sort(byTime) };
  });
}
