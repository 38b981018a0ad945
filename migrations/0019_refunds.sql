-- Refunds (issue 13 item 5; domain/refunds.ts decides how much, services/refunds/ writes them): one row per refund a
-- business decided — by its owner, or by the cancellation policy on a cancellation or no-show — written in the same
-- transaction as its ledger entry (source `refund:<id>`) and its `payments.refund` outbox row. The effect asks Stripe;
-- the state comes back as pending → succeeded | failed. A failed refund is still owed (it stays in `refunds_payable`)
-- and is retried as the next `attempt` of the same row, under a new Stripe idempotency key.
CREATE TABLE refunds (
  id                     text PRIMARY KEY CHECK (id ~ '^rfd_[A-Za-z0-9]+$'),
  tenant_id              text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  booking_id             text NOT NULL,
  -- the payment refunded (its provider_ref is the Stripe PaymentIntent); null when the booking has none recorded
  payment_id             text REFERENCES payments (id),
  amount                 bigint NOT NULL CHECK (amount > 0),
  currency               char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason                 text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  -- who decided: the owner's refund route, or the policy on a cancellation (by customer or owner) or a no-show
  origin                 text NOT NULL CHECK (origin IN ('manual', 'cancellation', 'no_show')),
  status                 text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempt                integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
  stripe_payment_intent  text,
  stripe_refund_id       text,
  failure_reason         text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  settled_at             timestamptz,
  UNIQUE (tenant_id, stripe_refund_id),
  FOREIGN KEY (tenant_id, booking_id) REFERENCES bookings (tenant_id, id)
);
CREATE INDEX refunds_booking_idx ON refunds (tenant_id, booking_id, created_at);

ALTER TABLE refunds ENABLE ROW LEVEL SECURITY;
ALTER TABLE refunds FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON refunds USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
GRANT SELECT, INSERT, UPDATE ON refunds TO bookra_app;
