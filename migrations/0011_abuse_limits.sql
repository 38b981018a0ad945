-- Limits against abuse of the public booking API (issue 10 §2).
--
-- Slot hoarding: a public booking that would be an unpaid deposit hold is refused while the customer's e-mail address
-- (or the client address it came from) already has as many open holds in the tenant as the tenant's policy allows.
-- The worker passes the limits in p->'holdLimits' (only for public holds) with a keyed hash of the client address
-- (never the address itself). The count runs inside insert_booking(), that is inside the creating statement of
-- both booking paths (book() and book_first_free()), after a transaction-scoped advisory lock per tenant + e-mail
-- and per tenant + address: concurrent requests for one e-mail or address queue there, and each counts what the
-- previous ones committed (READ COMMITTED: every statement of the function takes a fresh snapshot).
-- Locks are taken e-mail first, then address, then (lock_staff_time()) the staff hours: no two writers can wait for
-- each other's locks. They use the single 64-bit key space, which never meets lock_staff_time()'s two 32-bit keys.
--
-- Notification spam: reschedules by the customer are counted per booking (capped by tenant policy in the worker),
-- and WhatsApp goes only to customers who opted in, stored with the booking they opted in on.
ALTER TABLE bookings
  ADD COLUMN client_address_hash text,
  ADD COLUMN whatsapp_opt_in boolean NOT NULL DEFAULT false,
  ADD COLUMN customer_reschedules integer NOT NULL DEFAULT 0;

CREATE INDEX bookings_open_holds_customer_idx ON bookings (customer_id, hold_expires_at)
  WHERE status = 'pending_payment';
CREATE INDEX bookings_open_holds_address_idx ON bookings (tenant_id, client_address_hash, hold_expires_at)
  WHERE status = 'pending_payment' AND client_address_hash IS NOT NULL;

-- The handlers that coalesce a booking's customer messages (and the invitation's SEQUENCE) look for the booking's
-- later outbox rows.
CREATE INDEX outbox_aggregate_idx ON outbox (aggregate_id, created_at);

-- Raises BKH01 (e-mail) or BKH02 (client address) when the hold p would exceed its limits; nothing when p is not a
-- public hold (no p->'holdLimits').
CREATE FUNCTION check_open_holds(p jsonb)
  RETURNS void
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_limits jsonb := p->'holdLimits';
  v_tenant text := p->>'tenantId';
  v_email text := lower(btrim(p->>'email'));
  v_address text := p->'holdLimits'->>'addressHash';
  v_now timestamptz := (p->>'now')::timestamptz;
  v_open integer;
BEGIN
  IF v_limits IS NULL OR p->>'status' IS DISTINCT FROM 'pending_payment' THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('open-holds/email/' || v_tenant || '/' || v_email, 0));
  IF v_address IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('open-holds/address/' || v_tenant || '/' || v_address, 0));
  END IF;
  SELECT count(*) INTO v_open
  FROM bookings b JOIN customers c ON c.id = b.customer_id
  WHERE c.tenant_id = v_tenant AND lower(c.email) = v_email
  AND b.status = 'pending_payment' AND b.hold_expires_at > v_now;
  IF v_open >= (v_limits->>'perEmail')::integer THEN
    RAISE EXCEPTION 'too many open holds for this e-mail address' USING ERRCODE = 'BKH01';
  END IF;
  IF v_address IS NOT NULL THEN
    SELECT count(*) INTO v_open
    FROM bookings b
    WHERE b.tenant_id = v_tenant AND b.client_address_hash = v_address
    AND b.status = 'pending_payment' AND b.hold_expires_at > v_now;
    IF v_open >= (v_limits->>'perAddress')::integer THEN
      RAISE EXCEPTION 'too many open holds from this client address' USING ERRCODE = 'BKH02';
    END IF;
  END IF;
END
$$;
GRANT EXECUTE ON FUNCTION check_open_holds(jsonb) TO bookra_app;

-- insert_booking() (0009) with the hold limits checked first, and the client address hash and WhatsApp opt-in stored.
CREATE OR REPLACE FUNCTION insert_booking(p jsonb)
  RETURNS text
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_customer text;
BEGIN
  PERFORM check_open_holds(p);
  INSERT INTO customers (id, tenant_id, name, email, phone)
  VALUES (p->>'customerId', p->>'tenantId', p->>'name', p->>'email', p->>'phone')
  ON CONFLICT (tenant_id, lower(email)) DO UPDATE SET name = EXCLUDED.name, phone = coalesce(EXCLUDED.phone, customers.phone)
  RETURNING id INTO v_customer;
  PERFORM lock_staff_time(p->>'staffId', (p->>'blockedFrom')::timestamptz, (p->>'blockedUntil')::timestamptz);
  INSERT INTO bookings (id, tenant_id, service_id, staff_id, customer_id, status, starts_at, ends_at, blocked_from,
    blocked_until, price_amount, deposit_amount, currency, hold_expires_at, manage_token_hash, notes, source, created_at,
    updated_at, client_address_hash, whatsapp_opt_in)
  VALUES (p->>'id', p->>'tenantId', p->>'serviceId', p->>'staffId', v_customer, p->>'status',
    (p->>'startsAt')::timestamptz, (p->>'endsAt')::timestamptz, (p->>'blockedFrom')::timestamptz,
    (p->>'blockedUntil')::timestamptz, (p->>'priceAmount')::bigint, (p->>'depositAmount')::bigint, p->>'currency',
    (p->>'holdExpiresAt')::timestamptz, p->>'manageTokenHash', p->>'notes', p->>'source', (p->>'now')::timestamptz,
    (p->>'now')::timestamptz, p->'holdLimits'->>'addressHash', coalesce((p->>'whatsappOptIn')::boolean, false));
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
