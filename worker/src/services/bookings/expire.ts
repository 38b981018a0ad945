// The cron side of "expired holds never block anyone": lapsed holds are expired tenant by tenant, each with its
// booking.expired outbox row. (Bookings that need the time also expire overlapping holds themselves.)
import type { Database } from "../../db/client.ts";
import { expireHolds } from "./outbox-rows.ts";

export async function sweepLapsedHolds(db: Database, now: Date, limit = 500): Promise<number> {
  const r = await db.pool.query<{ id: string; tenant_id: string }>("SELECT id, tenant_id FROM lapsed_holds($1)", [
    limit,
  ]);
  const byTenant = new Map<string, string[]>();
  for (const row of r.rows) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.id]);
  for (const [tenantId, ids] of byTenant) await db.withTenantTx(tenantId, (tx) => expireHolds(tx, ids, now));
  return r.rows.length;
}
