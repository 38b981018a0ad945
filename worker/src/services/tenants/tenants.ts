// Tenant verbs: signup (tenant + owner + first API key in one transaction), read and update settings.
import { and, eq, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { apiKeys, memberships, services, tenants, users } from "../../db/schema/index.ts";
import { mergeCancellationPolicy } from "../../domain/refunds.ts";
import { SLUG_PATTERN } from "../../domain/slugs.ts";
import { Conflict, NotFound } from "../../errors.ts";
import { hashPassword, newSecret, sha256Hex } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";
import type { BusinessProfile, SignupInput, Tenant, TenantPatch } from "../../schemas/tenant.ts";
import type { ServiceConfig, TenantCtx } from "../context.ts";

type TenantRow = typeof tenants.$inferSelect;

function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    timezone: row.timezone,
    currency: row.currency,
    branding: row.branding,
    policies: currentPolicies(row.policies),
    profile: profileOf(row),
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * The stored policies without the retired `platformFeeBps` (a tenant could set it before issue 13; the fee is the
 * platform's now and that value was never charged): neither answered nor written back.
 */
function currentPolicies(stored: TenantRow["policies"]): TenantRow["policies"] {
  const { platformFeeBps: _retired, ...policies } = stored as TenantRow["policies"] & { platformFeeBps?: unknown };
  return policies;
}

export function profileOf(row: TenantRow): BusinessProfile {
  return { address: row.address, phone: row.phone, about: row.about, logoUrl: row.logoUrl };
}

/** Empty text is no value: it is stored as null. */
const orNull = (v: string | null) => (v === "" ? null : v);

/**
 * The id of the business a public slug names, or null: a string that is not a slug is not looked up, and the look-up
 * goes through the narrow SECURITY DEFINER function (no tenant is set yet, so row-level security hides the table).
 */
export async function resolveTenantSlug({ db, slug }: { db: Database; slug: string }): Promise<string | null> {
  return SLUG_PATTERN.test(slug) ? db.tenantIdForSlug(slug) : null;
}

/** Creates an API key row and returns the secret once; only its SHA-256 is stored. */
export async function issueApiKey(
  tx: Parameters<Parameters<Database["withTenantTx"]>[1]>[0],
  tenantId: string,
  name: string,
): Promise<{ id: string; secret: string; prefix: string; createdAt: Date }> {
  const secret = newSecret("sk");
  const id = newId("key");
  const prefix = secret.slice(0, 10);
  const [row] = await tx
    .insert(apiKeys)
    .values({ id, tenantId, name, prefix, keyHash: await sha256Hex(secret) })
    .returning({ createdAt: apiKeys.createdAt });
  return { id, secret, prefix, createdAt: row!.createdAt };
}

export async function signup({
  db,
  input,
  config,
}: {
  db: Database;
  input: SignupInput;
  config?: ServiceConfig;
}): Promise<{ tenant: Tenant; apiKey: string }> {
  const tenantId = newId("ten");
  const userId = newId("usr");
  const passwordHash = await hashPassword(input.ownerPassword, config?.passwordPeppers);
  return db.withTenantTx(tenantId, async (tx) => {
    const [row] = await tx
      .insert(tenants)
      .values({
        id: tenantId,
        slug: input.slug,
        name: input.businessName,
        timezone: input.timezone,
        currency: input.currency,
        branding: {},
        policies: { holdMinutes: 15 },
      })
      .returning();
    await tx.insert(users).values({ id: userId, email: input.ownerEmail, passwordHash });
    await tx.insert(memberships).values({ tenantId, userId, role: "owner" });
    const key = await issueApiKey(tx, tenantId, "Default key");
    return { tenant: toTenant(row!), apiKey: key.secret };
  });
}

export async function getTenant({ ctx }: { ctx: TenantCtx }): Promise<Tenant> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [row] = await tx.select().from(tenants).where(eq(tenants.id, ctx.tenantId));
    if (!row) throw new NotFound("Tenant");
    return toTenant(row);
  });
}

export async function updateTenant({ ctx, input }: { ctx: TenantCtx; input: TenantPatch }): Promise<Tenant> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [current] = await tx.select().from(tenants).where(eq(tenants.id, ctx.tenantId)).for("update");
    if (!current) throw new NotFound("Tenant");
    if (input.currency && input.currency !== current.currency) {
      const [priced] = await tx
        .select({ id: services.id })
        .from(services)
        .where(and(ne(services.currency, input.currency), sql`${services.deletedAt} IS NULL`))
        .limit(1);
      if (priced) throw new Conflict("Change the services' prices first: they are priced in the current currency");
    }
    const [row] = await tx
      .update(tenants)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.timezone !== undefined && { timezone: input.timezone }),
        ...(input.currency !== undefined && { currency: input.currency }),
        ...(input.branding !== undefined && { branding: input.branding }),
        ...(input.policies !== undefined && {
          policies: {
            ...currentPolicies(current.policies),
            ...input.policies,
            ...(input.policies.cancellation && {
              cancellation: mergeCancellationPolicy(current.policies.cancellation, input.policies.cancellation),
            }),
          },
        }),
        ...(input.profile?.address !== undefined && { address: orNull(input.profile.address) }),
        ...(input.profile?.phone !== undefined && { phone: orNull(input.profile.phone) }),
        ...(input.profile?.about !== undefined && { about: orNull(input.profile.about) }),
        ...(input.profile?.logoUrl !== undefined && { logoUrl: orNull(input.profile.logoUrl) }),
        updatedAt: ctx.now,
      })
      .where(eq(tenants.id, ctx.tenantId))
      .returning();
    return toTenant(row!);
  });
}
