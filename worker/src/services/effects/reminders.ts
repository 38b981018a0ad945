// The cron side of the 24 h reminder: confirmed bookings starting within a day (and booked before that) get one
// booking.reminder_due outbox row per start, written with its reminder record in the tenant's transaction; the
// customer-email and WhatsApp handlers then send it like any other event. The rows are noted for the relay, so a
// relayCommitted(db, queue) after the sweep sends them at once (the outbox sweep would otherwise, a little later).
import { sql } from "drizzle-orm";
import { type Database, noteOutboxWritten } from "../../db/client.ts";

export async function sweepReminders(db: Database, now: Date, limit = 500): Promise<number> {
  const due = await db.pool.query<{ id: string; tenant_id: string }>(
    "SELECT id, tenant_id FROM reminders_due($1, $2)",
    [now.toISOString(), limit],
  );
  const byTenant = new Map<string, string[]>();
  for (const row of due.rows) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.id]);
  let written = 0;
  for (const [tenantId, ids] of byTenant) {
    written += await db.withTenantTx(tenantId, async (tx) => {
      const at = now.toISOString();
      // The booking is re-checked here: it may have been cancelled or moved since the cross-tenant read.
      const r = await tx.execute(sql`
        WITH due AS (
          SELECT id, staff_id, starts_at FROM bookings
          WHERE id = ANY(${`{${ids.join(",")}}`}::text[]) AND status = 'confirmed'
            AND starts_at > ${at}::timestamptz AND starts_at <= ${at}::timestamptz + interval '24 hours'
        ), reminded AS (
          INSERT INTO booking_reminders (tenant_id, booking_id, starts_at, written_at)
          SELECT ${tenantId}, id, starts_at, ${at}::timestamptz FROM due
          ON CONFLICT DO NOTHING
          RETURNING booking_id
        )
        INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload)
        SELECT 'evt_' || substr(md5(random()::text || due.id), 1, 20), ${tenantId}, 'booking.reminder_due', due.id,
               jsonb_build_object('bookingId', due.id, 'staffId', due.staff_id,
                                  'start', to_char(due.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
        FROM due JOIN reminded ON reminded.booking_id = due.id
        RETURNING id`);
      noteOutboxWritten(
        tx,
        r.rows.map((row) => String(row.id)),
      );
      return r.rows.length;
    });
  }
  return written;
}
