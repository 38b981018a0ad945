-- Dashboard sign-in (issue 12): the roles owner / manager / staff, a staff user's link to their staff record, sessions
-- (only the SHA-256 of the cookie's token is stored) and one-time tokens for password resets and invitations.
-- The role is never copied into a session: every request reads the membership, so a changed or removed membership
-- takes effect at once.

-- 1. Roles: `admin` becomes `manager`; a staff user is linked to the staff row whose calendar they see.
ALTER TABLE memberships DROP CONSTRAINT memberships_role_check;
UPDATE memberships SET role = 'manager' WHERE role = 'admin';
ALTER TABLE memberships ADD CONSTRAINT memberships_role_check CHECK (role IN ('owner', 'manager', 'staff'));
ALTER TABLE memberships ADD COLUMN staff_id text;
ALTER TABLE memberships ADD CONSTRAINT memberships_staff_fkey
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE;
ALTER TABLE memberships ADD CONSTRAINT memberships_staff_id_key UNIQUE (tenant_id, staff_id);
ALTER TABLE memberships ADD CONSTRAINT memberships_staff_link_check CHECK ((role = 'staff') = (staff_id IS NOT NULL));

-- A user's display name (invited staff give theirs); signup-created owners have none until they set it.
ALTER TABLE users ADD COLUMN name text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 200);

-- A password changes inside a tenant the user belongs to (change, reset): the one update the app makes to users.
CREATE POLICY tenant_members_update ON users FOR UPDATE
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = app_tenant()))
  WITH CHECK (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = app_tenant()));

-- 2. Sessions: the cookie holds a random token; the row holds its SHA-256. Sliding expiry (the worker moves
--    expires_at forward at most once an hour, with last_seen_at); sign-out and password changes set revoked_at.
CREATE TABLE sessions (
  id            text PRIMARY KEY,
  token_hash    text NOT NULL UNIQUE,
  user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- 3. One-time tokens (30 minutes, single use): a password reset for an e-mail address, or an invitation to join the
--    business with a role (and, for staff, their staff record). Only the SHA-256 of the token is stored.
CREATE TABLE auth_tokens (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('reset', 'invitation')),
  token_hash  text NOT NULL UNIQUE,
  email       text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  role        text CHECK (role IN ('owner', 'manager', 'staff')),
  staff_id    text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE,
  CHECK ((kind = 'invitation') = (role IS NOT NULL)),
  CHECK ((role = 'staff') = (staff_id IS NOT NULL))
);
CREATE INDEX auth_tokens_tenant_kind_idx ON auth_tokens (tenant_id, kind, created_at);

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY lookup_read ON sessions FOR SELECT TO bookra_lookup USING (true);
CREATE POLICY lookup_revoke ON sessions FOR UPDATE TO bookra_lookup USING (true) WITH CHECK (true);
ALTER TABLE auth_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON auth_tokens USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY lookup_read ON auth_tokens FOR SELECT TO bookra_lookup USING (true);
-- A staff user's session ends when their staff record is deleted (soft delete): the look-up reads deleted_at.
CREATE POLICY lookup_read ON staff FOR SELECT TO bookra_lookup USING (true);

-- Grants match use: sessions are revoked, never deleted by the app; an invitation is withdrawn by deleting it.
GRANT SELECT, INSERT, UPDATE ON sessions TO bookra_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_tokens TO bookra_app;
GRANT SELECT ON sessions, auth_tokens TO bookra_lookup;
GRANT UPDATE (revoked_at) ON sessions TO bookra_lookup;
GRANT SELECT (id, tenant_id, deleted_at) ON staff TO bookra_lookup;

-- 4. Look-ups that run before the tenant is known (sign-in, a session cookie, a token in a link).
-- The user of an e-mail address and each business they belong to (no row: unknown address; one row with a null
-- tenant: a user without membership). The password hash is compared by the worker, never by SQL.
CREATE FUNCTION sign_in_candidates(p_email text)
  RETURNS TABLE (user_id text, password_hash text, tenant_id text, tenant_slug text, role text)
  LANGUAGE sql STABLE SECURITY DEFINER
  AS $$
    SELECT u.id, u.password_hash, m.tenant_id, t.slug, m.role
    FROM users u
    LEFT JOIN memberships m ON m.user_id = u.id
    LEFT JOIN tenants t ON t.id = m.tenant_id
    WHERE lower(u.email) = lower(p_email)
    ORDER BY m.created_at NULLS LAST, m.tenant_id
  $$;

-- The live session of a token hash with the membership's role as it is now; expiry is judged by the worker's clock.
CREATE FUNCTION session_principal(p_hash text)
  RETURNS TABLE (session_id text, user_id text, tenant_id text, role text, staff_id text,
                 last_seen_at timestamptz, expires_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER
  AS $$
    SELECT s.id, s.user_id, s.tenant_id, m.role, m.staff_id, s.last_seen_at, s.expires_at
    FROM sessions s
    JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id
    WHERE s.token_hash = p_hash AND s.revoked_at IS NULL
      AND (m.staff_id IS NULL
           OR EXISTS (SELECT 1 FROM staff st WHERE st.tenant_id = m.tenant_id AND st.id = m.staff_id
                                                AND st.deleted_at IS NULL))
  $$;

-- Which business a one-time token belongs to (the rest is read inside that business's transaction).
CREATE FUNCTION auth_token_tenant(p_hash text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER
  AS $$ SELECT tenant_id FROM auth_tokens WHERE token_hash = p_hash $$;

-- A password is the user's, in every business: changing it revokes their sessions everywhere but `p_keep`.
CREATE FUNCTION revoke_user_sessions(p_user_id text, p_keep text, p_at timestamptz) RETURNS integer
  LANGUAGE sql VOLATILE SECURITY DEFINER
  AS $$
    WITH revoked AS (
      UPDATE sessions SET revoked_at = p_at
      WHERE user_id = p_user_id AND revoked_at IS NULL AND id IS DISTINCT FROM p_keep
      RETURNING 1)
    SELECT count(*)::integer FROM revoked
  $$;

ALTER FUNCTION sign_in_candidates(text) OWNER TO bookra_lookup;
ALTER FUNCTION session_principal(text) OWNER TO bookra_lookup;
ALTER FUNCTION auth_token_tenant(text) OWNER TO bookra_lookup;
ALTER FUNCTION revoke_user_sessions(text, text, timestamptz) OWNER TO bookra_lookup;
ALTER FUNCTION sign_in_candidates(text) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION session_principal(text) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION auth_token_tenant(text) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION revoke_user_sessions(text, text, timestamptz) SET search_path = pg_catalog, public, pg_temp;
REVOKE ALL ON FUNCTION sign_in_candidates(text), session_principal(text), auth_token_tenant(text),
  revoke_user_sessions(text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sign_in_candidates(text), session_principal(text), auth_token_tenant(text),
  revoke_user_sessions(text, text, timestamptz) TO bookra_app;

-- 5. Retention (like retention_sweep() in 0010): sessions that ended (expired or revoked) and one-time tokens that
--    expired (used or not) are deleted 30 days on, at most p_limit of each per call (clamped to 1..5000), by a function
--    owned by the retention role; the app role keeps no DELETE on sessions.
GRANT SELECT, DELETE ON sessions, auth_tokens TO bookra_retention;
CREATE POLICY retention_read ON sessions FOR SELECT TO bookra_retention USING (true);
CREATE POLICY retention_delete ON sessions FOR DELETE TO bookra_retention USING (true);
CREATE POLICY retention_read ON auth_tokens FOR SELECT TO bookra_retention USING (true);
CREATE POLICY retention_delete ON auth_tokens FOR DELETE TO bookra_retention USING (true);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
CREATE INDEX auth_tokens_expires_idx ON auth_tokens (expires_at);

CREATE FUNCTION auth_retention_sweep(p_limit integer)
  RETURNS TABLE (sessions_deleted integer, tokens_deleted integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  AS $$
DECLARE
  n integer := least(greatest(coalesce(p_limit, 1), 1), 5000);
BEGIN
  DELETE FROM sessions WHERE id IN (
    SELECT s.id FROM sessions s
    WHERE least(s.revoked_at, s.expires_at) < now() - interval '30 days'
    ORDER BY s.expires_at LIMIT n);
  GET DIAGNOSTICS sessions_deleted = ROW_COUNT;
  DELETE FROM auth_tokens WHERE id IN (
    SELECT t.id FROM auth_tokens t
    WHERE t.expires_at < now() - interval '30 days'
    ORDER BY t.expires_at LIMIT n);
  GET DIAGNOSTICS tokens_deleted = ROW_COUNT;
  RETURN NEXT;
END
$$;
ALTER FUNCTION auth_retention_sweep(integer) OWNER TO bookra_retention;
ALTER FUNCTION auth_retention_sweep(integer) SET search_path = pg_catalog, public, pg_temp;
REVOKE ALL ON FUNCTION auth_retention_sweep(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_retention_sweep(integer) TO bookra_app;
