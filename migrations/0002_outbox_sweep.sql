-- Cross-tenant sweep for the outbox relay: returns only (id, tenant_id) of rows still waiting, so the cron
-- handler can re-send them to the queue; everything else about a row is read inside its tenant's transaction.
CREATE POLICY lookup_read ON outbox FOR SELECT TO bookra_lookup USING (true);
GRANT SELECT ON outbox TO bookra_lookup;

CREATE FUNCTION outbox_due(p_older_than_seconds integer, p_limit integer)
  RETURNS TABLE (id text, tenant_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT o.id, o.tenant_id FROM outbox o
    WHERE o.status = 'pending'
      AND coalesce(o.enqueued_at, o.created_at) < now() - make_interval(secs => p_older_than_seconds)
    ORDER BY o.created_at
    LIMIT p_limit
  $$;
ALTER FUNCTION outbox_due(integer, integer) OWNER TO bookra_lookup;
REVOKE ALL ON FUNCTION outbox_due(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbox_due(integer, integer) TO bookra_app;
