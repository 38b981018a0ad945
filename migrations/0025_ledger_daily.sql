-- Reports from the ledger (issue 14 item 4; docs/ARCHITECTURE.md "Reports"): a daily rollup of journal lines per
-- tenant, account, currency, staff member, service and the tenant's local day, kept by the database in the same
-- transaction (the same statement) as the posting, so a report never reads a million lines and can never disagree
-- with the journal. Why a rollup and not covering indexes: a year's revenue by day would still have to read every
-- revenue line and its entry's occurred_at (two tables); the rollup holds a few rows per day and answers a year from
-- about a hundred thousand narrow rows at most.
--
-- The local day is computed at posting time with the tenant's time zone then (tenants.timezone): a day of 23 or 25
-- hours is one day. A later change of zone does not move days already counted (a closed day stays closed, as in a
-- paper day book); the journal keeps occurred_at, so a report in another zone can always be computed from it.
--
-- Debits and credits are kept apart (amount = debits + credits) so a figure such as "tips received" (the credits to
-- tips_payable:<staff>) needs no line-level scan.
CREATE TABLE ledger_daily (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  day         date NOT NULL,
  account     text NOT NULL,
  currency    char(3) NOT NULL,
  -- '' when the lines concern no staff member / service (part of the key, so no NULLs)
  staff_id    text NOT NULL DEFAULT '',
  service_id  text NOT NULL DEFAULT '',
  debits      bigint NOT NULL DEFAULT 0 CHECK (debits >= 0),
  credits     bigint NOT NULL DEFAULT 0 CHECK (credits <= 0),
  lines       bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day, account, currency, staff_id, service_id)
);
CREATE INDEX ledger_daily_account_idx ON ledger_daily (tenant_id, account, day) INCLUDE (currency, debits, credits);

-- The trigger's own role: reads the posted entry and the tenant's zone, writes the rollup, nothing else. The app role
-- only reads the rollup (it cannot write around the trigger).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bookra_rollup') THEN
    CREATE ROLE bookra_rollup NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO bookra_rollup;
GRANT SELECT ON journal_entries, tenants TO bookra_rollup;
GRANT SELECT, INSERT, UPDATE ON ledger_daily TO bookra_rollup;
CREATE POLICY rollup_read ON journal_entries FOR SELECT TO bookra_rollup USING (true);
CREATE POLICY rollup_read ON tenants FOR SELECT TO bookra_rollup USING (true);
CREATE POLICY rollup_write ON ledger_daily FOR ALL TO bookra_rollup USING (true) WITH CHECK (true);

-- One upsert per statement (postEntry writes an entry's lines in one statement), its rows in key order so two
-- postings that touch the same days lock them in the same order and never deadlock.
CREATE FUNCTION ledger_daily_add() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$
BEGIN
  INSERT INTO ledger_daily AS d (tenant_id, day, account, currency, staff_id, service_id, debits, credits, lines)
  SELECT n.tenant_id, (e.occurred_at AT TIME ZONE t.timezone)::date, n.account, n.currency,
         coalesce(n.staff_id, ''), coalesce(n.service_id, ''),
         sum(greatest(n.amount, 0)), sum(least(n.amount, 0)), count(*)
  FROM new_lines n
  JOIN journal_entries e ON e.tenant_id = n.tenant_id AND e.id = n.entry_id
  JOIN tenants t ON t.id = n.tenant_id
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (tenant_id, day, account, currency, staff_id, service_id) DO UPDATE
    SET debits = d.debits + EXCLUDED.debits, credits = d.credits + EXCLUDED.credits, lines = d.lines + EXCLUDED.lines;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ledger_daily_add() FROM PUBLIC;
ALTER FUNCTION ledger_daily_add() OWNER TO bookra_rollup;

CREATE TRIGGER journal_lines_daily AFTER INSERT ON journal_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION ledger_daily_add();

-- The lines already posted, once.
INSERT INTO ledger_daily (tenant_id, day, account, currency, staff_id, service_id, debits, credits, lines)
SELECT l.tenant_id, (e.occurred_at AT TIME ZONE t.timezone)::date, l.account, l.currency,
       coalesce(l.staff_id, ''), coalesce(l.service_id, ''),
       sum(greatest(l.amount, 0)), sum(least(l.amount, 0)), count(*)
FROM journal_lines l
JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
JOIN tenants t ON t.id = l.tenant_id
GROUP BY 1, 2, 3, 4, 5, 6;

ALTER TABLE ledger_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_daily FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ledger_daily USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
-- The app only reads it: the trigger (SECURITY DEFINER) writes.
GRANT SELECT ON ledger_daily TO bookra_app;
