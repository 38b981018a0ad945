-- Cross-tenant sweep for lapsed payment holds: returns only the ids, the cron handler expires each inside its
-- tenant's transaction (with its booking.expired outbox row).
CREATE POLICY lookup_read ON bookings FOR SELECT TO bookra_lookup USING (true);
GRANT SELECT ON bookings TO bookra_lookup;

CREATE FUNCTION lapsed_holds(p_limit integer)
  RETURNS TABLE (id text, tenant_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT b.id, b.tenant_id FROM bookings b
    WHERE b.status = 'pending_payment' AND b.hold_expires_at <= now()
    ORDER BY b.hold_expires_at
    LIMIT p_limit
  $$;
ALTER FUNCTION lapsed_holds(integer) OWNER TO bookra_lookup;
REVOKE ALL ON FUNCTION lapsed_holds(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lapsed_holds(integer) TO bookra_app;
