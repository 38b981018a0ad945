-- Money out and the truth (issue 14 items 3, 5, 6): the payouts Stripe reported (stored when a payout.* event is
-- applied, so the owner can list them and ask what each holds), reconciliation runs of a tenant's day against the
-- connected account's balance transactions with the differences they found (never posted: the owner resolves them),
-- and the alerts of the scheduled ledger checks (MONEY.md identities 1-4). All per tenant, under RLS.

CREATE TABLE payouts (
  tenant_id                        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- Stripe's id (po_…) on the tenant's connected account
  id                               text NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
  amount                           bigint NOT NULL,
  currency                         char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status                           text NOT NULL CHECK (status IN ('pending', 'in_transit', 'paid', 'failed', 'canceled')),
  arrival_date                     timestamptz,
  -- Stripe's `created`
  created_at                       timestamptz NOT NULL,
  balance_transaction_id           text,
  failure_balance_transaction_id   text,
  failure_code                     text,
  updated_at                       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX payouts_created_idx ON payouts (tenant_id, created_at, id);

CREATE TABLE reconciliation_runs (
  id                text PRIMARY KEY,
  tenant_id         text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- the UTC day whose balance transactions were held against the ledger
  day               date NOT NULL,
  trigger           text NOT NULL CHECK (trigger IN ('manual', 'scheduled')),
  started_at        timestamptz NOT NULL,
  finished_at       timestamptz NOT NULL,
  transactions      integer NOT NULL CHECK (transactions >= 0),
  differences       integer NOT NULL CHECK (differences >= 0),
  UNIQUE (tenant_id, id)
);
CREATE INDEX reconciliation_runs_started_idx ON reconciliation_runs (tenant_id, started_at, id);
-- the cron reconciles each tenant's day once
CREATE UNIQUE INDEX reconciliation_runs_scheduled_day ON reconciliation_runs (tenant_id, day) WHERE trigger = 'scheduled';

CREATE TABLE reconciliation_differences (
  id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id                text NOT NULL,
  run_id                   text NOT NULL,
  kind                     text NOT NULL CHECK (kind IN ('missing_in_ledger', 'missing_at_stripe', 'amount_differs',
                                                        'fee_differs', 'balance_differs')),
  balance_transaction_id   text,
  entry_id                 text,
  currency                 char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- what the ledger says and what Stripe says, minor units (NULL: that side has nothing)
  ledger_amount            bigint,
  stripe_amount            bigint,
  detail                   text NOT NULL,
  FOREIGN KEY (tenant_id, run_id) REFERENCES reconciliation_runs (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX reconciliation_differences_run_idx ON reconciliation_differences (tenant_id, run_id, id);

CREATE TABLE ledger_alerts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- the MONEY.md identity that failed (1-4)
  identity     smallint NOT NULL CHECK (identity BETWEEN 1 AND 4),
  currency     char(3),
  detail       text NOT NULL,
  found_at     timestamptz NOT NULL
);
CREATE INDEX ledger_alerts_found_idx ON ledger_alerts (tenant_id, found_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['payouts', 'reconciliation_runs', 'reconciliation_differences', 'ledger_alerts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON payouts TO bookra_app;
GRANT SELECT, INSERT ON reconciliation_runs, reconciliation_differences, ledger_alerts TO bookra_app;

-- The scheduled jobs visit every tenant (no RLS context yet): ids and connected accounts only.
CREATE FUNCTION tenants_for_money_checks() RETURNS TABLE (tenant_id text, stripe_account_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
  $$ SELECT id, stripe_account_id FROM tenants ORDER BY id $$;
ALTER FUNCTION tenants_for_money_checks() OWNER TO bookra_lookup;
REVOKE ALL ON FUNCTION tenants_for_money_checks() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenants_for_money_checks() TO bookra_app;
