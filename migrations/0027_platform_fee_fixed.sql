-- The platform's application fee is percent + fixed (issue 13 item 3), set by the operator per business
-- (`npm run platform-fee`) or by configuration (STRIPE_PLATFORM_FEE_BPS, STRIPE_PLATFORM_FEE_FIXED); never by the
-- business. Each payment keeps the fees its balance transaction states (Stripe's and the platform's), so what a
-- payment cost is read from the payment, not recomputed from today's settings.
ALTER TABLE tenants
  ADD COLUMN platform_fee_fixed integer CHECK (platform_fee_fixed BETWEEN 0 AND 100000);

ALTER TABLE payments
  ADD COLUMN stripe_fee integer CHECK (stripe_fee >= 0),
  ADD COLUMN platform_fee integer CHECK (platform_fee >= 0);
