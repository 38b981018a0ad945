// The real Stripe adapter: a Checkout Session for the amount owed, created idempotently per booking.
export interface CheckoutRequest {
  secretKey: string;
  bookingId: string;
  tenantId: string;
  amount: number;
  currency: string;
  description: string;
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
  fetch?: typeof fetch;
}

export async function createStripeCheckoutSession(req: CheckoutRequest): Promise<{ id: string; url: string }> {
  const form = new URLSearchParams({
    mode: "payment",
    success_url: req.successUrl,
    cancel_url: req.cancelUrl,
    "line_items[0][quantity]": "1",
    "line_items[0][price_data][currency]": req.currency.toLowerCase(),
    "line_items[0][price_data][unit_amount]": String(req.amount),
    "line_items[0][price_data][product_data][name]": req.description,
    "metadata[tenantId]": req.tenantId,
    "metadata[bookingId]": req.bookingId,
    // Stripe allows at least 30 minutes; a shorter hold is enforced by us when the payment lands.
    expires_at: String(Math.max(Math.floor(req.expiresAt.getTime() / 1000), Math.floor(Date.now() / 1000) + 1800)),
  });
  const res = await (req.fetch ?? fetch)("https://api.stripe.com/v1/checkout/sessions", {
    method: "POST",
    headers: {
      authorization: `Bearer ${req.secretKey}`,
      "content-type": "application/x-www-form-urlencoded",
      "idempotency-key": `checkout-${req.bookingId}`,
    },
    body: form,
  });
  const body = (await res.json()) as { id?: string; url?: string; error?: { message?: string } };
  if (!res.ok || !body.id || !body.url)
    throw new Error(`Stripe checkout failed: ${res.status} ${body.error?.message ?? ""}`);
  return { id: body.id, url: body.url };
}
