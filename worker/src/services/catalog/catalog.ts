// The public catalog of one tenant, read in one transaction.

import { asc, eq, isNull } from "drizzle-orm";
import { services, staff, staffServices, tenants } from "../../db/schema/index.ts";
import { awaitsPayments } from "../../domain/pricing.ts";
import { cancellationPolicyOf } from "../../domain/refunds.ts";
import { NotFound } from "../../errors.ts";
import type { Catalog } from "../../schemas/catalog.ts";
import type { TenantCtx } from "../context.ts";
import { profileOf } from "../tenants/tenants.ts";

export function depositOf(row: { depositPercent: number | null; depositAmount: number | null }) {
  if (row.depositPercent != null) return { percent: row.depositPercent };
  if (row.depositAmount != null) return { amount: row.depositAmount };
  return null;
}

export async function getCatalog({ ctx }: { ctx: TenantCtx }): Promise<Catalog> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, ctx.tenantId));
    if (!tenant) throw new NotFound("Business");
    const [svcRows, staffRows, links] = [
      await tx
        .select()
        .from(services)
        .where(isNull(services.deletedAt))
        .orderBy(asc(services.createdAt), asc(services.id)),
      await tx.select().from(staff).where(isNull(staff.deletedAt)).orderBy(asc(staff.createdAt), asc(staff.id)),
      await tx.select().from(staffServices),
    ];
    const paymentsReady = tenant.stripeAccountId !== null && tenant.stripeChargesEnabled;
    const liveStaff = new Set(staffRows.map((s) => s.id));
    const liveServices = new Set(svcRows.map((s) => s.id));
    const staffIdsOf = (serviceId: string) =>
      links.filter((l) => l.serviceId === serviceId && liveStaff.has(l.staffId)).map((l) => l.staffId);
    return {
      tenant: {
        slug: tenant.slug,
        name: tenant.name,
        timezone: tenant.timezone,
        currency: tenant.currency,
        branding: tenant.branding,
      },
      profile: profileOf(tenant),
      cancellationPolicy: cancellationPolicyOf(tenant.policies.cancellation),
      services: svcRows.map((s) => ({
        id: s.id,
        name: s.name,
        description: s.description,
        durationMinutes: s.durationMinutes,
        price: { amount: s.priceAmount, currency: s.currency },
        deposit: depositOf(s),
        staffIds: staffIdsOf(s.id),
        bookableOnline: !awaitsPayments(s, paymentsReady),
      })),
      staff: staffRows.map((m) => ({
        id: m.id,
        name: m.name,
        serviceIds: links.filter((l) => l.staffId === m.id && liveServices.has(l.serviceId)).map((l) => l.serviceId),
        photoUrl: m.photoUrl,
        bio: m.bio,
      })),
    };
  });
}
