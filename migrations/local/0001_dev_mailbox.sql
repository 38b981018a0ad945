-- LOCAL ONLY (applied by the local stack and the tests, never by `npm run db:migrate`): the dev mailbox's readers.
-- They read every tenant's recorded messages and webhook deliveries, which is what a developer wants on their own
-- machine and what no production database may offer. The production set (0010) dropped them; here they come back
-- for /dev/mailbox, with the look-up role's read access they need.

CREATE POLICY lookup_read ON dev_outbox_messages FOR SELECT TO bookra_lookup USING (true);
CREATE POLICY lookup_read ON webhook_deliveries FOR SELECT TO bookra_lookup USING (true);
CREATE POLICY lookup_read ON webhook_endpoints FOR SELECT TO bookra_lookup USING (true);
GRANT SELECT ON dev_outbox_messages, webhook_deliveries TO bookra_lookup;
GRANT SELECT (id, tenant_id, url) ON webhook_endpoints TO bookra_lookup;

-- What the local adapters recorded, newest first, across tenants.
CREATE FUNCTION dev_mailbox(p_limit integer)
  RETURNS TABLE (id bigint, tenant_slug text, kind text, idempotency_key text, recipient text, subject text, body text,
                 attachments jsonb, calendar_op text, created_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
  AS $$
    SELECT m.id, t.slug, m.kind, m.idempotency_key, m.recipient, m.subject, m.body, m.attachments, m.calendar_op, m.created_at
    FROM dev_outbox_messages m JOIN tenants t ON t.id = m.tenant_id
    ORDER BY m.created_at DESC, m.id DESC
    LIMIT p_limit
  $$;

-- Tenant webhook deliveries for the same page (endpoints hold signing secrets: only the columns shown are readable).
CREATE FUNCTION dev_webhook_deliveries(p_limit integer)
  RETURNS TABLE (id bigint, tenant_slug text, url text, event_type text, attempt integer, succeeded boolean,
                 status_code integer, error text, created_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
  AS $$
    SELECT d.id, t.slug, e.url, o.event_type, d.attempt, d.succeeded, d.status_code, d.error, d.created_at
    FROM webhook_deliveries d
    JOIN tenants t ON t.id = d.tenant_id
    JOIN webhook_endpoints e ON e.id = d.endpoint_id
    JOIN outbox o ON o.id = d.outbox_id
    ORDER BY d.created_at DESC, d.id DESC
    LIMIT p_limit
  $$;

ALTER FUNCTION dev_mailbox(integer) OWNER TO bookra_lookup;
ALTER FUNCTION dev_webhook_deliveries(integer) OWNER TO bookra_lookup;
REVOKE ALL ON FUNCTION dev_mailbox(integer), dev_webhook_deliveries(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dev_mailbox(integer), dev_webhook_deliveries(integer) TO bookra_app;
