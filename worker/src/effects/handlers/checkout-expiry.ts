// The `checkout-expiry` effect: a held booking cancelled before it was paid has its Checkout Session expired on the
// business's connected account, so the customer cannot pay for a booking that no longer exists. A session Stripe
// says is complete was paid meanwhile: that payment is refunded in full when its webhook arrives (apply-event, origin
// `booking_cancelled`), so the effect is done; one already expired is done too. A hold that lapses (booking.expired)
// keeps its session: a payment after the hold lapsed still confirms the booking if its time is free.
import { eq } from "drizzle-orm";
import { bookings, payments, tenants } from "../../db/schema/index.ts";
import type { EffectHandler, OutboxEvent } from "../../outbox/types.ts";
import type { PaymentsProvider } from "../../providers/stripe.ts";

export const CHECKOUT_EXPIRY_HANDLER = "checkout-expiry";

/** Only a booking cancelled while it waited for its payment can have an open session to expire. */
const heldWhenCancelled = (event: OutboxEvent) => event.payload.previousStatus === "pending_payment";

export function createCheckoutExpiryHandler(provider: PaymentsProvider | undefined): EffectHandler<unknown> {
  return {
    name: CHECKOUT_EXPIRY_HANDLER,
    events: ["booking.cancelled"],
    // Without Stripe no session was ever made.
    idle: (event) => !provider || !heldWhenCancelled(event),
    async run({ tx, event }) {
      if (!provider || !heldWhenCancelled(event)) return;
      const [booking] = await tx
        .select({ id: bookings.id, session: bookings.checkoutSessionId })
        .from(bookings)
        .where(eq(bookings.id, event.aggregateId));
      if (!booking?.session) return;
      // A payment recorded already: the refund path owns it, and the session is complete anyway.
      const [paid] = await tx
        .select({ id: payments.id })
        .from(payments)
        .where(eq(payments.bookingId, booking.id))
        .limit(1);
      if (paid) return;
      const [tenant] = await tx
        .select({ account: tenants.stripeAccountId })
        .from(tenants)
        .where(eq(tenants.id, event.tenantId));
      if (!tenant?.account) throw new Error(`Booking ${booking.id}: the business has no connected Stripe account`);
      await provider.expireCheckoutSession({
        account: tenant.account,
        sessionId: booking.session,
        bookingId: booking.id,
      });
    },
  };
}
