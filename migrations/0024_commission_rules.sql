-- Commission rules and staff payments (issue 14 items 1–2). A staff member's default rule (service_id NULL) and
-- per-service overrides, each effective from a local date: the rule in force at an appointment's start is the one
-- with the latest effective_from on or before that date (a service's own rule before the default). Posted
-- commissions are journal lines and never change: a new rule applies only to completions from its date.

CREATE TABLE commission_rules (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id),
  staff_id        text NOT NULL,
  service_id      text,
  kind            text NOT NULL CHECK (kind IN ('percent', 'fixed')),
  -- percent: basis points of the revenue recognised (tips excluded); fixed: minor units per appointment
  rate_bps        integer CHECK (rate_bps BETWEEN 0 AND 10000),
  amount          bigint CHECK (amount >= 0),
  effective_from  date NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id) ON DELETE CASCADE,
  CHECK ((kind = 'percent') = (rate_bps IS NOT NULL) AND (kind = 'fixed') = (amount IS NOT NULL))
);
CREATE INDEX commission_rules_staff_idx ON commission_rules (tenant_id, staff_id, effective_from);

-- A staff member paid their commission and tips: the row says how and for which period; the journal entry
-- (source commission_payment:<id>) carries the money.
CREATE TABLE staff_payments (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id),
  staff_id     text NOT NULL,
  amount       bigint NOT NULL CHECK (amount > 0),
  commission   bigint NOT NULL CHECK (commission >= 0),
  tips         bigint NOT NULL CHECK (tips >= 0),
  currency     char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  method       text NOT NULL CHECK (method IN ('bank', 'cash')),
  period_from  date NOT NULL,
  period_to    date NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id),
  CHECK (commission + tips = amount),
  CHECK (period_from <= period_to)
);
CREATE INDEX staff_payments_staff_idx ON staff_payments (tenant_id, staff_id, created_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['commission_rules', 'staff_payments'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())', t);
  END LOOP;
END
$$;

-- Rules are settings (a PUT replaces a staff member's list); payments are a record, like the ledger they post.
GRANT SELECT, INSERT, DELETE ON commission_rules TO bookra_app;
GRANT SELECT, INSERT ON staff_payments TO bookra_app;
