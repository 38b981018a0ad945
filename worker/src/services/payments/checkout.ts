// The booking's Checkout Session: created once per booking (idempotency key `checkout:<booking>`), its id and URL
// stored with the booking, and the stored URL handed out again on every later request. The booking row is locked
// while Stripe is asked, so two first requests at once create one session between them.
import { eq } from "drizzle-orm";
import { bookings, customers, tenants } from "../../db/schema/index.ts";
import { applicationFee } from "../../domain/pricing.ts";
import { AppError, NotFound } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { paymentsProviderFor } from "../../providers/stripe.ts";
import type { TenantCtx } from "../context.ts";

/** Stripe's shortest Checkout Session (seconds): a shorter hold is enforced when the payment lands (late payment). */
export const CHECKOUT_MIN_SECONDS = 30 * 60;

/**
 * The URL that takes the booking's deposit: the stored one when there is one, else a new session on the tenant's
 * connected account. Nothing to pay (confirmed, expired, cancelled) → null. No Stripe key or no enabled account →
 * 409 PAYMENTS_NOT_READY.
 */
export async function checkoutUrlFor({
  ctx,
  bookingId,
  manageToken,
  manageUrl,
}: {
  ctx: TenantCtx;
  bookingId: string;
  manageToken: string;
  manageUrl: string;
}): Promise<string | null> {
  const tokenHash = await sha256Hex(manageToken);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [row] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (!row || row.manageTokenHash !== tokenHash) throw new NotFound("Booking");
    if (row.status !== "pending_payment" || row.depositAmount <= 0) return null;
    if (row.checkoutUrl) return row.checkoutUrl;
    const provider = paymentsProviderFor(ctx.config.stripe);
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, ctx.tenantId));
    if (!provider || !tenant?.stripeAccountId || !tenant.stripeChargesEnabled)
      throw new AppError("PAYMENTS_NOT_READY", "This business cannot take payments online yet");
    const [customer] = await tx.select().from(customers).where(eq(customers.id, row.customerId));
    const holdEnd = Math.floor((row.holdExpiresAt ?? ctx.now).getTime() / 1000);
    // The operator's fee for this business, else the configured default (each part on its own).
    const feeBps = tenant.platformFeeBps ?? ctx.config.stripe?.platformFeeBps ?? 0;
    const feeFixed = tenant.platformFeeFixed ?? ctx.config.stripe?.platformFeeFixed ?? 0;
    const session = await provider.createCheckoutSession({
      account: tenant.stripeAccountId,
      bookingId: row.id,
      amount: row.depositAmount,
      currency: row.currency,
      description: `Deposit for your appointment on ${row.startsAt.toISOString().slice(0, 16).replace("T", " ")} UTC`,
      applicationFeeAmount: applicationFee(row.depositAmount, feeBps, feeFixed),
      successUrl: manageUrl,
      cancelUrl: manageUrl,
      expiresAt: Math.max(holdEnd, Math.floor(ctx.now.getTime() / 1000) + CHECKOUT_MIN_SECONDS),
      customerEmail: customer?.email ?? undefined,
    });
    await tx
      .update(bookings)
      .set({ checkoutSessionId: session.id, checkoutUrl: session.url })
      .where(eq(bookings.id, row.id));
    return session.url;
  });
}
