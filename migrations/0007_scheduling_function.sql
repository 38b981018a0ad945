-- The scheduling load (worker/src/services/bookings/scheduling.ts) as a function: PL/pgSQL keeps the plan of its
-- query per session, so a pooled session (Neon's pooler, or the local proxy) stops re-planning it on every
-- availability request and booking. SECURITY INVOKER: row-level security applies exactly as for the caller.
CREATE FUNCTION scheduling_data(p_service text, p_staff text, p_from timestamptz, p_to timestamptz,
                                p_from_date date, p_to_date date)
  RETURNS json
  LANGUAGE plpgsql STABLE
  AS $$
BEGIN
  RETURN (
    WITH svc AS (
      SELECT * FROM services WHERE id = p_service AND deleted_at IS NULL
    ), cand AS (
      SELECT st.id, st.created_at FROM staff st
      JOIN staff_services ss ON ss.staff_id = st.id AND ss.service_id = (SELECT id FROM svc)
      WHERE st.deleted_at IS NULL AND (p_staff IS NULL OR st.id = p_staff)
    )
    SELECT json_build_object(
      'tenant', (SELECT json_build_object('timezone', timezone, 'slug', slug, 'policies', policies) FROM tenants WHERE id = app_tenant()),
      'service', (SELECT json_build_object(
          'id', id, 'name', name, 'durationMinutes', duration_minutes, 'priceAmount', price_amount, 'currency', currency,
          'bufferBeforeMinutes', buffer_before_minutes, 'bufferAfterMinutes', buffer_after_minutes,
          'minNoticeMinutes', min_notice_minutes, 'maxAdvanceDays', max_advance_days, 'slotStepMinutes', slot_step_minutes,
          'depositPercent', deposit_percent, 'depositAmount', deposit_amount) FROM svc),
      'staff', (SELECT coalesce(json_agg(id ORDER BY created_at, id), '[]') FROM cand),
      'weekly', (SELECT coalesce(json_agg(json_build_array(staff_id, weekday, start_minute, end_minute)), '[]')
                 FROM weekly_hours WHERE staff_id IN (SELECT id FROM cand)),
      'overrides', (SELECT coalesce(json_agg(json_build_array(staff_id, to_char(local_date, 'YYYY-MM-DD'), intervals)), '[]')
                 FROM date_overrides WHERE staff_id IN (SELECT id FROM cand)
                 AND local_date BETWEEN p_from_date AND p_to_date),
      'timeOff', (SELECT coalesce(json_agg(json_build_array(staff_id, extract(epoch FROM starts_at) * 1000, extract(epoch FROM ends_at) * 1000)), '[]')
                 FROM time_off WHERE staff_id IN (SELECT id FROM cand)
                 AND starts_at < p_to AND ends_at > p_from),
      'bookings', (SELECT coalesce(json_agg(json_build_array(id, staff_id, extract(epoch FROM starts_at) * 1000,
                   extract(epoch FROM blocked_from) * 1000, extract(epoch FROM blocked_until) * 1000, status,
                   extract(epoch FROM hold_expires_at) * 1000)), '[]')
                 FROM bookings WHERE staff_id IN (SELECT id FROM cand)
                 AND status IN ('pending_payment', 'confirmed', 'completed', 'no_show')
                 AND blocked_from < p_to AND blocked_until > p_from)
    )
  );
END
$$;
GRANT EXECUTE ON FUNCTION scheduling_data(text, text, timestamptz, timestamptz, date, date) TO bookra_app;

-- The booking insert (worker/src/services/bookings/create.ts) as a function for the same reason: its four statements
-- are planned once per session instead of once per booking. The exclusion constraint still decides (23P01 passes
-- through unchanged); the advisory lock queues writers of one staff member's calendar first.
CREATE FUNCTION insert_booking(p jsonb)
  RETURNS text
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_customer text;
BEGIN
  INSERT INTO customers (id, tenant_id, name, email, phone)
  VALUES (p->>'customerId', p->>'tenantId', p->>'name', p->>'email', p->>'phone')
  ON CONFLICT (tenant_id, lower(email)) DO UPDATE SET name = EXCLUDED.name, phone = coalesce(EXCLUDED.phone, customers.phone)
  RETURNING id INTO v_customer;
  PERFORM pg_advisory_xact_lock(hashtextextended(p->>'staffId', 0));
  INSERT INTO bookings (id, tenant_id, service_id, staff_id, customer_id, status, starts_at, ends_at, blocked_from,
    blocked_until, price_amount, deposit_amount, currency, hold_expires_at, manage_token_hash, notes, source, created_at,
    updated_at)
  VALUES (p->>'id', p->>'tenantId', p->>'serviceId', p->>'staffId', v_customer, p->>'status',
    (p->>'startsAt')::timestamptz, (p->>'endsAt')::timestamptz, (p->>'blockedFrom')::timestamptz,
    (p->>'blockedUntil')::timestamptz, (p->>'priceAmount')::bigint, (p->>'depositAmount')::bigint, p->>'currency',
    (p->>'holdExpiresAt')::timestamptz, p->>'manageTokenHash', p->>'notes', p->>'source', (p->>'now')::timestamptz,
    (p->>'now')::timestamptz);
  INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload)
  VALUES (p->>'eventId', p->>'tenantId', 'booking.created', p->>'id',
    (p->'payload') || jsonb_build_object('customerId', v_customer));
  IF p ? 'idempotency' THEN
    UPDATE idempotency_keys SET response_status = 201, response_body = p->'idempotency'->'body'
    WHERE tenant_id = p->>'tenantId' AND scope = p->'idempotency'->>'scope' AND key = p->'idempotency'->>'key';
  END IF;
  RETURN v_customer;
END
$$;
GRANT EXECUTE ON FUNCTION insert_booking(jsonb) TO bookra_app;
