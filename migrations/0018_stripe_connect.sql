-- Stripe Connect (issue 13 items 1, 3, 4): each tenant's connected account and its state as account.updated reports
-- it, the platform fee the platform (never the tenant) sets, and each booking's one Checkout Session, stored so a
-- refresh hands out the same URL. A paid event whose amount or currency differs from the deposit flags the booking
-- (payment_flag) instead of confirming it.
ALTER TABLE tenants
  ADD COLUMN stripe_account_id text UNIQUE,
  ADD COLUMN stripe_charges_enabled boolean NOT NULL DEFAULT false,
  ADD COLUMN stripe_payouts_enabled boolean NOT NULL DEFAULT false,
  ADD COLUMN stripe_requirements jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- NULL: the platform's configured default (STRIPE_PLATFORM_FEE_BPS); set by the operator script only.
  ADD COLUMN platform_fee_bps integer CHECK (platform_fee_bps BETWEEN 0 AND 5000);

ALTER TABLE bookings
  ADD COLUMN checkout_session_id text,
  ADD COLUMN checkout_url text,
  ADD COLUMN payment_flag text CHECK (payment_flag IN ('amount_mismatch'));

-- Events from connected accounts are routed by event.account: found before the tenant is known (no RLS context).
CREATE FUNCTION tenant_for_stripe_account(account text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
  $$ SELECT id FROM tenants WHERE stripe_account_id = account $$;
ALTER FUNCTION tenant_for_stripe_account(text) OWNER TO bookra_lookup;
REVOKE ALL ON FUNCTION tenant_for_stripe_account(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_for_stripe_account(text) TO bookra_app;
