// Enforces the per-tenant caps of domain/limits.ts inside the writing transaction. Each check counts under a
// transaction-scoped advisory lock on what it counts, so two parallel writes at the edge of a cap cannot both pass.
import { and, count, eq, gte, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { dateOverrides, services, staff, staffServices, tenants, webhookEndpoints } from "../../db/schema/index.ts";
import { TENANT_LIMITS } from "../../domain/limits.ts";
import { LimitReached } from "../../errors.ts";

/**
 * Serializes the writes that count toward one cap until the transaction ends. Staff, services and their links share
 * one lock per tenant (a new staff member can fill a service); take it before any row lock, to keep one lock order.
 */
async function lockCount(tx: Tx, scope: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`bookra.limits.${scope}`}, 0))`);
}

export const lockCatalogLimits = (tx: Tx, tenantId: string) => lockCount(tx, `catalog.${tenantId}`);

/** Room for one more live staff member; call under lockCatalogLimits. */
export async function assertStaffRoom(tx: Tx, tenantId: string): Promise<void> {
  const [row] = await tx
    .select({ n: count() })
    .from(staff)
    .where(and(eq(staff.tenantId, tenantId), isNull(staff.deletedAt)));
  if ((row?.n ?? 0) >= TENANT_LIMITS.staffPerTenant)
    throw new LimitReached(`A business can have at most ${TENANT_LIMITS.staffPerTenant} staff members`);
}

/** Room for one more live service; call under lockCatalogLimits. */
export async function assertServiceRoom(tx: Tx, tenantId: string): Promise<void> {
  const [row] = await tx
    .select({ n: count() })
    .from(services)
    .where(and(eq(services.tenantId, tenantId), isNull(services.deletedAt)));
  if ((row?.n ?? 0) >= TENANT_LIMITS.servicesPerTenant)
    throw new LimitReached(`A business can have at most ${TENANT_LIMITS.servicesPerTenant} services`);
}

/** A service's staff list, replaced as a whole, fits the cap. */
export function assertStaffPerService(staffIds: readonly string[]): void {
  if (staffIds.length > TENANT_LIMITS.staffPerService)
    throw new LimitReached(`A service can be performed by at most ${TENANT_LIMITS.staffPerService} staff members`);
}

/** Each of `serviceIds` has room for `staffId` besides its other live staff; call under lockCatalogLimits. */
export async function assertRoomInServices(tx: Tx, staffId: string | null, serviceIds: readonly string[]) {
  if (serviceIds.length === 0) return;
  const rows = await tx
    .select({ serviceId: staffServices.serviceId, n: count() })
    .from(staffServices)
    .innerJoin(staff, and(eq(staff.id, staffServices.staffId), isNull(staff.deletedAt)))
    .where(
      and(inArray(staffServices.serviceId, [...serviceIds]), staffId ? ne(staffServices.staffId, staffId) : undefined),
    )
    .groupBy(staffServices.serviceId);
  const full = rows.find((r) => r.n >= TENANT_LIMITS.staffPerService);
  if (full)
    throw new LimitReached(
      `Service ${full.serviceId} is already performed by ${TENANT_LIMITS.staffPerService} staff members, the most allowed`,
    );
}

/** Room for a new override dated `date` (today or later in the tenant's zone) of one staff member. */
export async function assertOverrideRoom(
  tx: Tx,
  { tenantId, staffId, date, now }: { tenantId: string; staffId: string; date: string; now: Date },
): Promise<void> {
  await lockCount(tx, `overrides.${staffId}`);
  const zone = tx.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId));
  const today = sql<string>`(${now.toISOString()}::timestamptz AT TIME ZONE (${zone}))::date`;
  const [existing] = await tx
    .select({ date: dateOverrides.localDate })
    .from(dateOverrides)
    .where(and(eq(dateOverrides.staffId, staffId), eq(dateOverrides.localDate, date)));
  if (existing) return; // replacing a date's hours adds nothing
  const [row] = await tx
    .select({ n: count(), past: sql<boolean>`${date}::date < ${today}` })
    .from(dateOverrides)
    .where(and(eq(dateOverrides.staffId, staffId), gte(dateOverrides.localDate, today)));
  if (!row?.past && (row?.n ?? 0) >= TENANT_LIMITS.futureOverridesPerStaff)
    throw new LimitReached(
      `A staff member can have at most ${TENANT_LIMITS.futureOverridesPerStaff} date overrides from today on`,
    );
}

/** Room for one more live webhook endpoint; takes its own lock. */
export async function assertWebhookEndpointRoom(tx: Tx, tenantId: string): Promise<void> {
  await lockCount(tx, `webhook-endpoints.${tenantId}`);
  const [row] = await tx
    .select({ n: count() })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), isNull(webhookEndpoints.deletedAt)));
  if ((row?.n ?? 0) >= TENANT_LIMITS.webhookEndpointsPerTenant)
    throw new LimitReached(`A business can have at most ${TENANT_LIMITS.webhookEndpointsPerTenant} webhook endpoints`);
}
