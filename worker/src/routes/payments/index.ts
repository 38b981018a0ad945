// Payments over HTTP: the Stripe webhook (signature checked on the raw body) and the checkout link in a booking.
// Without Stripe keys the checkout link shows a local payment page that sends a correctly signed Stripe-format event
// through the same webhook route.
import type { Context } from "hono";
import { AppError, NotFound, ValidationFailed } from "../../errors.ts";
import { randomString } from "../../lib/ids.ts";
import { createStripeCheckoutSession } from "../../payments/stripe-checkout.ts";
import { signStripePayload, verifyStripeSignature } from "../../payments/stripe-signature.ts";
import { getBooking } from "../../services/bookings/manage.ts";
import { applyStripeEvent, type StripeEvent } from "../../services/payments/apply-event.ts";
import { publicCtx } from "../context.ts";
import { pageNonce } from "../page-headers.ts";
import { resolvePublicTenant } from "../public/tenant.ts";
import type { App, AppEnv } from "../types.ts";
import { checkoutPage, paidPage } from "./pages.ts";

export function registerPaymentRoutes(app: App): void {
  app.post("/v1/webhooks/stripe", async (c) => {
    const secret = c.var.deps.config.stripe?.webhookSecret;
    if (!secret) throw new AppError("NOT_FOUND", "Stripe webhooks are not configured");
    const raw = await c.req.text();
    const header = c.req.header("stripe-signature") ?? "";
    const now = c.var.deps.now();
    if (!(await verifyStripeSignature(raw, header, secret, Math.floor(now.getTime() / 1000))))
      throw new ValidationFailed("Invalid Stripe signature");
    let event: StripeEvent;
    try {
      event = JSON.parse(raw) as StripeEvent;
      if (typeof event.id !== "string" || typeof event.type !== "string" || typeof event.data?.object !== "object")
        throw new Error();
    } catch {
      throw new ValidationFailed("Not a Stripe event");
    }
    const result = await applyStripeEvent({ db: c.var.db(), event, now });
    return c.json({ received: true, result }, 200);
  });

  app.use("/checkout/:tenant/*", resolvePublicTenant);
  app.get("/checkout/:tenant/:id", async (c) => {
    const { booking, token } = await heldBooking(c);
    const stripeKey = c.var.deps.config.stripe?.secretKey;
    const manageUrl = `${c.var.deps.config.publicBaseUrl}/manage/${c.req.param("tenant")}/${booking.id}?token=${token}`;
    if (booking.status === "pending_payment" && stripeKey && booking.deposit) {
      const session = await createStripeCheckoutSession({
        secretKey: stripeKey,
        bookingId: booking.id,
        tenantId: c.var.tenantId,
        amount: booking.deposit.amount,
        currency: booking.deposit.currency,
        description: `Deposit for your appointment on ${booking.start}`,
        successUrl: manageUrl,
        cancelUrl: manageUrl,
        expiresAt: new Date(booking.holdExpiresAt ?? Date.now()),
      });
      return c.redirect(session.url, 303);
    }
    return c.html(
      checkoutPage({ booking, token, tenant: c.req.param("tenant") ?? "", manageUrl, nonce: pageNonce(c) }),
    );
  });

  app.post("/checkout/:tenant/:id/pay", async (c) => {
    const secret = c.var.deps.config.stripe?.webhookSecret;
    if (!secret || c.var.deps.config.stripe?.secretKey) throw new NotFound("Local checkout");
    const { booking, token } = await heldBooking(c);
    if (booking.status !== "pending_payment" || !booking.deposit)
      return c.html(paidPage(booking, token, c.req.param("tenant") ?? "", pageNonce(c)));
    const event = {
      id: `evt_local_${randomString(24)}`,
      object: "event",
      type: "checkout.session.completed",
      created: Math.floor(c.var.deps.now().getTime() / 1000),
      data: {
        object: {
          id: `cs_local_${booking.id}`,
          object: "checkout.session",
          amount_total: booking.deposit.amount,
          currency: booking.deposit.currency.toLowerCase(),
          payment_status: "paid",
          payment_intent: `pi_local_${booking.id}`,
          metadata: { tenantId: c.var.tenantId, bookingId: booking.id },
        },
      },
    };
    const payload = JSON.stringify(event);
    const signature = await signStripePayload(secret, payload, event.created);
    // Through the real webhook route, exactly as Stripe would call it.
    const res = await app.request("/v1/webhooks/stripe", {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: payload,
    });
    if (!res.ok) throw new AppError("INTERNAL", `Local webhook refused: ${res.status}`);
    const after = await getBooking({
      ctx: publicCtx(c),
      id: booking.id,
      actor: { kind: "customer", manageToken: token },
    });
    return c.html(paidPage(after, token, c.req.param("tenant") ?? "", pageNonce(c)));
  });
}

async function heldBooking(c: Context<AppEnv>) {
  const token = c.req.query("token");
  if (!token) throw new AppError("UNAUTHENTICATED", "The booking's manage token is required");
  const booking = await getBooking({
    ctx: publicCtx(c),
    id: c.req.param("id") ?? "",
    actor: { kind: "customer", manageToken: token },
  });
  return { booking, token };
}
