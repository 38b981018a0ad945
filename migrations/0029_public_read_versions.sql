-- Versions that make the edge cache of the two public reads exact (issue 15), and the catalog in one statement.
-- A cache entry is stamped with the versions it was read at; a request reads the current versions in the same round
-- trip and, only when they differ, the data itself (worker/src/services/catalog/public-read-cache.ts).

-- 1. A per-tenant bookings version, renewed in the same transaction as any change to bookings. It lives in its own
--    table, not in tenants: an UPDATE of tenants would renew schedule_version (0010's trigger) and would lock the
--    tenant's row, which every booking's book() reads. The bump runs as a deferred constraint trigger, so it happens
--    at COMMIT, once per tenant and transaction: the hot row stays locked only while the transaction commits.
CREATE TABLE booking_versions (
  tenant_id text PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  version   uuid NOT NULL DEFAULT gen_random_uuid()
);
ALTER TABLE booking_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON booking_versions
  USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
GRANT SELECT, INSERT, UPDATE ON booking_versions TO bookra_app;

-- Runs as the caller, under row-level security (as 0010's bump_schedule_versions): the changed rows belong to
-- app_tenant(). The transaction-local setting remembers the tenants already bumped by this transaction.
CREATE FUNCTION bump_booking_version() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public, pg_temp
  AS $$
DECLARE
  v_tenant text := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  v_done text := coalesce(current_setting('bookra.booking_versions_bumped', true), '');
BEGIN
  IF position(',' || v_tenant || ',' IN v_done) = 0 THEN
    INSERT INTO booking_versions AS v (tenant_id) VALUES (v_tenant)
      ON CONFLICT (tenant_id) DO UPDATE SET version = gen_random_uuid();
    PERFORM set_config('bookra.booking_versions_bumped',
                       CASE WHEN v_done = '' THEN ',' ELSE v_done END || v_tenant || ',', true);
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER bookings_booking_version AFTER INSERT OR UPDATE OR DELETE ON bookings
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION bump_booking_version();

-- 2. The stamps. Availability's data (scheduling_data()) reads the tenant's zone, slug and policies, the schedule
--    tables (all renew schedule_version, 0009/0010/0016) and bookings (booking_versions). The catalog reads the
--    schedule tables (schedule_version) and the tenant's public fields, some of which do not renew schedule_version
--    (name, branding and the profile: 0016's exclusion list): its stamp digests the tenant part exactly as the catalog
--    shows it, so no column can be left out. NULL when no tenant is set (an unknown slug).
CREATE FUNCTION availability_version() RETURNS text
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public, pg_temp
  AS $$
  SELECT t.schedule_version::text || ':'
         || coalesce((SELECT v.version::text FROM booking_versions v WHERE v.tenant_id = t.id), '-')
  FROM tenants t WHERE t.id = app_tenant()
$$;
GRANT EXECUTE ON FUNCTION availability_version() TO bookra_app;

-- The tenant's public fields as the catalog shows them (with whether it can take payments online).
CREATE FUNCTION public_catalog_tenant() RETURNS json
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public, pg_temp
  AS $$
  SELECT json_build_object(
    'slug', t.slug, 'name', t.name, 'timezone', t.timezone, 'currency', t.currency, 'branding', t.branding,
    'address', t.address, 'phone', t.phone, 'about', t.about, 'logoUrl', t.logo_url, 'policies', t.policies,
    'paymentsReady', t.stripe_account_id IS NOT NULL AND t.stripe_charges_enabled)
  FROM tenants t WHERE t.id = app_tenant()
$$;
GRANT EXECUTE ON FUNCTION public_catalog_tenant() TO bookra_app;

CREATE FUNCTION catalog_version() RETURNS text
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public, pg_temp
  AS $$
  SELECT t.schedule_version::text || ':' || md5(public_catalog_tenant()::text)
  FROM tenants t WHERE t.id = app_tenant()
$$;
GRANT EXECUTE ON FUNCTION catalog_version() TO bookra_app;

-- 3. The public catalog in one statement: the tenant's public fields, live services and staff (oldest first), and the
--    links between them; the worker shapes the response (services/catalog/catalog.ts). NULL for an unknown tenant.
CREATE FUNCTION public_catalog() RETURNS json
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public, pg_temp
  AS $$
  SELECT json_build_object(
    'tenant', public_catalog_tenant(),
    'services', (SELECT coalesce(json_agg(json_build_object(
        'id', s.id, 'name', s.name, 'description', s.description, 'durationMinutes', s.duration_minutes,
        'priceAmount', s.price_amount, 'currency', s.currency, 'depositPercent', s.deposit_percent,
        'depositAmount', s.deposit_amount) ORDER BY s.created_at, s.id), '[]')
      FROM services s WHERE s.deleted_at IS NULL),
    'staff', (SELECT coalesce(json_agg(json_build_object(
        'id', m.id, 'name', m.name, 'photoUrl', m.photo_url, 'bio', m.bio) ORDER BY m.created_at, m.id), '[]')
      FROM staff m WHERE m.deleted_at IS NULL),
    'links', (SELECT coalesce(json_agg(json_build_array(l.staff_id, l.service_id)), '[]') FROM staff_services l))
  WHERE app_tenant() IS NOT NULL AND EXISTS (SELECT 1 FROM tenants WHERE id = app_tenant())
$$;
GRANT EXECUTE ON FUNCTION public_catalog() TO bookra_app;
