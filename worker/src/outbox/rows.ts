// The outbox row's life as the consumer sees it: read the event, then mark it done, failed (retry scheduled) or dead.
import { type SQL, sql } from "drizzle-orm";
import type { Database, OutboxRef } from "../db/client.ts";
import type { BookingStatus, outbox } from "../db/schema/index.ts";
import type { BookingContext } from "../domain/booking-context.ts";
import type { OutboxEvent, SharedContext } from "./types.ts";

type OutboxStatus = (typeof outbox.$inferSelect)["status"];

const MAX_ERROR_LENGTH = 2000;

export interface LoadedMessage {
  event: OutboxEvent;
  status: OutboxStatus;
  shared: SharedContext;
}

/**
 * Outbox rows of one tenant and the context their handlers share (the booking, the tenant's WhatsApp switch, the
 * staff member's calendar connection, whether a webhook endpoint wants the event), read in the tenant's transaction
 * in one round trip: BEGIN, the tenant setting, this one statement and COMMIT travel together. One result per id, in
 * order (null: no such row visible). Instants come back as epoch milliseconds (truncated, as the driver's Date
 * parsing truncates microseconds), so the event is the same as a drizzle read of the row would give.
 */
export async function loadMessages(
  db: Database,
  tenantId: string,
  outboxIds: readonly string[],
): Promise<(LoadedMessage | null)[]> {
  const ids = sql.join(
    outboxIds.map((id) => sql`${id}`),
    sql`, `,
  );
  // One statement, no interaction: read over HTTP in one round trip.
  const [rows = []] = await db.read({ tenantId }, [
    sql`
      SELECT o.id, o.tenant_id, o.event_type, o.aggregate_id, o.payload, o.status,
             floor(extract(epoch FROM o.created_at) * 1000)::float8 AS created_ms,
             coalesce((SELECT tc.whatsapp FROM tenant_channels tc WHERE tc.tenant_id = o.tenant_id), false) AS whatsapp,
             EXISTS (SELECT 1 FROM webhook_endpoints we
                     WHERE we.deleted_at IS NULL AND o.event_type = ANY (we.event_types)) AS webhooks,
             (SELECT json_build_object(
                'id', b.id, 'status', b.status, 'currency', b.currency, 'priceAmount', b.price_amount,
                'startsMs', floor(extract(epoch FROM b.starts_at) * 1000), 'endsMs', floor(extract(epoch FROM b.ends_at) * 1000),
                'whatsappOptIn', b.whatsapp_opt_in,
                'customerName', c.name, 'customerEmail', c.email, 'customerPhone', c.phone,
                'serviceName', s.name, 'staffId', st.id, 'staffName', st.name, 'staffEmail', st.email,
                'tenantId', t.id, 'tenantSlug', t.slug, 'tenantName', t.name, 'timezone', t.timezone,
                'tenantCurrency', t.currency,
                'calendar', EXISTS (SELECT 1 FROM staff_calendar_connections sc WHERE sc.staff_id = st.id))
              FROM bookings b
              JOIN customers c ON c.id = b.customer_id
              JOIN services s ON s.id = b.service_id
              JOIN staff st ON st.id = b.staff_id
              JOIN tenants t ON t.id = b.tenant_id
              WHERE b.id = CASE WHEN jsonb_typeof(o.payload -> 'bookingId') = 'string'
                                THEN o.payload ->> 'bookingId' ELSE o.aggregate_id END) AS booking
      FROM outbox o WHERE o.id IN (${ids})`,
  ]);
  const byId = new Map((rows as LoadedRow[]).map((row) => [row.id, row]));
  return outboxIds.map((id) => {
    const row = byId.get(id);
    return row ? loadedOf(row) : null;
  });
}

function loadedOf(row: LoadedRow): LoadedMessage {
  const event: OutboxEvent = {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.event_type,
    aggregateId: row.aggregate_id,
    payload: row.payload,
    createdAt: new Date(Number(row.created_ms)),
  };
  const b = row.booking;
  const booking: BookingContext | null = b
    ? {
        booking: {
          id: b.id,
          status: b.status,
          startsAt: new Date(Number(b.startsMs)),
          endsAt: new Date(Number(b.endsMs)),
          priceAmount: Number(b.priceAmount),
          currency: b.currency,
          whatsappOptIn: b.whatsappOptIn === true,
        },
        customer: { name: b.customerName, email: b.customerEmail, phone: b.customerPhone },
        service: { name: b.serviceName },
        staff: { id: b.staffId, name: b.staffName, email: b.staffEmail },
        tenant: {
          id: b.tenantId,
          slug: b.tenantSlug,
          name: b.tenantName,
          timezone: b.timezone,
          currency: b.tenantCurrency,
        },
      }
    : null;
  return {
    event,
    status: row.status,
    shared: {
      booking,
      whatsappEnabled: row.whatsapp === true,
      calendarConnected: b?.calendar === true,
      webhooksSubscribed: row.webhooks === true,
    },
  };
}

interface LoadedRow {
  id: string;
  tenant_id: string;
  event_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  created_ms: number | string;
  whatsapp: boolean;
  webhooks: boolean;
  booking: {
    id: string;
    status: BookingStatus;
    currency: string;
    priceAmount: number | string;
    startsMs: number | string;
    endsMs: number | string;
    whatsappOptIn: boolean;
    customerName: string;
    customerEmail: string;
    customerPhone: string | null;
    serviceName: string;
    staffId: string;
    staffName: string;
    staffEmail: string | null;
    tenantId: string;
    tenantSlug: string;
    tenantName: string;
    timezone: string;
    tenantCurrency: string;
    calendar: boolean;
  } | null;
}

/**
 * Several rows of one tenant done in one round trip (BEGIN, the statement and COMMIT together; the consumer groups the
 * rows finishing at the same time), with the completions of the handlers that had nothing to do (`idle`) written in the
 * same statement.
 */
export async function markAllDone(
  db: Database,
  tenantId: string,
  rows: readonly { outboxId: string; idle: readonly string[] }[],
  now: Date,
): Promise<void> {
  const idle = rows.flatMap((r) => r.idle.map((handler) => ({ outboxId: r.outboxId, handler })));
  const ids = sql.join(
    rows.map((r) => sql`${r.outboxId}`),
    sql`, `,
  );
  await db.write({ tenantId }, [
    sql`${idleCompletions(tenantId, idle)}
      UPDATE outbox SET status = 'done', processed_at = ${now.toISOString()}::timestamptz, attempts = attempts + 1
      WHERE id IN (${ids}) AND status IN ('pending', 'failed', 'dead')`,
  ]);
}

/** enqueued_at becomes the time the retry is due: the sweep re-sends the row only if that time is long past. */
export async function markFailed(
  db: Database,
  ref: OutboxRef,
  error: string,
  retryAt: Date,
  idle: readonly string[] = [],
): Promise<void> {
  await db.write({ tenantId: ref.tenantId }, [
    sql`${idleCompletions(
      ref.tenantId,
      idle.map((handler) => ({ outboxId: ref.outboxId, handler })),
    )}
      UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ${truncate(error)},
                        enqueued_at = ${retryAt.toISOString()}::timestamptz
      WHERE id = ${ref.outboxId} AND status IN ('pending', 'failed')`,
  ]);
}

export async function markDead(db: Database, ref: OutboxRef, now: Date): Promise<void> {
  await db.write({ tenantId: ref.tenantId }, [
    sql`
      UPDATE outbox SET status = 'dead', processed_at = ${now.toISOString()}::timestamptz,
                        last_error = coalesce(last_error, 'Delivery attempts exhausted')
      WHERE id = ${ref.outboxId} AND status IN ('pending', 'failed')`,
  ]);
}

/** A data-modifying CTE that records idle handlers' completions (a redelivery finds them and skips). */
function idleCompletions(tenantId: string, idle: readonly { outboxId: string; handler: string }[]): SQL {
  if (idle.length === 0) return sql``;
  const rows = sql.join(
    idle.map((c) => sql`(${c.outboxId}, ${c.handler}, ${tenantId})`),
    sql`, `,
  );
  return sql`WITH idle AS (
      INSERT INTO outbox_completions (outbox_id, handler, tenant_id) VALUES ${rows} ON CONFLICT DO NOTHING)`;
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
