-- Typed inputs for the booking functions, the booking bounds in one place, and one event-id format (issue 11).
--
-- 1. booking_input: book(), book_first_free() and insert_booking() read 20+ keys of a jsonb bag by string, so a key
--    renamed in the worker became a NULL here, silently. They now take a composite type, booking_input, whose every
--    field has a SQL type. The worker sends it as JSON built by exactly one zod schema (SqlBookingInput,
--    worker/src/services/bookings/sql-input.ts; test/sql-inputs.test.ts keeps the two equal) and converts it with
--    to_booking_input(), which raises BKI01 on a key the type does not declare, a declared key that is missing, and a
--    NULL where the type's field is required. Only the worker's own code decides the keys (user input is validated by
--    zod at the edge and only ever fills values), so BKI01 is a bug: the worker does not translate it (a 500).
--    The jsonb versions of 0009/0011 stay, unchanged, for the worker that is still running while this one deploys
--    (docs/OPERATIONS.md: add, switch, then drop); drop book(jsonb), book_first_free(jsonb, text[]),
--    insert_booking(jsonb) and check_open_holds(jsonb) in a later release.
-- 2. booking_bounds(): the 48-hour longest blocked range, the 730-day longest booking window and the 735 days a
--    worker's cached schedule covers were literals in CHECKs, function bodies and TypeScript. They are now this one
--    IMMUTABLE function, the source of truth: the CHECKs and functions below call it (the planner folds it into a
--    constant, so plans are unchanged), and worker/src/domain/limits.ts BOOKING_BOUNDS is checked equal to it by
--    test/sql-inputs.test.ts. Changing a bound takes a migration that replaces the function and re-adds the CHECKs
--    that call it (an IMMUTABLE function's new value is not re-checked against existing rows).
-- 3. new_event_id(): expire_holds() made event ids as 'evt_' + 20 hex digits of md5(random()); the worker makes them
--    as 'evt_' + 20 characters of its base-32 alphabet from a strong random source (worker/src/lib/ids.ts). Every
--    event id written in SQL now comes from new_event_id(), in the worker's format.

-- ==================== 2. The bounds ====================

CREATE TYPE booking_bounds AS (
  -- No booking blocks more than this: a service lasts at most 1,440 minutes with at most 720 minutes of buffer on each
  -- side (services' CHECKs). The scheduling queries find a staff member's bookings between leakproof bounds of the
  -- (staff_id, blocked_from) index (0008) that rely on it.
  max_blocked interval,
  -- services.max_advance_days at most.
  max_advance_days integer,
  -- How far ahead of its loading a worker's cached schedule reaches (services/bookings/schedule-cache.ts): the
  -- longest booking window plus margins. No SQL reads it; it is here so that every bound is in one list.
  schedule_cover_days integer
);

CREATE FUNCTION booking_bounds()
  RETURNS booking_bounds
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT interval '48 hours', 730, 735 $$;
GRANT EXECUTE ON FUNCTION booking_bounds() TO bookra_app;

ALTER TABLE bookings DROP CONSTRAINT bookings_blocked_at_most_48h,
  ADD CONSTRAINT bookings_blocked_at_most_48h CHECK (blocked_until - blocked_from <= (booking_bounds()).max_blocked);
ALTER TABLE services DROP CONSTRAINT services_max_advance_days_check,
  ADD CONSTRAINT services_max_advance_days_check
    CHECK (max_advance_days BETWEEN 1 AND (booking_bounds()).max_advance_days);

-- window_bookings(), expire_holds_in_way() and least_booked_first() (0009) with the bound read from booking_bounds().
CREATE OR REPLACE FUNCTION window_bookings(p_service text, p_staff text, p_from timestamptz, p_to timestamptz)
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
          -- Leakproof bounds on the (staff_id, blocked_from) index (0008): no blocked range exceeds max_blocked.
          AND b.blocked_from > p_from - (booking_bounds()).max_blocked AND b.blocked_from < p_to
          AND b.blocked_until > p_from);
END
$$;

CREATE OR REPLACE FUNCTION expire_holds_in_way(p_staff text, p_from timestamptz, p_until timestamptz, p_now timestamptz)
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
    AND blocked_from > p_from - (booking_bounds()).max_blocked AND blocked_from < p_until AND blocked_until > p_from);
  IF cardinality(v_lapsed) = 0 THEN
    RETURN '{}';
  END IF;
  RETURN expire_holds(v_lapsed, p_now);
END
$$;

CREATE OR REPLACE FUNCTION least_booked_first(p_candidates text[], p_day_from timestamptz, p_day_until timestamptz,
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
        AND b.blocked_from > p_day_from - (booking_bounds()).max_blocked AND b.blocked_from < p_day_until
        AND b.starts_at >= p_day_from AND b.starts_at < p_day_until), c.ord)
    FROM unnest(p_candidates) WITH ORDINALITY AS c(id, ord)
  );
END
$$;

-- ==================== 3. Event ids ====================

-- 'evt_' and 20 characters of the worker's alphabet (lib/ids.ts), each the low 5 bits of a random byte as there. The
-- bytes are those of two random UUIDs (gen_random_uuid(): the server's strong random source) except the version byte,
-- whose bit 4 is fixed; the variant bits of byte 8 are above its low 5.
CREATE FUNCTION new_event_id()
  RETURNS text
  LANGUAGE sql VOLATILE PARALLEL SAFE
  AS $$
  SELECT 'evt_' || string_agg(substr('0123456789abcdefghjkmnpqrstvwxyz', (get_byte(r.bytes, i) & 31) + 1, 1), ''
                              ORDER BY n)
  FROM (SELECT uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()) AS bytes) r,
       unnest(ARRAY[0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]) WITH ORDINALITY AS b(i, n)
$$;
GRANT EXECUTE ON FUNCTION new_event_id() TO bookra_app;

CREATE OR REPLACE FUNCTION expire_holds(p_ids text[], p_now timestamptz)
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
    SELECT new_event_id(), tenant_id, 'booking.expired', id,
           jsonb_build_object('bookingId', id, 'staffId', staff_id, 'start', starts_at)
    FROM expired
    RETURNING id
  )
  SELECT coalesce(array_agg(id), '{}') INTO v_written FROM written;
  RETURN v_written;
END
$$;

-- ==================== 1. The booking input ====================

-- The open-hold limits of a public deposit hold (0011), with a keyed hash of the client address (never the address).
CREATE TYPE booking_hold_limits AS (
  per_email integer,
  per_address integer,
  address_hash text
);

-- The Idempotency-Key of the request and the response it earns (stored once the staff member is known).
CREATE TYPE booking_idempotency AS (
  scope text,
  key text,
  request_hash text,
  body jsonb
);

-- One booking as insert_booking() writes it: the customer, the booking row, its booking.created outbox row and,
-- optionally, the open-hold limits to check and the Idempotency-Key to answer. Fields are required (NOT NULL) except
-- those to_booking_input() names.
CREATE TYPE booking_input AS (
  id text,
  tenant_id text,
  customer_id text,
  name text,
  email text,
  phone text,
  service_id text,
  staff_id text,
  status text,
  starts_at timestamptz,
  ends_at timestamptz,
  blocked_from timestamptz,
  blocked_until timestamptz,
  price_amount bigint,
  deposit_amount bigint,
  currency text,
  hold_expires_at timestamptz,
  manage_token_hash text,
  notes text,
  source text,
  whatsapp_opt_in boolean,
  -- The transaction's clock (the worker's, so tests can fix it): created_at, updated_at and hold expiry compare to it.
  now timestamptz,
  event_id text,
  -- The booking.created outbox payload (customerId is added here).
  payload jsonb,
  hold_limits booking_hold_limits,
  idempotency booking_idempotency
);

-- What is wrong with p_given as a value of the composite type of p_type (pass NULL::the_type), one phrase each: keys
-- the type does not declare, declared keys that are missing, and JSON nulls in fields not named in p_nullable. The
-- type is the only list of its fields (read through to_jsonb() of an empty value of it); p_path prefixes the names
-- (a nested composite's). NULL or JSON null is nothing to check: whether the field may be null is its parent's to
-- say. The values' types are jsonb_populate_record()'s to check.
CREATE FUNCTION input_problems(p_given jsonb, p_type anyelement, p_nullable text[], p_path text DEFAULT '')
  RETURNS text[]
  LANGUAGE plpgsql STABLE
  AS $$
DECLARE
  v_fields text[];
  v_required text[];
BEGIN
  IF coalesce(p_given, 'null') = 'null' THEN
    RETURN '{}';
  END IF;
  IF jsonb_typeof(p_given) <> 'object' THEN
    RETURN ARRAY[format('%s is %s, not an object', coalesce(nullif(rtrim(p_path, '.'), ''), 'the input'),
                        jsonb_typeof(p_given))];
  END IF;
  SELECT array_agg(k), coalesce(array_agg(k) FILTER (WHERE NOT k = ANY (p_nullable)), '{}')
  INTO v_fields, v_required FROM jsonb_object_keys(to_jsonb(jsonb_populate_record(p_type, '{}'))) k;
  -- The usual case, in three operators: no unknown key, none missing, no null where one is not allowed.
  IF p_given - v_fields = '{}' AND p_given ?& v_fields AND jsonb_strip_nulls(p_given) ?& v_required THEN
    RETURN '{}';
  END IF;
  RETURN ARRAY(
    SELECT CASE WHEN NOT k = ANY (v_fields) THEN format('unknown key %s%s', p_path, k)
                WHEN NOT p_given ? k THEN format('missing key %s%s', p_path, k)
                ELSE format('%s%s is null', p_path, k) END
    FROM (SELECT jsonb_object_keys(p_given) UNION SELECT unnest(v_fields)) x(k)
    WHERE NOT k = ANY (v_fields) OR NOT p_given ? k OR (p_given->k = 'null' AND k = ANY (v_required))
    ORDER BY k);
END
$$;
GRANT EXECUTE ON FUNCTION input_problems(jsonb, anyelement, text[], text) TO bookra_app;

-- The worker's JSON as a booking_input, or BKI01 naming every problem (see 1. above). Every field is required but
-- those named here; the composite fields' own fields are checked the same way.
CREATE FUNCTION to_booking_input(p jsonb)
  RETURNS booking_input
  LANGUAGE plpgsql STABLE
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_problems text[] :=
    input_problems(p, NULL::booking_input, '{phone, hold_expires_at, notes, hold_limits, idempotency}')
    || input_problems(p->'hold_limits', NULL::booking_hold_limits, '{address_hash}', 'hold_limits.')
    || input_problems(p->'idempotency', NULL::booking_idempotency, '{}', 'idempotency.');
BEGIN
  IF cardinality(v_problems) > 0 THEN
    RAISE EXCEPTION 'booking_input: %', array_to_string(v_problems, '; ')
      USING ERRCODE = 'BKI01',
            HINT = 'The worker builds it with SqlBookingInput (worker/src/services/bookings/sql-input.ts): '
                   'the schema and the type must declare the same fields.';
  END IF;
  RETURN jsonb_populate_record(NULL::booking_input, p);
END
$$;
GRANT EXECUTE ON FUNCTION to_booking_input(jsonb) TO bookra_app;

-- check_open_holds() (0011) on the typed input: BKH01 (e-mail) or BKH02 (client address) when the hold p would exceed
-- its limits; nothing when p is not a public hold (no hold_limits).
CREATE FUNCTION check_open_holds(p booking_input)
  RETURNS void
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_email text := lower(btrim(p.email));
  v_address text := (p.hold_limits).address_hash;
  v_open integer;
BEGIN
  IF (p.hold_limits).per_email IS NULL OR p.status IS DISTINCT FROM 'pending_payment' THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('open-holds/email/' || p.tenant_id || '/' || v_email, 0));
  IF v_address IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('open-holds/address/' || p.tenant_id || '/' || v_address, 0));
  END IF;
  SELECT count(*) INTO v_open
  FROM bookings b JOIN customers c ON c.id = b.customer_id
  WHERE c.tenant_id = p.tenant_id AND lower(c.email) = v_email
  AND b.status = 'pending_payment' AND b.hold_expires_at > p.now;
  IF v_open >= (p.hold_limits).per_email THEN
    RAISE EXCEPTION 'too many open holds for this e-mail address' USING ERRCODE = 'BKH01';
  END IF;
  IF v_address IS NOT NULL THEN
    SELECT count(*) INTO v_open
    FROM bookings b
    WHERE b.tenant_id = p.tenant_id AND b.client_address_hash = v_address
    AND b.status = 'pending_payment' AND b.hold_expires_at > p.now;
    IF v_open >= (p.hold_limits).per_address THEN
      RAISE EXCEPTION 'too many open holds from this client address' USING ERRCODE = 'BKH02';
    END IF;
  END IF;
END
$$;
GRANT EXECUTE ON FUNCTION check_open_holds(booking_input) TO bookra_app;

-- insert_booking() (0011) on the typed input: the hold limits, the customer (by e-mail), the staff hours' locks, the
-- booking (the exclusion constraint decides, 23P01 passes through), its outbox row and, with an Idempotency-Key,
-- the stored response. Returns the customer's id.
CREATE FUNCTION insert_booking(p booking_input)
  RETURNS text
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_customer text;
BEGIN
  PERFORM check_open_holds(p);
  INSERT INTO customers (id, tenant_id, name, email, phone)
  VALUES (p.customer_id, p.tenant_id, p.name, p.email, p.phone)
  ON CONFLICT (tenant_id, lower(email)) DO UPDATE SET name = EXCLUDED.name, phone = coalesce(EXCLUDED.phone, customers.phone)
  RETURNING id INTO v_customer;
  PERFORM lock_staff_time(p.staff_id, p.blocked_from, p.blocked_until);
  INSERT INTO bookings (id, tenant_id, service_id, staff_id, customer_id, status, starts_at, ends_at, blocked_from,
    blocked_until, price_amount, deposit_amount, currency, hold_expires_at, manage_token_hash, notes, source, created_at,
    updated_at, client_address_hash, whatsapp_opt_in)
  VALUES (p.id, p.tenant_id, p.service_id, p.staff_id, v_customer, p.status, p.starts_at, p.ends_at, p.blocked_from,
    p.blocked_until, p.price_amount, p.deposit_amount, p.currency, p.hold_expires_at, p.manage_token_hash, p.notes,
    p.source, p.now, p.now, (p.hold_limits).address_hash, p.whatsapp_opt_in);
  INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload)
  VALUES (p.event_id, p.tenant_id, 'booking.created', p.id, p.payload || jsonb_build_object('customerId', v_customer));
  IF (p.idempotency).key IS NOT NULL THEN
    UPDATE idempotency_keys SET response_status = 201, response_body = (p.idempotency).body
    WHERE tenant_id = p.tenant_id AND scope = (p.idempotency).scope AND key = (p.idempotency).key;
  END IF;
  RETURN v_customer;
END
$$;
GRANT EXECUTE ON FUNCTION insert_booking(booking_input) TO bookra_app;

-- book_first_free() (0009) on the typed input: inserts p for the first of p_candidates that is free; a lost race on
-- one (23P01, or a deadlock between racers) rolls back just that attempt and the next is tried; after the last, the
-- error stands. The staff member goes into the row, the outbox payload and the stored idempotent response.
CREATE FUNCTION book_first_free(p booking_input, p_candidates text[])
  RETURNS json
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v booking_input := p;
  v_staff text;
  v_expired text[];
BEGIN
  FOREACH v_staff IN ARRAY p_candidates LOOP
    BEGIN
      v.staff_id := v_staff;
      v.payload := p.payload || jsonb_build_object('staffId', v_staff);
      IF (p.idempotency).key IS NOT NULL THEN
        v.idempotency.body := jsonb_set((p.idempotency).body, '{booking,staffId}', to_jsonb(v_staff));
      END IF;
      v_expired := expire_holds_in_way(v_staff, p.blocked_from, p.blocked_until, p.now);
      PERFORM insert_booking(v);
      RETURN json_build_object('staffId', v_staff, 'outboxIds', to_json(v_expired || ARRAY[p.event_id]));
    EXCEPTION WHEN exclusion_violation OR deadlock_detected THEN
      IF v_staff = p_candidates[cardinality(p_candidates)] THEN
        RAISE;
      END IF;
    END;
  END LOOP;
  RAISE EXCEPTION 'no candidates' USING ERRCODE = 'exclusion_violation';
END
$$;
GRANT EXECUTE ON FUNCTION book_first_free(booking_input, text[]) TO bookra_app;

-- book() (0009) on the typed input: the whole booking in one statement, for a start the worker has already checked
-- against the schedule of version p_schedule_version. {"stale": true} (nothing written) when the schedule changed
-- since; {"replay": …} when the Idempotency-Key was used before; else {"staffId", "outboxIds"} after expiring the
-- lapsed holds in the way and inserting. For "any staff", p_candidates are the staff the worker's engine offers by the
-- schedule's rules and [p_day_from, p_day_until) the tenant-local day of the start: book_first_free() tries them least
-- booked that day first; the key is then claimed empty and insert_booking() stores the response once the staff
-- member is known. For a named staff member (p.staff_id) p_candidates is NULL.
CREATE FUNCTION book(p booking_input, p_schedule_version uuid, p_candidates text[], p_day_from timestamptz,
                     p_day_until timestamptz)
  RETURNS json
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_any boolean := p_candidates IS NOT NULL;
  v_named booking_input := p;
  v_prior json;
  v_expired text[];
BEGIN
  IF v_any AND (p_day_from IS NULL OR p_day_until IS NULL) THEN
    RAISE EXCEPTION 'book(): candidates without their local day' USING ERRCODE = 'BKI01';
  END IF;
  IF (SELECT schedule_version FROM tenants WHERE id = app_tenant()) IS DISTINCT FROM p_schedule_version THEN
    RETURN json_build_object('stale', true);
  END IF;
  IF (p.idempotency).key IS NOT NULL THEN
    -- A named staff member's response is known now: one write of the key row instead of a claim and an update.
    v_prior := claim_idempotency_key(p.tenant_id, (p.idempotency).scope, (p.idempotency).key,
                                     (p.idempotency).request_hash, CASE WHEN v_any THEN 0 ELSE 201 END,
                                     CASE WHEN v_any THEN '{}'::jsonb ELSE (p.idempotency).body END);
    IF v_prior IS NOT NULL THEN
      RETURN json_build_object('replay', v_prior);
    END IF;
  END IF;
  IF v_any THEN
    RETURN book_first_free(p, least_booked_first(p_candidates, p_day_from, p_day_until, p.now));
  END IF;
  v_expired := expire_holds_in_way(p.staff_id, p.blocked_from, p.blocked_until, p.now);
  v_named.idempotency := NULL; -- its response is stored with the claim
  PERFORM insert_booking(v_named);
  RETURN json_build_object('staffId', p.staff_id, 'outboxIds', to_json(v_expired || ARRAY[p.event_id]));
END
$$;
GRANT EXECUTE ON FUNCTION book(booking_input, uuid, text[], timestamptz, timestamptz) TO bookra_app;
