-- "Any staff" bookings try their candidates in one statement: the worker orders the staff the engine offers (least
-- booked that day first) and book_first_free() takes the first the exclusion constraint lets in, each attempt in its
-- own subtransaction. Before, each attempt was a SAVEPOINT, an insert and a RELEASE from the worker: five round trips.

-- Lapsed holds of one staff member in the way of a blocked range: expired (with their booking.expired rows) so the
-- exclusion constraint stops counting them. Bounds as in scheduling_data() (0008: no blocked range exceeds 48 h).
CREATE FUNCTION expire_holds_in_way(p_staff text, p_from timestamptz, p_until timestamptz, p_now timestamptz)
  RETURNS text[]
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_lapsed text[];
BEGIN
  v_lapsed := ARRAY(
    SELECT id FROM bookings
    WHERE staff_id = p_staff AND status = 'pending_payment' AND hold_expires_at <= p_now
    AND blocked_from > p_from - interval '48 hours' AND blocked_from < p_until AND blocked_until > p_from);
  IF cardinality(v_lapsed) = 0 THEN
    RETURN '{}';
  END IF;
  RETURN expire_holds(v_lapsed, p_now);
END
$$;
GRANT EXECUTE ON FUNCTION expire_holds_in_way(text, timestamptz, timestamptz, timestamptz) TO bookra_app;

-- Inserts the booking p (as insert_booking() takes it) for the first of p_candidates that is free: a lost race on one
-- (23P01, or a deadlock between racers) rolls back just that attempt and the next is tried; after the last, the error
-- stands. The staff member goes into the row, the outbox payload and the stored idempotent response.
CREATE FUNCTION book_first_free(p jsonb, p_candidates text[])
  RETURNS json
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_staff text;
  v_p jsonb;
  v_expired text[];
BEGIN
  FOREACH v_staff IN ARRAY p_candidates LOOP
    BEGIN
      v_p := p || jsonb_build_object('staffId', v_staff,
                                     'payload', (p->'payload') || jsonb_build_object('staffId', v_staff));
      IF p ? 'idempotency' THEN
        v_p := jsonb_set(v_p, '{idempotency,body,booking,staffId}', to_jsonb(v_staff));
      END IF;
      v_expired := expire_holds_in_way(v_staff, (p->>'blockedFrom')::timestamptz, (p->>'blockedUntil')::timestamptz,
                                       (p->>'now')::timestamptz);
      PERFORM insert_booking(v_p);
      RETURN json_build_object('staffId', v_staff, 'outboxIds', to_json(v_expired || ARRAY[p->>'eventId']));
    EXCEPTION WHEN exclusion_violation OR deadlock_detected THEN
      IF v_staff = p_candidates[cardinality(p_candidates)] THEN
        RAISE;
      END IF;
    END;
  END LOOP;
  RAISE EXCEPTION 'no candidates' USING ERRCODE = 'exclusion_violation';
END
$$;
GRANT EXECUTE ON FUNCTION book_first_free(jsonb, text[]) TO bookra_app;

-- book() (0009) with the hold expiry above instead of its own copy.
CREATE OR REPLACE FUNCTION book(p jsonb)
  RETURNS json
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_prior json;
  v_expired text[];
BEGIN
  IF (SELECT schedule_version FROM tenants WHERE id = app_tenant()) IS DISTINCT FROM (p->>'scheduleVersion')::uuid THEN
    RETURN json_build_object('stale', true);
  END IF;
  IF p ? 'idempotency' THEN
    -- Claimed together with the response: one write of the key row instead of a claim and an update.
    v_prior := claim_idempotency_key(p->>'tenantId', p->'idempotency'->>'scope', p->'idempotency'->>'key',
                                     p->'idempotency'->>'requestHash', 201, p->'idempotency'->'body');
    IF v_prior IS NOT NULL THEN
      RETURN json_build_object('replay', v_prior);
    END IF;
  END IF;
  v_expired := expire_holds_in_way(p->>'staffId', (p->>'blockedFrom')::timestamptz, (p->>'blockedUntil')::timestamptz,
                                   (p->>'now')::timestamptz);
  PERFORM insert_booking(p - 'idempotency');
  RETURN json_build_object('outboxIds', to_json(v_expired || ARRAY[p->>'eventId']));
END
$$;
