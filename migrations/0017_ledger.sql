-- The double-entry ledger (issue 13, invariant 3; docs/ARCHITECTURE.md "The ledger"; the chart of accounts and the
-- posting rules are domain/ledger.ts): accounts created on first use, journal entries (one per fact, unique per
-- tenant and source, so a replayed event can never post twice) and their lines (signed minor units: debit +,
-- credit −). The database itself refuses an entry whose lines do not sum to zero per currency (checked at COMMIT),
-- an entry without lines, lines added to an entry after the transaction that created it, and any UPDATE or DELETE:
-- a correction is a reversing entry. A tenant with ledger history can no longer be deleted (no cascade).

CREATE TABLE ledger_accounts (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  -- `stripe_balance`, `desk:cash`, `tips_payable:stf_…`: a chart code, optionally `:` and what it is per
  code        text NOT NULL CHECK (code ~ '^[a-z][a-z_]*(:[A-Za-z0-9_]+)?$' AND length(code) <= 100),
  type        text NOT NULL CHECK (type IN ('asset', 'liability', 'income', 'expense')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, code)
);

CREATE TABLE journal_entries (
  id                 text PRIMARY KEY,
  tenant_id          text NOT NULL REFERENCES tenants (id),
  -- when the fact happened in the world (Stripe's `created` for Stripe facts), not when Bookra learned of it
  occurred_at        timestamptz NOT NULL,
  kind               text NOT NULL CHECK (kind ~ '^[a-z][a-z_.]*$' AND length(kind) <= 64),
  -- `stripe_event` + `evt_…`, `booking_completion` + `bkg_…`, `refund` + `rfd_…`: the fact, once per tenant
  source_type        text NOT NULL CHECK (source_type ~ '^[a-z][a-z_]*$' AND length(source_type) <= 64),
  source_id          text NOT NULL CHECK (length(source_id) BETWEEN 1 AND 200),
  reverses_entry_id  text,
  -- set by the database (a trigger below): the start of the creating transaction, which alone may add its lines
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, source_type, source_id),
  -- an entry is reversed at most once
  UNIQUE (tenant_id, reverses_entry_id),
  FOREIGN KEY (tenant_id, reverses_entry_id) REFERENCES journal_entries (tenant_id, id),
  CHECK (reverses_entry_id IS DISTINCT FROM id)
);
CREATE INDEX journal_entries_occurred_idx ON journal_entries (tenant_id, occurred_at, id);

CREATE TABLE journal_lines (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants (id),
  entry_id    text NOT NULL,
  account     text NOT NULL,
  -- minor units of `currency`; debit positive, credit negative; never zero
  amount      bigint NOT NULL CHECK (amount <> 0),
  currency    char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  booking_id  text,
  staff_id    text,
  service_id  text,
  FOREIGN KEY (tenant_id, entry_id) REFERENCES journal_entries (tenant_id, id),
  FOREIGN KEY (tenant_id, account) REFERENCES ledger_accounts (tenant_id, code),
  FOREIGN KEY (tenant_id, booking_id) REFERENCES bookings (tenant_id, id),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id)
);
CREATE INDEX journal_lines_entry_idx ON journal_lines (tenant_id, entry_id);
CREATE INDEX journal_lines_account_idx ON journal_lines (tenant_id, account, entry_id);
CREATE INDEX journal_lines_booking_idx ON journal_lines (tenant_id, booking_id) WHERE booking_id IS NOT NULL;

-- 1. Balanced, at COMMIT. One function for both triggers: the entry just written (or the line's entry) must have
--    lines, sum to zero in every currency, and have been created by this transaction (now() is its start).
CREATE FUNCTION journal_entry_balanced() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public, pg_temp
  AS $$
DECLARE
  v_tenant text := NEW.tenant_id;
  v_entry text;
  v_currency text;
  v_sum numeric;
BEGIN
  -- (NEW's fields are read in separate statements: each is planned only for the table that has it)
  IF TG_TABLE_NAME = 'journal_entries' THEN
    v_entry := NEW.id;
  ELSE
    v_entry := NEW.entry_id;
  END IF;
  IF TG_TABLE_NAME = 'journal_lines' AND NOT EXISTS (
       SELECT 1 FROM journal_entries e WHERE e.tenant_id = v_tenant AND e.id = v_entry AND e.created_at = now()) THEN
    RAISE EXCEPTION 'journal entry % was created by another transaction: its lines cannot change', v_entry
      USING ERRCODE = 'LGR03';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM journal_lines l WHERE l.tenant_id = v_tenant AND l.entry_id = v_entry) THEN
    RAISE EXCEPTION 'journal entry % has no lines', v_entry USING ERRCODE = 'LGR01';
  END IF;
  SELECT l.currency, sum(l.amount) INTO v_currency, v_sum
  FROM journal_lines l WHERE l.tenant_id = v_tenant AND l.entry_id = v_entry
  GROUP BY l.currency HAVING sum(l.amount) <> 0
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'journal entry % does not balance: its % lines sum to %', v_entry, v_currency, v_sum
      USING ERRCODE = 'LGR01';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT ON journal_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_balanced();
CREATE CONSTRAINT TRIGGER journal_lines_balanced AFTER INSERT ON journal_lines
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_balanced();

-- The creating transaction's start, whatever the INSERT says: what lets the check above tell "this transaction".
CREATE FUNCTION journal_entry_stamp() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public, pg_temp
  AS $$ BEGIN NEW.created_at := now(); RETURN NEW; END $$;
CREATE TRIGGER journal_entries_stamp BEFORE INSERT ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION journal_entry_stamp();

-- 2. Append-only: no UPDATE, DELETE or TRUNCATE, for anyone (the app role has not even the privilege; this trigger
--    stops the owner and cascades too). A mistake is corrected by a reversing entry.
CREATE FUNCTION ledger_append_only() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public, pg_temp
  AS $$
BEGIN
  RAISE EXCEPTION '% on % is refused: the ledger is append-only (post a reversing entry)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'LGR02';
END
$$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ledger_accounts', 'journal_entries', 'journal_lines'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION ledger_append_only()',
                   t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()',
                   t || '_no_truncate', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())', t);
  END LOOP;
END
$$;

REVOKE ALL ON FUNCTION journal_entry_balanced(), journal_entry_stamp(), ledger_append_only() FROM PUBLIC;

-- 3. Grants by use: the app reads and appends, nothing else.
REVOKE ALL ON ledger_accounts, journal_entries, journal_lines FROM bookra_app;
GRANT SELECT, INSERT ON ledger_accounts, journal_entries, journal_lines TO bookra_app;
