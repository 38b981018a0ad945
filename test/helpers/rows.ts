// Direct table access for route tests (as the superuser, bypassing RLS): "nothing changed" snapshots and bookings
// placed without going through the booking rules.
import type { TestApp, TestTenant } from "./app.ts";

/** Every row of `tables` for the tenant, for "nothing changed" assertions. */
export async function snapshotRows(t: TestApp, tenantId: string, tables: string[]) {
  const out: Record<string, unknown[]> = {};
  for (const table of tables)
    out[table] = await t.database.admin(
      // last_used_at (api_keys) moves with every authenticated request, whatever its outcome.
      `SELECT (to_jsonb(x) - 'last_used_at')::text AS row FROM ${table} x WHERE tenant_id = $1 ORDER BY 1`,
      [tenantId],
    );
  return out;
}

/** A 45-minute booking `startsInHours` from the test clock, with its own customer; pending ones hold until the end. */
export async function insertRawBooking(
  t: TestApp,
  tenant: TestTenant,
  staffId: string,
  serviceId: string,
  status: string,
  startsInHours: number,
) {
  const cus = `cus_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
  const start = new Date(t.clock.now.getTime() + startsInHours * 3_600_000);
  const end = new Date(start.getTime() + 45 * 60_000);
  await t.database.admin("INSERT INTO customers (id, tenant_id, name, email) VALUES ($1, $2, 'Cleo', $3)", [
    cus,
    tenant.id,
    `${cus}@example.com`,
  ]);
  await t.database.admin(
    `INSERT INTO bookings (id, tenant_id, service_id, staff_id, customer_id, status, starts_at, ends_at, blocked_from, blocked_until,
       price_amount, currency, hold_expires_at, manage_token_hash, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, 4500, 'EUR', $9, 'hash', 'admin')`,
    [
      `bkg_${cus.slice(4)}`,
      tenant.id,
      serviceId,
      staffId,
      cus,
      status,
      start,
      end,
      status === "pending_payment" ? end : null,
    ],
  );
}
