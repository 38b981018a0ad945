-- Hardening of the database (issue 10, §5): least privilege for the app role, reviewed SECURITY DEFINER functions,
-- tenant-consistent foreign keys, and the operations a growing database needs (an index for the reminder sweep,
-- statement-level schedule-version triggers, a bounded retention sweep).

-- 1. Local developer tools leave production. The dev mailbox's cross-tenant readers are re-created by the local-only
--    set (migrations/local/), which `npm run db:migrate` never applies. The table they read, dev_outbox_messages,
--    stays: it is tenant-isolated, and a worker without provider credentials records into it.
DROP FUNCTION IF EXISTS dev_mailbox(integer);
DROP FUNCTION IF EXISTS dev_webhook_deliveries(integer);
DROP POLICY IF EXISTS lookup_read ON dev_outbox_messages;
DROP POLICY IF EXISTS lookup_read ON webhook_deliveries;
DROP POLICY IF EXISTS lookup_read ON webhook_endpoints;
REVOKE SELECT ON dev_outbox_messages, webhook_deliveries FROM bookra_lookup;
REVOKE SELECT (id, tenant_id, url) ON webhook_endpoints FROM bookra_lookup;

-- 2. Grants match use. The worker deletes only these rows: a staff member's links to services, weekly hours, date
--    overrides and time off (replaced on edit), an idempotency key whose request failed, and an outbox completion whose
--    handler must run again. Everything else is kept (soft deletes, statuses) or swept by retention_sweep() below.
REVOKE DELETE ON tenants, users, memberships, api_keys, staff, services, customers, bookings, outbox,
  webhook_endpoints, webhook_deliveries, dev_outbox_messages, tenant_channels, staff_calendar_connections,
  staff_calendar_feeds, invoice_counters, invoices, booking_reminders
  FROM bookra_app;

-- 3. The invoice link's token is checked by the database too, as the staff feed's is: only its SHA-256 is stored.
--    (Invoices issued before this migration have no hash, so their links stop working; no link was ever sent.)
ALTER TABLE invoices ADD COLUMN token_hash text;
DROP FUNCTION invoice_tenant(text);
CREATE FUNCTION invoice_tenant(p_invoice_id text, p_token_hash text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER
  AS $$ SELECT tenant_id FROM invoices WHERE id = p_invoice_id AND token_hash = p_token_hash $$;
ALTER FUNCTION invoice_tenant(text, text) OWNER TO bookra_lookup;
REVOKE ALL ON FUNCTION invoice_tenant(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION invoice_tenant(text, text) TO bookra_app;

-- 4. A booking's payments, invoice and reminders belong to the booking's tenant: composite foreign keys make a row
--    pointing at another tenant's booking impossible, whatever the app does. (NOT VALID + VALIDATE: the check of
--    existing rows takes no lock that blocks writers.)
ALTER TABLE bookings ADD CONSTRAINT bookings_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE payments DROP CONSTRAINT payments_booking_id_fkey;
ALTER TABLE payments ADD CONSTRAINT payments_booking_fkey
  FOREIGN KEY (tenant_id, booking_id) REFERENCES bookings (tenant_id, id) NOT VALID;
ALTER TABLE invoices ADD CONSTRAINT invoices_booking_fkey
  FOREIGN KEY (tenant_id, booking_id) REFERENCES bookings (tenant_id, id) NOT VALID;
ALTER TABLE booking_reminders ADD CONSTRAINT booking_reminders_booking_fkey
  FOREIGN KEY (tenant_id, booking_id) REFERENCES bookings (tenant_id, id) NOT VALID;
ALTER TABLE payments VALIDATE CONSTRAINT payments_booking_fkey;
ALTER TABLE invoices VALIDATE CONSTRAINT invoices_booking_fkey;
ALTER TABLE booking_reminders VALIDATE CONSTRAINT booking_reminders_booking_fkey;

-- 5. The per-minute reminder sweep (reminders_due) reads confirmed bookings starting in the next 24 h: without this
--    it scanned every booking ever made.
CREATE INDEX bookings_reminders_due_idx ON bookings (starts_at) WHERE status = 'confirmed';

-- 6. Schedule versions (0009). The tenant's own row renews its version only when something the engine reads changes:
--    not for branding, its display name or updated_at (any other column, present or future, renews it). The tables
--    of the schedule bump it once per statement, not once per row (replacing a week of hours was 14 updates).
DROP TRIGGER tenants_schedule_version ON tenants;
CREATE TRIGGER tenants_schedule_version BEFORE UPDATE ON tenants
  FOR EACH ROW
  WHEN ((to_jsonb(OLD) - ARRAY['branding', 'name', 'updated_at', 'schedule_version'])
        IS DISTINCT FROM (to_jsonb(NEW) - ARRAY['branding', 'name', 'updated_at', 'schedule_version'])
        AND OLD.schedule_version = NEW.schedule_version)
  EXECUTE FUNCTION renew_schedule_version();

-- Runs as the caller, under row-level security (as 0009's): the changed rows belong to app_tenant().
CREATE FUNCTION bump_schedule_versions() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE tenants SET schedule_version = gen_random_uuid() WHERE id IN (SELECT DISTINCT tenant_id FROM new_rows);
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE tenants SET schedule_version = gen_random_uuid()
    WHERE id IN (SELECT tenant_id FROM new_rows UNION SELECT tenant_id FROM old_rows);
  ELSE
    UPDATE tenants SET schedule_version = gen_random_uuid() WHERE id IN (SELECT DISTINCT tenant_id FROM old_rows);
  END IF;
  RETURN NULL;
END
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['services', 'staff', 'staff_services', 'weekly_hours', 'date_overrides', 'time_off'] LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', t || '_schedule_version', t);
    -- A trigger with transition tables serves one event, hence three.
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_schedule_versions()', t || '_schedule_version_ins', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_schedule_versions()', t || '_schedule_version_upd', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_schedule_versions()', t || '_schedule_version_del', t);
  END LOOP;
END
$$;
DROP FUNCTION bump_schedule_version();

-- 7. Retention. The app role may not delete these rows; the cron handler calls retention_sweep(), owned by a role
--    that may delete only them, and only what is old and finished. Periods (docs: operations):
--      outbox rows 'done' for 30 days (their outbox_completions and webhook_deliveries go with them, by cascade);
--      webhook deliveries older than 30 days of an outbox row that is 'done';
--      idempotency keys 48 h after creation (the API replays for 24 h; the rest is margin).
--    'pending', 'failed' and 'dead' outbox rows, and their deliveries, are never swept. One call deletes at most
--    p_limit rows of each kind (clamped to 1..5000), oldest first, so one cron run is bounded.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bookra_retention') THEN
    CREATE ROLE bookra_retention NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO bookra_retention;
GRANT SELECT, DELETE ON outbox, webhook_deliveries, idempotency_keys TO bookra_retention;
GRANT SELECT ON outbox_completions TO bookra_retention;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['outbox', 'webhook_deliveries', 'idempotency_keys', 'outbox_completions'] LOOP
    EXECUTE format('CREATE POLICY retention_read ON %I FOR SELECT TO bookra_retention USING (true)', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['outbox', 'webhook_deliveries', 'idempotency_keys'] LOOP
    EXECUTE format('CREATE POLICY retention_delete ON %I FOR DELETE TO bookra_retention USING (true)', t);
  END LOOP;
END
$$;

CREATE INDEX outbox_done_idx ON outbox (processed_at) WHERE status = 'done';
CREATE INDEX webhook_deliveries_created_idx ON webhook_deliveries (created_at);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

CREATE FUNCTION retention_sweep(p_limit integer)
  RETURNS TABLE (outbox_deleted integer, deliveries_deleted integer, idempotency_keys_deleted integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  AS $$
DECLARE
  n integer := least(greatest(coalesce(p_limit, 1), 1), 5000);
BEGIN
  DELETE FROM webhook_deliveries WHERE id IN (
    SELECT d.id FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id
    WHERE d.created_at < now() - interval '30 days' AND o.status = 'done'
    ORDER BY d.created_at LIMIT n);
  GET DIAGNOSTICS deliveries_deleted = ROW_COUNT;
  DELETE FROM outbox WHERE id IN (
    SELECT o.id FROM outbox o
    WHERE o.status = 'done' AND o.processed_at < now() - interval '30 days'
    ORDER BY o.processed_at LIMIT n);
  GET DIAGNOSTICS outbox_deleted = ROW_COUNT;
  DELETE FROM idempotency_keys WHERE (tenant_id, scope, key) IN (
    SELECT k.tenant_id, k.scope, k.key FROM idempotency_keys k
    WHERE k.created_at < now() - interval '48 hours'
    ORDER BY k.created_at LIMIT n);
  GET DIAGNOSTICS idempotency_keys_deleted = ROW_COUNT;
  RETURN NEXT;
END
$$;
ALTER FUNCTION retention_sweep(integer) OWNER TO bookra_retention;
REVOKE ALL ON FUNCTION retention_sweep(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION retention_sweep(integer) TO bookra_app;

-- 8. Values inlined into SQL text (worker/src/db/client.ts) are quoted for standard_conforming_strings = on. The
--    worker opens every tenant transaction with this function, which refuses to go on when it is off: the statements
--    after it in the same query string are then never run.
CREATE FUNCTION begin_tenant(p_tenant text) RETURNS void
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, public, pg_temp
  AS $$
BEGIN
  IF current_setting('standard_conforming_strings') <> 'on' THEN
    RAISE EXCEPTION 'standard_conforming_strings is off: the worker refuses to run'
      USING ERRCODE = '55000', HINT = 'ALTER DATABASE ... SET standard_conforming_strings = on';
  END IF;
  PERFORM set_config('app.tenant_id', p_tenant, true);
END
$$;
REVOKE ALL ON FUNCTION begin_tenant(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION begin_tenant(text) TO bookra_app;

-- 9. Every SECURITY DEFINER function resolves names in the catalog first and never in pg_temp first, so a caller's
--    temporary objects cannot stand in for the tables it reads (test/db-catalogue.test.ts keeps the list).
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p WHERE p.prosecdef AND p.pronamespace = 'public'::regnamespace LOOP
    EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public, pg_temp', f);
  END LOOP;
END
$$;
