// Payments over HTTP: the Stripe webhook (signature checked on the raw body by the `stripe` package) and the
// booking's checkout link, which sends the customer to the booking's one Stripe Checkout Session. No route here can
// mark a booking paid: only a signed event from Stripe (or the local emulator, which signs as Stripe does) can.
import { AppError, ValidationFailed } from "../../errors.ts";
import { paymentsProviderFor, type StripeEvent } from "../../providers/stripe.ts";
import { applyStripeEvent } from "../../services/payments/apply-event.ts";
import { checkoutUrlFor } from "../../services/payments/checkout.ts";
import { publicCtx } from "../context.ts";
import { resolvePublicTenant } from "../public/tenant.ts";
import type { App } from "../types.ts";

export function registerPaymentRoutes(app: App): void {
  app.post("/v1/webhooks/stripe", async (c) => {
    // A webhook secret without an API key takes nothing: the server cannot have asked Stripe for any payment.
    const provider = paymentsProviderFor(c.var.deps.config.stripe);
    if (!provider) throw new AppError("NOT_FOUND", "Stripe webhooks are not configured");
    const raw = await c.req.text();
    const now = c.var.deps.now();
    let event: StripeEvent;
    try {
      event = await provider.verifyEvent(raw, c.req.header("stripe-signature") ?? "");
    } catch {
      throw new ValidationFailed("Invalid Stripe signature");
    }
    const result = await applyStripeEvent({ db: c.var.db(), event, now, provider });
    return c.json({ received: true, result }, 200);
  });

  app.use("/checkout/:tenant/*", resolvePublicTenant);
  app.get("/checkout/:tenant/:id", async (c) => {
    const token = c.req.query("token");
    if (!token) throw new AppError("UNAUTHENTICATED", "The booking's manage token is required");
    const id = c.req.param("id") ?? "";
    const manageUrl = `${c.var.deps.config.publicBaseUrl}/manage/${c.req.param("tenant")}/${id}?token=${token}`;
    const url = await checkoutUrlFor({ ctx: publicCtx(c), bookingId: id, manageToken: token, manageUrl });
    return c.redirect(url ?? manageUrl, 303);
  });
}
