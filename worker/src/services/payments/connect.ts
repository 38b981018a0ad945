// Stripe Connect for a tenant: its connected account is created once (stored on the tenant), an onboarding link is
// made on every request, and account.updated events keep the stored state current.
import { eq } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { tenants } from "../../db/schema/index.ts";
import { AppError } from "../../errors.ts";
import { type ConnectedAccountState, paymentsProviderFor } from "../../providers/stripe.ts";
import type { PaymentsState } from "../../schemas/payments.ts";
import type { TenantCtx } from "../context.ts";

type TenantRow = typeof tenants.$inferSelect;

function stateOf(row: TenantRow): PaymentsState {
  return {
    connected: row.stripeAccountId !== null,
    accountId: row.stripeAccountId,
    chargesEnabled: row.stripeChargesEnabled,
    payoutsEnabled: row.stripePayoutsEnabled,
    requirements: row.stripeRequirements,
  };
}

function providerOrRefuse(ctx: TenantCtx) {
  const provider = paymentsProviderFor(ctx.config.stripe);
  if (!provider) throw new AppError("PAYMENTS_NOT_READY", "Stripe is not configured on this server");
  return provider;
}

export async function getPaymentsState({ ctx }: { ctx: TenantCtx }): Promise<PaymentsState> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [row] = await tx.select().from(tenants).where(eq(tenants.id, ctx.tenantId));
    if (!row) throw new AppError("NOT_FOUND", "Tenant not found");
    return stateOf(row);
  });
}

/** The onboarding URL; the connected account is created on the first call only (the tenant row is locked meanwhile). */
export async function connectStripe({
  ctx,
  returnUrl,
  refreshUrl,
}: {
  ctx: TenantCtx;
  returnUrl: string;
  refreshUrl: string;
}): Promise<{ url: string; state: PaymentsState }> {
  const provider = providerOrRefuse(ctx);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    let [row] = await tx.select().from(tenants).where(eq(tenants.id, ctx.tenantId)).for("update");
    if (!row) throw new AppError("NOT_FOUND", "Tenant not found");
    if (!row.stripeAccountId) {
      const account = await provider.createConnectedAccount({ tenantId: ctx.tenantId });
      [row] = await storeAccountState(tx, ctx.tenantId, account);
      if (!row) throw new AppError("NOT_FOUND", "Tenant not found");
    }
    const url = await provider.createOnboardingLink({ account: row.stripeAccountId!, returnUrl, refreshUrl });
    return { url, state: stateOf(row) };
  });
}

export function storeAccountState(tx: Tx, tenantId: string, account: ConnectedAccountState) {
  return tx
    .update(tenants)
    .set({
      stripeAccountId: account.id,
      stripeChargesEnabled: account.chargesEnabled,
      stripePayoutsEnabled: account.payoutsEnabled,
      stripeRequirements: account.requirements,
    })
    .where(eq(tenants.id, tenantId))
    .returning();
}
