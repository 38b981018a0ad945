-- Foundation schema: tenants, people, catalog, schedules, bookings, idempotency and outbox.
-- Every tenant table carries tenant_id and is isolated by row-level security (ENABLE + FORCE) keyed on
-- app_tenant(), which withTenantTx sets per transaction with set_config(..., true) (SET LOCAL semantics).

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The role the worker's login role is a member of. It owns nothing, so RLS always applies to it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bookra_app') THEN
    CREATE ROLE bookra_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  -- Owns the few SECURITY DEFINER look-ups that must run before a tenant is known (slug, API key).
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bookra_lookup') THEN
    CREATE ROLE bookra_lookup NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

CREATE FUNCTION app_tenant() RETURNS text
  LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '') $$;

CREATE TABLE tenants (
  id          text PRIMARY KEY,
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  timezone    text NOT NULL,
  currency    char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  branding    jsonb NOT NULL DEFAULT '{}'::jsonb,
  policies    jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id             text PRIMARY KEY,
  email          text NOT NULL,
  password_hash  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE memberships (
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id     text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('owner', 'admin', 'staff')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);

CREATE TABLE api_keys (
  id            text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name          text NOT NULL,
  prefix        text NOT NULL,
  key_hash      text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);

CREATE TABLE staff (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name            text NOT NULL,
  email           text,
  commission_bps  integer NOT NULL DEFAULT 0 CHECK (commission_bps BETWEEN 0 AND 10000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz,
  UNIQUE (tenant_id, id)
);

CREATE TABLE services (
  id                     text PRIMARY KEY,
  tenant_id              text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name                   text NOT NULL,
  description            text,
  duration_minutes       integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 1440),
  price_amount           bigint NOT NULL CHECK (price_amount >= 0),
  currency               char(3) NOT NULL,
  buffer_before_minutes  integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 720),
  buffer_after_minutes   integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 720),
  min_notice_minutes     integer NOT NULL DEFAULT 0 CHECK (min_notice_minutes BETWEEN 0 AND 525600),
  max_advance_days       integer NOT NULL DEFAULT 90 CHECK (max_advance_days BETWEEN 1 AND 730),
  slot_step_minutes      integer NOT NULL DEFAULT 15 CHECK (slot_step_minutes BETWEEN 5 AND 1440),
  deposit_percent        integer CHECK (deposit_percent BETWEEN 1 AND 100),
  deposit_amount         bigint CHECK (deposit_amount > 0),
  created_at             timestamptz NOT NULL DEFAULT now(),
  deleted_at             timestamptz,
  UNIQUE (tenant_id, id),
  CHECK (deposit_percent IS NULL OR deposit_amount IS NULL)
);

CREATE TABLE staff_services (
  tenant_id   text NOT NULL,
  staff_id    text NOT NULL,
  service_id  text NOT NULL,
  PRIMARY KEY (staff_id, service_id),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX staff_services_service_idx ON staff_services (service_id);

CREATE TABLE weekly_hours (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id     text NOT NULL,
  staff_id      text NOT NULL,
  weekday       smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_minute  smallint NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute    smallint NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  CHECK (start_minute < end_minute),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX weekly_hours_staff_idx ON weekly_hours (staff_id);

-- A date override replaces that local date's weekly hours; an empty array is a day off.
CREATE TABLE date_overrides (
  tenant_id   text NOT NULL,
  staff_id    text NOT NULL,
  local_date  date NOT NULL,
  intervals   jsonb NOT NULL CHECK (jsonb_typeof(intervals) = 'array'),
  PRIMARY KEY (staff_id, local_date),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE time_off (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL,
  staff_id    text NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  reason      text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (starts_at < ends_at),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX time_off_staff_idx ON time_off (staff_id, starts_at);

CREATE TABLE customers (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name        text NOT NULL,
  email       text NOT NULL,
  phone       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX customers_email_key ON customers (tenant_id, lower(email));

-- Bookings. The blocked range is the appointment plus the service's buffers at booking time; the exclusion
-- constraint is the only thing that decides whether two bookings may coexist (invariant 1).
CREATE TABLE bookings (
  id                 text PRIMARY KEY,
  tenant_id          text NOT NULL,
  service_id         text NOT NULL,
  staff_id           text NOT NULL,
  customer_id        text NOT NULL,
  status             text NOT NULL CHECK (status IN ('pending_payment', 'confirmed', 'cancelled', 'completed', 'no_show', 'expired')),
  starts_at          timestamptz NOT NULL,
  ends_at            timestamptz NOT NULL,
  blocked_from       timestamptz NOT NULL,
  blocked_until      timestamptz NOT NULL,
  price_amount       bigint NOT NULL CHECK (price_amount >= 0),
  deposit_amount     bigint NOT NULL DEFAULT 0 CHECK (deposit_amount >= 0),
  currency           char(3) NOT NULL,
  hold_expires_at    timestamptz,
  manage_token_hash  text NOT NULL,
  notes              text,
  source             text NOT NULL CHECK (source IN ('public', 'admin')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (starts_at < ends_at),
  CHECK (blocked_from <= starts_at AND blocked_until >= ends_at),
  CHECK (status <> 'pending_payment' OR hold_expires_at IS NOT NULL),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
    staff_id WITH =,
    tstzrange(blocked_from, blocked_until, '[)') WITH &&
  ) WHERE (status IN ('pending_payment', 'confirmed', 'completed', 'no_show'))
);
CREATE INDEX bookings_tenant_start_idx ON bookings (tenant_id, starts_at);
CREATE INDEX bookings_hold_idx ON bookings (hold_expires_at) WHERE status = 'pending_payment';

-- Idempotency: the key row is written in the same transaction as what it creates, so a concurrent duplicate
-- waits on the unique index and then replays the stored response.
CREATE TABLE idempotency_keys (
  tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  scope            text NOT NULL,
  key              text NOT NULL,
  request_hash     text NOT NULL,
  response_status  integer NOT NULL,
  response_body    jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, scope, key)
);

-- Transactional outbox (invariant 2): written with the change it describes, drained through the queue.
CREATE TABLE outbox (
  id            text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  event_type    text NOT NULL,
  aggregate_id  text NOT NULL,
  payload       jsonb NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed', 'dead')),
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  enqueued_at   timestamptz,
  processed_at  timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (created_at) WHERE status IN ('pending', 'failed');
CREATE INDEX outbox_tenant_idx ON outbox (tenant_id, created_at);

-- Row-level security on every tenant table.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = app_tenant()) WITH CHECK (id = app_tenant());
CREATE POLICY lookup_read ON tenants FOR SELECT TO bookra_lookup USING (true);

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
-- A user is visible inside a tenant they belong to; a new user may be inserted during signup.
CREATE POLICY tenant_members ON users FOR SELECT
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = app_tenant()));
CREATE POLICY signup_insert ON users FOR INSERT WITH CHECK (app_tenant() IS NOT NULL);
CREATE POLICY lookup_read ON users FOR SELECT TO bookra_lookup USING (true);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['memberships', 'api_keys', 'staff', 'services', 'staff_services', 'weekly_hours',
                           'date_overrides', 'time_off', 'customers', 'bookings', 'idempotency_keys', 'outbox']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())', t);
  END LOOP;
END
$$;
CREATE POLICY lookup_read ON api_keys FOR SELECT TO bookra_lookup USING (true);
CREATE POLICY lookup_read ON memberships FOR SELECT TO bookra_lookup USING (true);

GRANT USAGE ON SCHEMA public TO bookra_app, bookra_lookup;
GRANT SELECT, INSERT, UPDATE, DELETE ON
  tenants, users, memberships, api_keys, staff, services, staff_services, weekly_hours, date_overrides,
  time_off, customers, bookings, idempotency_keys, outbox
  TO bookra_app;
GRANT SELECT ON tenants, users, memberships, api_keys TO bookra_lookup;

-- Look-ups that must run before the tenant is known. They return only ids, never other tenants' data.
CREATE FUNCTION tenant_id_for_slug(p_slug text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id FROM tenants WHERE slug = p_slug $$;

CREATE FUNCTION api_key_principal(p_hash text) RETURNS TABLE (key_id text, tenant_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id, tenant_id FROM api_keys WHERE key_hash = p_hash AND revoked_at IS NULL $$;

ALTER FUNCTION tenant_id_for_slug(text) OWNER TO bookra_lookup;
ALTER FUNCTION api_key_principal(text) OWNER TO bookra_lookup;
REVOKE ALL ON FUNCTION tenant_id_for_slug(text), api_key_principal(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_id_for_slug(text), api_key_principal(text), app_tenant() TO bookra_app;
