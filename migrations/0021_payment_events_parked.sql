-- Stripe events that move money whatever Bookra started (issue 13 items 7, 8): disputes flag the booking they concern;
-- refunds made in Stripe's dashboard are recorded as refunds of origin `stripe`; a payment that arrived after its
-- hold lapsed and found the time taken is refunded in full automatically (origin `slot_taken`). An event about a
-- charge Bookra does not know yet (its checkout.session.completed has not been applied) is parked here, with what
-- Stripe said about its money, and applied in the transaction that makes the charge known — never dropped.
ALTER TABLE bookings DROP CONSTRAINT bookings_payment_flag_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_payment_flag_check
  CHECK (payment_flag IN ('amount_mismatch', 'disputed', 'dispute_won', 'dispute_lost'));

ALTER TABLE refunds DROP CONSTRAINT refunds_origin_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_origin_check
  CHECK (origin IN ('manual', 'cancellation', 'no_show', 'stripe', 'slot_taken'));

CREATE TABLE payment_events_parked (
  tenant_id       text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  event_id        text NOT NULL,
  -- the PaymentIntent whose payment the event waits for (payments.provider_ref once it is known)
  payment_intent  text NOT NULL,
  -- the verified event, and the balance transaction Stripe gave for it (asked before parking)
  event           jsonb NOT NULL,
  balance         jsonb,
  parked_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX payment_events_parked_intent_idx ON payment_events_parked (tenant_id, payment_intent);

ALTER TABLE payment_events_parked ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_events_parked FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_events_parked USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
GRANT SELECT, INSERT, DELETE ON payment_events_parked TO bookra_app;
