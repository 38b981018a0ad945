-- "Any staff" in one round trip too. The fair rule (least booked that local day, then the order the worker gives,
-- which is the catalogue's) is now applied in the database, at insert time, by both paths: the count is as fresh as it
-- can be, and the worker no longer needs the day's bookings to order the candidates.

-- p_candidates reordered: fewest blocking bookings starting in [p_day_from, p_day_until) first (a lapsed hold does
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

-- insert_booking() (0007) with those locks.
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

-- book() (0009, 0010) also takes "any staff": p->'candidates' (the staff the worker's engine offers by the known
-- schedule's rules) with p->>'dayFrom'/'dayUntil' (the tenant-local day of the start). The answer names the staff
-- member booked. With candidates the key is claimed empty and insert_booking() stores the response once the staff
-- member is known.
CREATE OR REPLACE FUNCTION book(p jsonb)
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
