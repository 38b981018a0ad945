// The cron side of the 24 h reminder: confirmed bookings starting within a day (and booked before that) get one
// booking.reminder_due outbox row per start, written with its reminder record in the tenant's transaction; the
// customer-email and WhatsApp handlers then send it like any other event. The rows are noted for the relay, so a
// relayCommitted(db, queue) after the sweep sends them at once (the outbox sweep would otherwise, a little later).
// Event ids come from newId("evt"), like every other outbox row's: one fresh id offered per booking, used if it is due.
import { sql } from "drizzle-orm";
import { type Database, noteOutboxWritten } from "../db/client.ts";
import { newId } from "../lib/ids.ts";

export async function sweepReminders(db: Database, now: Date, limit = 500): Promise<number> {
  const due = await db.pool.query<{ id: string; tenant_id: string }>(
    "SELECT id, tenant_id FROM reminders_due($1, $2)",
    [now.toISOString(), limit],
  );
  const byTenant = new Map<string, string[]>();
  for (const row of due.rows) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.id]);
  let written = 0;
  for (const [tenantId, listed] of byTenant) {
    const ids = [...new Set(listed)];
    const eventIds = ids.map(() => newId("evt"));
    written += await db.withTenantTx(tenantId, async (tx) => {
      const at = now.toISOString();
      // The booking is re-checked here: it may have been cancelled or moved since the cross-tenant read.
      const r = await tx.execute(sql`
        WITH due AS (
          SELECT b.id, b.staff_id, b.starts_at, offered.event_id
          FROM unnest(${`{${ids.join(",")}}`}::text[], ${`{${eventIds.join(",")}}`}::text[])
                 AS offered(booking_id, event_id)
          JOIN bookings b ON b.id = offered.booking_id
          WHERE b.status = 'confirmed'
            AND b.starts_at > ${at}::timestamptz AND b.starts_at <= ${at}::timestamptz + interval '24 hours'
        ), reminded AS (
          INSERT INTO booking_reminders (tenant_id, booking_id, starts_at, written_at)
          SELECT ${tenantId}, id, starts_at, ${at}::timestamptz FROM due
          ON CONFLICT DO NOTHING
          RETURNING booking_id
        )
        INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload)
        SELECT due.event_id, ${tenantId}, 'booking.reminder_due', due.id,
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
