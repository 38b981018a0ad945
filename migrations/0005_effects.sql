-- Side effects of bookings (issue 4): what the local provider adapters record (the dev mailbox), per-tenant channel
-- settings, staff calendar connections and private ICS feeds, gapless invoices, and the 24 h reminder sweep.
-- Every tenant table follows the foundation's pattern: tenant_id, ENABLE + FORCE RLS, tenant_isolation, bookra_app.

-- What a local adapter would have sent. The unique idempotency key makes the adapter itself idempotent, like the
-- real providers: a redelivered effect is recorded once.
CREATE TABLE dev_outbox_messages (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind             text NOT NULL CHECK (kind IN ('email', 'whatsapp', 'calendar')),
  idempotency_key  text NOT NULL,
  recipient        text NOT NULL,
  subject          text,
  body             text NOT NULL,
  -- e-mail: [{ filename, contentType, content }]; calendar: the event as it would have been written.
  attachments      jsonb NOT NULL DEFAULT '[]'::jsonb,
  calendar_op      text CHECK (calendar_op IN ('upsert', 'delete')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, kind, idempotency_key),
  CHECK ((kind = 'calendar') = (calendar_op IS NOT NULL))
);
CREATE INDEX dev_outbox_messages_created_idx ON dev_outbox_messages (created_at DESC);

-- Channels a tenant has switched on beyond e-mail (WhatsApp needs the tenant's consent and templates).
CREATE TABLE tenant_channels (
  tenant_id   text PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  whatsapp    boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A staff member's external calendar (Google). The OAuth connect flow fills it; without a row nothing is written.
CREATE TABLE staff_calendar_connections (
  tenant_id      text NOT NULL,
  staff_id       text NOT NULL PRIMARY KEY,
  provider       text NOT NULL DEFAULT 'google' CHECK (provider = 'google'),
  calendar_id    text NOT NULL DEFAULT 'primary',
  refresh_token  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE
);

-- Private per-staff ICS feed: only the token's SHA-256 is kept; issuing a new token replaces (revokes) the old one.
CREATE TABLE staff_calendar_feeds (
  tenant_id   text NOT NULL,
  staff_id    text NOT NULL PRIMARY KEY,
  token_hash  text NOT NULL UNIQUE,
  issued_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE
);

-- Gapless invoice numbers: one counter row per tenant, advanced in the transaction that inserts the invoice, so a
-- rolled-back issue gives its number back (a sequence would not).
CREATE TABLE invoice_counters (
  tenant_id  text PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  next       bigint NOT NULL DEFAULT 1 CHECK (next >= 1)
);

CREATE TABLE invoices (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  booking_id      text NOT NULL,
  number          bigint NOT NULL CHECK (number >= 1),
  amount          bigint NOT NULL CHECK (amount >= 0),
  currency        char(3) NOT NULL,
  customer_name   text NOT NULL,
  customer_email  text NOT NULL,
  description     text NOT NULL,
  service_date    timestamptz NOT NULL,
  issued_at       timestamptz NOT NULL,
  UNIQUE (tenant_id, number),
  UNIQUE (tenant_id, booking_id)
);

-- One reminder per booking and start: a booking moved to another time is reminded of the new one.
CREATE TABLE booking_reminders (
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  booking_id  text NOT NULL,
  starts_at   timestamptz NOT NULL,
  written_at  timestamptz NOT NULL,
  PRIMARY KEY (booking_id, starts_at)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['dev_outbox_messages', 'tenant_channels', 'staff_calendar_connections',
                           'staff_calendar_feeds', 'invoice_counters', 'invoices', 'booking_reminders']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())', t);
  END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON dev_outbox_messages, tenant_channels, staff_calendar_connections,
  staff_calendar_feeds, invoice_counters, invoices, booking_reminders TO bookra_app;

-- Look-ups that run before the tenant is known; each returns only a tenant id (or ids), never other data.
CREATE POLICY lookup_read ON staff_calendar_feeds FOR SELECT TO bookra_lookup USING (true);
CREATE POLICY lookup_read ON invoices FOR SELECT TO bookra_lookup USING (true);
CREATE POLICY lookup_read ON booking_reminders FOR SELECT TO bookra_lookup USING (true);
CREATE POLICY lookup_read ON dev_outbox_messages FOR SELECT TO bookra_lookup USING (true);
GRANT SELECT ON staff_calendar_feeds, invoices, booking_reminders, dev_outbox_messages TO bookra_lookup;

-- The feed URL carries the staff id and a token: the tenant is the one whose feed row matches both.
CREATE FUNCTION staff_feed_tenant(p_staff_id text, p_token_hash text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT tenant_id FROM staff_calendar_feeds WHERE staff_id = p_staff_id AND token_hash = p_token_hash $$;

-- Called only after the invoice token (an HMAC of the id) has been checked.
CREATE FUNCTION invoice_tenant(p_invoice_id text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT tenant_id FROM invoices WHERE id = p_invoice_id $$;

-- Confirmed bookings starting within the next 24 h that were booked earlier than that and are not yet reminded of
-- this start. The cron sweep then writes each reminder inside its tenant's transaction.
CREATE FUNCTION reminders_due(p_now timestamptz, p_limit integer) RETURNS TABLE (id text, tenant_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT b.id, b.tenant_id FROM bookings b
    WHERE b.status = 'confirmed'
      AND b.starts_at > p_now AND b.starts_at <= p_now + interval '24 hours'
      AND b.created_at <= b.starts_at - interval '24 hours'
      AND NOT EXISTS (SELECT 1 FROM booking_reminders r WHERE r.booking_id = b.id AND r.starts_at = b.starts_at)
    ORDER BY b.starts_at
    LIMIT p_limit
  $$;

-- The local dev mailbox (BOOKRA_ENV=local only): what the local adapters recorded, newest first, across tenants.
CREATE FUNCTION dev_mailbox(p_limit integer)
  RETURNS TABLE (id bigint, tenant_slug text, kind text, idempotency_key text, recipient text, subject text, body text,
                 attachments jsonb, calendar_op text, created_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT m.id, t.slug, m.kind, m.idempotency_key, m.recipient, m.subject, m.body, m.attachments, m.calendar_op, m.created_at
    FROM dev_outbox_messages m JOIN tenants t ON t.id = m.tenant_id
    ORDER BY m.created_at DESC, m.id DESC
    LIMIT p_limit
  $$;

-- Tenant webhook deliveries (0004) for the same page. Endpoints hold signing secrets: the look-up role may read only
-- the columns shown.
CREATE POLICY lookup_read ON webhook_deliveries FOR SELECT TO bookra_lookup USING (true);
CREATE POLICY lookup_read ON webhook_endpoints FOR SELECT TO bookra_lookup USING (true);
GRANT SELECT ON webhook_deliveries TO bookra_lookup;
GRANT SELECT (id, tenant_id, url) ON webhook_endpoints TO bookra_lookup;

CREATE FUNCTION dev_webhook_deliveries(p_limit integer)
  RETURNS TABLE (id bigint, tenant_slug text, url text, event_type text, attempt integer, succeeded boolean,
                 status_code integer, error text, created_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT d.id, t.slug, e.url, o.event_type, d.attempt, d.succeeded, d.status_code, d.error, d.created_at
    FROM webhook_deliveries d
    JOIN tenants t ON t.id = d.tenant_id
    JOIN webhook_endpoints e ON e.id = d.endpoint_id
    JOIN outbox o ON o.id = d.outbox_id
    ORDER BY d.created_at DESC, d.id DESC
    LIMIT p_limit
  $$;

ALTER FUNCTION staff_feed_tenant(text, text) OWNER TO bookra_lookup;
ALTER FUNCTION invoice_tenant(text) OWNER TO bookra_lookup;
ALTER FUNCTION reminders_due(timestamptz, integer) OWNER TO bookra_lookup;
ALTER FUNCTION dev_mailbox(integer) OWNER TO bookra_lookup;
ALTER FUNCTION dev_webhook_deliveries(integer) OWNER TO bookra_lookup;
REVOKE ALL ON FUNCTION staff_feed_tenant(text, text), invoice_tenant(text), reminders_due(timestamptz, integer),
  dev_mailbox(integer), dev_webhook_deliveries(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION staff_feed_tenant(text, text), invoice_tenant(text), reminders_due(timestamptz, integer),
  dev_mailbox(integer), dev_webhook_deliveries(integer) TO bookra_app;
