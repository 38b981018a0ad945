// The public catalog of one tenant: one statement (public_catalog(), migrations/0029) in one round trip, served from
// the edge cache while the tenant's catalog version is the one it was read at (read-cache.ts).
import { sql } from "drizzle-orm";
import type { TenantScope } from "../../db/client.ts";
import type { Branding, TenantPolicies } from "../../db/schema/index.ts";
import { awaitsPayments } from "../../domain/pricing.ts";
import { cancellationPolicyOf } from "../../domain/refunds.ts";
import { SLUG_PATTERN } from "../../domain/slugs.ts";
import { NotFound } from "../../errors.ts";
import type { Catalog } from "../../schemas/catalog.ts";
import type { TenantCtx } from "../context.ts";
import { type PublicReadCache, type PublicReadOutcome, readStamped } from "./read-cache.ts";

export function depositOf(row: { depositPercent: number | null; depositAmount: number | null }) {
  if (row.depositPercent != null) return { percent: row.depositPercent };
  if (row.depositAmount != null) return { amount: row.depositAmount };
  return null;
}

/** public_catalog()'s shape. */
interface RawCatalog {
  tenant: {
    slug: string;
    name: string;
    timezone: string;
    currency: string;
    branding: Branding;
    address: string | null;
    phone: string | null;
    about: string | null;
    logoUrl: string | null;
    policies: TenantPolicies;
    paymentsReady: boolean;
  };
  services: {
    id: string;
    name: string;
    description: string | null;
    durationMinutes: number;
    priceAmount: number | string;
    currency: string;
    depositPercent: number | null;
    depositAmount: number | string | null;
  }[];
  staff: { id: string; name: string; photoUrl: string | null; bio: string | null }[];
  links: [staffId: string, serviceId: string][];
}

export interface CatalogRead {
  catalog: Catalog;
  /** Whether the edge cache served the data (the database was asked only for the catalog version). */
  cache: PublicReadOutcome;
}

/** The catalog of a tenant by id or public slug (an unknown or malformed slug: 404, the latter without a query). */
export async function getCatalog({
  ctx,
  scope,
  cache,
}: {
  ctx: Pick<TenantCtx, "db">;
  scope: TenantScope;
  cache?: PublicReadCache | undefined;
}): Promise<CatalogRead> {
  if ("slug" in scope && !SLUG_PATTERN.test(scope.slug)) throw new NotFound("Business");
  const read = await readStamped({
    db: ctx.db,
    scope,
    cache,
    key: `catalog|${"slug" in scope ? `slug:${scope.slug}` : `id:${scope.tenantId}`}`,
    stamp: sql`catalog_version()`,
    data: sql`public_catalog()`,
  });
  if (read.data === null) throw new NotFound("Business");
  const catalog = catalogOf(read.data as RawCatalog);
  await read.remember();
  return { catalog, cache: read.cache };
}

function catalogOf(raw: RawCatalog): Catalog {
  const { tenant, links } = raw;
  const svcRows = raw.services.map((s) => ({
    ...s,
    priceAmount: Number(s.priceAmount),
    depositAmount: s.depositAmount === null ? null : Number(s.depositAmount),
  }));
  const liveStaff = new Set(raw.staff.map((s) => s.id));
  const liveServices = new Set(svcRows.map((s) => s.id));
  const staffIdsOf = (serviceId: string) =>
    links.filter(([staffId, sid]) => sid === serviceId && liveStaff.has(staffId)).map(([staffId]) => staffId);
  return {
    tenant: {
      slug: tenant.slug,
      name: tenant.name,
      timezone: tenant.timezone,
      currency: tenant.currency,
      branding: tenant.branding,
    },
    profile: { address: tenant.address, phone: tenant.phone, about: tenant.about, logoUrl: tenant.logoUrl },
    cancellationPolicy: cancellationPolicyOf(tenant.policies.cancellation),
    services: svcRows.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      durationMinutes: s.durationMinutes,
      price: { amount: s.priceAmount, currency: s.currency },
      deposit: depositOf(s),
      staffIds: staffIdsOf(s.id),
      bookableOnline: !awaitsPayments(s, tenant.paymentsReady),
    })),
    staff: raw.staff.map((m) => ({
      id: m.id,
      name: m.name,
      serviceIds: links.filter(([staffId, sid]) => staffId === m.id && liveServices.has(sid)).map(([, sid]) => sid),
      photoUrl: m.photoUrl,
      bio: m.bio,
    })),
  };
}
