-- A booking in one round trip when the worker already knows the schedule it must check against.
--
-- The availability engine needs the tenant's zone and policies, the service and, per staff member, weekly hours,
-- date overrides and time off: configuration that changes rarely. The worker keeps it per isolate, tagged with the
-- tenant's schedule_version, and book() runs the whole booking in one statement only while that tag is current.
-- Bookings themselves are not part of it: the exclusion constraint decides overlaps in any case.

-- A new random version on every change of anything the engine reads. Random (not a counter) so a version can never
-- come back, e.g. after a database is restored or recreated under a worker that is still running.
ALTER TABLE tenants ADD COLUMN schedule_version uuid NOT NULL DEFAULT gen_random_uuid();

CREATE FUNCTION renew_schedule_version() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF NEW.schedule_version = OLD.schedule_version THEN
    NEW.schedule_version := gen_random_uuid();
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER tenants_schedule_version BEFORE UPDATE ON tenants
  FOR EACH ROW EXECUTE FUNCTION renew_schedule_version();

-- Runs as the caller, under row-level security: the changed row belongs to app_tenant() (its policy's WITH CHECK),
-- so that tenant's row is the one updated. (A cascade from a tenant's own deletion finds no row, which is fine.)
CREATE FUNCTION bump_schedule_version() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  UPDATE tenants SET schedule_version = gen_random_uuid()
  WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  RETURN NULL;
END
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['services', 'staff', 'staff_services', 'weekly_hours', 'date_overrides', 'time_off'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
                    FOR EACH ROW EXECUTE FUNCTION bump_schedule_version()', t || '_schedule_version', t);
  END LOOP;
END
$$;

-- The configuration part of scheduling_data(), with the version it belongs to (one statement: one snapshot).
CREATE FUNCTION schedule_config(p_service text, p_staff text, p_from timestamptz, p_to timestamptz,
                                p_from_date date, p_to_date date)
  RETURNS json
  LANGUAGE plpgsql STABLE
  SET plan_cache_mode = force_generic_plan
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
      'tenant', (SELECT json_build_object('timezone', timezone, 'slug', slug, 'policies', policies,
                                          'version', schedule_version) FROM tenants WHERE id = app_tenant()),
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
      'timeOff', (SELECT coalesce(json_agg(json_build_array(staff_id, round(date_part('epoch', starts_at) * 1000), round(date_part('epoch', ends_at) * 1000))), '[]')
                 FROM time_off WHERE staff_id IN (SELECT id FROM cand)
                 AND starts_at < p_to AND ends_at > p_from)
    )
  );
END
$$;
GRANT EXECUTE ON FUNCTION schedule_config(text, text, timestamptz, timestamptz, date, date) TO bookra_app;

-- The blocking bookings of the service's staff (or one of them) whose blocked range meets [p_from, p_to).
-- Instants go out as whole epoch milliseconds from date_part (a double): extract() yields numerics with six decimals,
-- slower to compute and a third longer to send and parse for a month of a busy calendar.
CREATE FUNCTION window_bookings(p_service text, p_staff text, p_from timestamptz, p_to timestamptz)
  RETURNS json
  LANGUAGE plpgsql STABLE
  SET plan_cache_mode = force_generic_plan
  AS $$
BEGIN
  RETURN (SELECT coalesce(json_agg(json_build_array(b.id, b.staff_id, round(date_part('epoch', b.starts_at) * 1000),
            round(date_part('epoch', b.blocked_from) * 1000), round(date_part('epoch', b.blocked_until) * 1000), b.status,
            round(date_part('epoch', b.hold_expires_at) * 1000))), '[]')
          FROM bookings b
          WHERE b.staff_id IN (SELECT ss.staff_id FROM staff_services ss JOIN staff st ON st.id = ss.staff_id
                               WHERE ss.service_id = p_service AND st.deleted_at IS NULL
                               AND (p_staff IS NULL OR st.id = p_staff))
          AND b.status IN ('pending_payment', 'confirmed', 'completed', 'no_show')
          -- See 0008: leakproof bounds on the (staff_id, blocked_from) index; no blocked range exceeds 48 h.
          AND b.blocked_from > p_from - interval '48 hours' AND b.blocked_from < p_to AND b.blocked_until > p_from);
END
$$;
GRANT EXECUTE ON FUNCTION window_bookings(text, text, timestamptz, timestamptz) TO bookra_app;

-- scheduling_data() is now the configuration plus the bookings of the window (still one snapshot: STABLE), in 0007's
-- flat shape: a worker of the previous release keeps working while this one rolls out (it ignores tenant.version).
CREATE OR REPLACE FUNCTION scheduling_data(p_service text, p_staff text, p_from timestamptz, p_to timestamptz,
                                           p_from_date date, p_to_date date)
  RETURNS json
  LANGUAGE plpgsql STABLE
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_config json := schedule_config(p_service, p_staff, p_from, p_to, p_from_date, p_to_date);
BEGIN
  RETURN json_build_object(
    'tenant', v_config->'tenant', 'service', v_config->'service', 'staff', v_config->'staff',
    'weekly', v_config->'weekly', 'overrides', v_config->'overrides', 'timeOff', v_config->'timeOff',
    'bookings', window_bookings(p_service, p_staff, p_from, p_to)
  );
END
$$;

-- Idempotency-Key claim (moved here from the worker so book() and the two-round-trip path share it): NULL when this
-- transaction now owns the key; otherwise the first request's hash and stored response. A concurrent duplicate waits
-- on the unique index until the first one commits, then sees its response. A caller that already knows its response
-- (book()) stores it with the claim: if its transaction fails, the claim goes with it.
CREATE FUNCTION claim_idempotency_key(p_tenant text, p_scope text, p_key text, p_request_hash text,
                                      p_status integer DEFAULT 0, p_body jsonb DEFAULT '{}')
  RETURNS json
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_claimed integer;
  v_prior json;
BEGIN
  INSERT INTO idempotency_keys (tenant_id, scope, key, request_hash, response_status, response_body)
  VALUES (p_tenant, p_scope, p_key, p_request_hash, p_status, p_body)
  ON CONFLICT (tenant_id, scope, key) DO UPDATE
    SET request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
        response_body = EXCLUDED.response_body, created_at = now()
    WHERE idempotency_keys.created_at < now() - interval '24 hours'
  RETURNING 1 INTO v_claimed;
  IF v_claimed IS NOT NULL THEN
    RETURN NULL;
  END IF;
  SELECT json_build_object('requestHash', request_hash, 'status', response_status, 'body', response_body)
  INTO v_prior
  FROM idempotency_keys WHERE tenant_id = p_tenant AND scope = p_scope AND key = p_key;
  RETURN v_prior;
END
$$;
GRANT EXECUTE ON FUNCTION claim_idempotency_key(text, text, text, text, integer, jsonb) TO bookra_app;

-- Marks lapsed holds expired (they stopped blocking anyone when their hold ran out) and records booking.expired for
-- each, in the caller's transaction; returns the outbox ids written.
CREATE FUNCTION expire_holds(p_ids text[], p_now timestamptz)
  RETURNS text[]
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_written text[];
BEGIN
  WITH expired AS (
    UPDATE bookings SET status = 'expired', updated_at = p_now
    WHERE id = ANY (p_ids) AND status = 'pending_payment' AND hold_expires_at <= p_now
    RETURNING id, tenant_id, staff_id, starts_at
  ), written AS (
    INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload)
    SELECT 'evt_' || substr(md5(random()::text || id), 1, 20), tenant_id, 'booking.expired', id,
           jsonb_build_object('bookingId', id, 'staffId', staff_id, 'start', starts_at)
    FROM expired
    RETURNING id
  )
  SELECT coalesce(array_agg(id), '{}') INTO v_written FROM written;
  RETURN v_written;
END
$$;
GRANT EXECUTE ON FUNCTION expire_holds(text[], timestamptz) TO bookra_app;

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

-- "Any staff": the database applies the fair rule (least booked that local day, then the order the worker gives, which
-- is the catalogue's) at insert time, so the count is as fresh as it can be, and book_first_free() takes the first
-- candidate the exclusion constraint lets in, each attempt in its own subtransaction.

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

-- Candidates reordered: fewest blocking bookings starting in [p_day_from, p_day_until) first (a lapsed hold does
-- not count), ties in the given order. Bookings are found by (staff_id, blocked_from): blocked_from <= starts_at, and
-- at most 48 hours before it (0008).
CREATE FUNCTION least_booked_first(p_candidates text[], p_day_from timestamptz, p_day_until timestamptz,
                                   p_now timestamptz)
  RETURNS text[]
  LANGUAGE plpgsql STABLE
  SET plan_cache_mode = force_generic_plan
  AS $$
BEGIN
  RETURN (
    SELECT array_agg(c.id ORDER BY (
        SELECT count(*) FROM bookings b
        WHERE b.staff_id = c.id AND b.status IN ('pending_payment', 'confirmed', 'completed', 'no_show')
        AND (b.status <> 'pending_payment' OR b.hold_expires_at > p_now)
        AND b.blocked_from > p_day_from - interval '48 hours' AND b.blocked_from < p_day_until
        AND b.starts_at >= p_day_from AND b.starts_at < p_day_until), c.ord)
    FROM unnest(p_candidates) WITH ORDINALITY AS c(id, ord)
  );
END
$$;
GRANT EXECUTE ON FUNCTION least_booked_first(text[], timestamptz, timestamptz, timestamptz) TO bookra_app;

-- Writers of one staff member's calendar queue on transaction-scoped advisory locks before the exclusion constraint
-- sees them: two in-flight inserts with overlapping ranges would otherwise each wait for the other on the constraint
-- and end in a deadlock. 0007 took one lock per staff member, which queued every insert of that person, overlapping
-- or not: "any staff" bookings made at once for the same least booked person (different times) went one by one. Now
-- one lock per hour the blocked range touches (at most 49), taken in ascending order: overlapping ranges share an
-- hour, so they still queue, and no two writers can wait for each other's locks.
CREATE FUNCTION lock_staff_time(p_staff text, p_from timestamptz, p_until timestamptz)
  RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_staff integer := hashtext(p_staff);
  v_hour integer;
BEGIN
  FOR v_hour IN floor(date_part('epoch', p_from) / 3600)::integer .. ceil(date_part('epoch', p_until) / 3600)::integer - 1 LOOP
    PERFORM pg_advisory_xact_lock(v_staff, v_hour);
  END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION lock_staff_time(text, timestamptz, timestamptz) TO bookra_app;

-- insert_booking() (0007) with those locks, and one generic plan per session like the functions above.
CREATE OR REPLACE FUNCTION insert_booking(p jsonb)
  RETURNS text
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_customer text;
BEGIN
  INSERT INTO customers (id, tenant_id, name, email, phone)
  VALUES (p->>'customerId', p->>'tenantId', p->>'name', p->>'email', p->>'phone')
  ON CONFLICT (tenant_id, lower(email)) DO UPDATE SET name = EXCLUDED.name, phone = coalesce(EXCLUDED.phone, customers.phone)
  RETURNING id INTO v_customer;
  PERFORM lock_staff_time(p->>'staffId', (p->>'blockedFrom')::timestamptz, (p->>'blockedUntil')::timestamptz);
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

-- The whole booking in one statement, for a start the worker has already checked against the schedule of version
-- p->>'scheduleVersion': {"stale": true} (nothing written) when the schedule changed since; {"replay": …} when the
-- Idempotency-Key was used before; else {"staffId", "outboxIds"} after expiring the lapsed holds in the way and
-- inserting (insert_booking(): the exclusion constraint decides, 23P01 passes through). For "any staff",
-- p->'candidates' are the staff the worker's engine offers by the schedule's rules, with p->>'dayFrom'/'dayUntil' (the
-- tenant-local day of the start): book_first_free() tries them least booked first. With candidates the key is claimed
-- empty and insert_booking() stores the response once the staff member is known.
CREATE FUNCTION book(p jsonb)
  RETURNS json
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_any boolean := p ? 'candidates';
  v_prior json;
  v_expired text[];
BEGIN
  IF (SELECT schedule_version FROM tenants WHERE id = app_tenant()) IS DISTINCT FROM (p->>'scheduleVersion')::uuid THEN
    RETURN json_build_object('stale', true);
  END IF;
  IF p ? 'idempotency' THEN
    -- A named staff member's response is known now: one write of the key row instead of a claim and an update.
    v_prior := claim_idempotency_key(p->>'tenantId', p->'idempotency'->>'scope', p->'idempotency'->>'key',
                                     p->'idempotency'->>'requestHash', CASE WHEN v_any THEN 0 ELSE 201 END,
                                     CASE WHEN v_any THEN '{}'::jsonb ELSE p->'idempotency'->'body' END);
    IF v_prior IS NOT NULL THEN
      RETURN json_build_object('replay', v_prior);
    END IF;
  END IF;
  IF v_any THEN
    RETURN book_first_free(p, least_booked_first(ARRAY(SELECT jsonb_array_elements_text(p->'candidates')),
                                                 (p->>'dayFrom')::timestamptz, (p->>'dayUntil')::timestamptz,
                                                 (p->>'now')::timestamptz));
  END IF;
  v_expired := expire_holds_in_way(p->>'staffId', (p->>'blockedFrom')::timestamptz, (p->>'blockedUntil')::timestamptz,
                                   (p->>'now')::timestamptz);
  PERFORM insert_booking(p - 'idempotency');
  RETURN json_build_object('staffId', p->>'staffId', 'outboxIds', to_json(v_expired || ARRAY[p->>'eventId']));
END
$$;
GRANT EXECUTE ON FUNCTION book(jsonb) TO bookra_app;
