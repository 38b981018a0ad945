-- Ledger alerts are read and not repeated (issue 14): the hourly ledger check found a lasting failure again every
-- hour and wrote a new row each time. Now one alert per tenant + identity + subject (what failed: an entry, a
-- booking, the ledger's total in a currency), seen first and last, with how many check runs found it; the check
-- updates the row it already has. `found_at` becomes `first_seen_at`.
ALTER TABLE ledger_alerts RENAME COLUMN found_at TO first_seen_at;
ALTER TABLE ledger_alerts
  ADD COLUMN subject      text CHECK (length(subject) BETWEEN 1 AND 200),
  ADD COLUMN last_seen_at timestamptz,
  ADD COLUMN count        integer NOT NULL DEFAULT 1 CHECK (count >= 1);

-- Rows written before this migration have no subject: their detail stands for it (it names the entry or booking),
-- and repeats of one detail collapse into their first row.
UPDATE ledger_alerts SET subject = left('detail:' || detail, 200), last_seen_at = first_seen_at;
WITH g AS (
  SELECT min(id) AS keep, tenant_id, identity, subject, min(first_seen_at) AS first_seen_at,
         max(last_seen_at) AS last_seen_at, count(*)::integer AS n
  FROM ledger_alerts GROUP BY tenant_id, identity, subject HAVING count(*) > 1)
UPDATE ledger_alerts a SET first_seen_at = g.first_seen_at, last_seen_at = g.last_seen_at, count = g.n
  FROM g WHERE a.id = g.keep;
DELETE FROM ledger_alerts a USING ledger_alerts b
  WHERE a.tenant_id = b.tenant_id AND a.identity = b.identity AND a.subject = b.subject AND a.id > b.id;

ALTER TABLE ledger_alerts
  ALTER COLUMN subject SET NOT NULL,
  ALTER COLUMN last_seen_at SET NOT NULL,
  ADD CONSTRAINT ledger_alerts_seen_order CHECK (last_seen_at >= first_seen_at);
DROP INDEX ledger_alerts_found_idx;
CREATE UNIQUE INDEX ledger_alerts_subject_key ON ledger_alerts (tenant_id, identity, subject);
-- GET /v1/admin/ledger/alerts: newest (last seen) first
CREATE INDEX ledger_alerts_last_seen_idx ON ledger_alerts (tenant_id, last_seen_at DESC, id DESC);

GRANT UPDATE (detail, currency, last_seen_at, count) ON ledger_alerts TO bookra_app;
