-- Paying at the venue (issue 13 item 6): what a completion settled, once per booking, and the money taken at the
-- desk by method. The completion's journal entries (booking_completion:<id>, commission:<id>) are posted in the same
-- transaction; these rows say what the owner entered, so a repeated completion can be told from a different one.

CREATE TABLE booking_completions (
  tenant_id      text NOT NULL REFERENCES tenants (id),
  booking_id     text NOT NULL,
  currency       char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- the booking's price and the deposits its customer_deposits held when it was completed (minor units)
  price          bigint NOT NULL CHECK (price >= 0),
  deposits       bigint NOT NULL CHECK (deposits >= 0),
  discount       bigint NOT NULL DEFAULT 0 CHECK (discount >= 0),
  tip            bigint NOT NULL DEFAULT 0 CHECK (tip >= 0),
  tip_staff_id   text,
  -- left unpaid by the owner's choice (`acceptBalanceDue`); never recognised as revenue
  balance_due    bigint NOT NULL DEFAULT 0 CHECK (balance_due >= 0),
  revenue        bigint NOT NULL CHECK (revenue >= 0),
  commission     bigint NOT NULL DEFAULT 0 CHECK (commission >= 0),
  -- SHA-256 of the canonical request: the same completion again replays, another one is refused
  request_hash   text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
  completed_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, booking_id),
  FOREIGN KEY (tenant_id, booking_id) REFERENCES bookings (tenant_id, id),
  FOREIGN KEY (tenant_id, tip_staff_id) REFERENCES staff (tenant_id, id),
  CHECK ((tip > 0) = (tip_staff_id IS NOT NULL))
);

CREATE TABLE desk_payments (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id),
  booking_id   text NOT NULL,
  method       text NOT NULL CHECK (method IN ('cash', 'card', 'other')),
  amount       bigint NOT NULL CHECK (amount > 0),
  currency     char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, booking_id) REFERENCES booking_completions (tenant_id, booking_id)
);
CREATE INDEX desk_payments_booking_idx ON desk_payments (tenant_id, booking_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['booking_completions', 'desk_payments'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())', t);
  END LOOP;
END
$$;

-- Money taken is a record, like the ledger it posts: the app reads and appends.
GRANT SELECT, INSERT ON booking_completions, desk_payments TO bookra_app;
