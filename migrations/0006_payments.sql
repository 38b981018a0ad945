-- Payments for deposits and prepayments: Stripe events applied once per tenant, and what was paid for which booking.
CREATE TABLE payment_events (
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  event_id     text NOT NULL,
  event_type   text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, event_id)
);

CREATE TABLE payments (
  id                 text PRIMARY KEY,
  tenant_id          text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  booking_id         text NOT NULL REFERENCES bookings (id),
  amount             bigint NOT NULL CHECK (amount > 0),
  currency           char(3) NOT NULL,
  provider_ref       text NOT NULL,
  status             text NOT NULL CHECK (status IN ('succeeded', 'refund_required')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, provider_ref)
);
CREATE INDEX payments_booking_idx ON payments (booking_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['payment_events', 'payments'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())', t);
  END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE ON payment_events, payments TO bookra_app;
