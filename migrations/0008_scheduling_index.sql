-- Keeps the scheduling load (availability and every booking) cheap as a tenant's history grows, and under load.
--
-- 0007 found a staff member's bookings through the exclusion constraint's GiST index by staff only: its window test
-- on the range (&&) is not leakproof, so under row-level security Postgres may not use it inside an index scan, and
-- the plain comparisons could not use that index either. Every availability request and booking therefore read every
-- blocking booking the staff member ever had (completed ones stay blocking) and threw most of them away.
--
-- Now a B-tree on (staff_id, blocked_from) over the blocking bookings is scanned between two leakproof bounds. The
-- lower bound is exact because no blocked range is longer than 48 hours: a service lasts at most 1,440 minutes with
-- at most 720 minutes of buffer on each side (services' CHECKs), and the new CHECK below keeps it that way for rows.
ALTER TABLE bookings ADD CONSTRAINT bookings_blocked_at_most_48h
  CHECK (blocked_until - blocked_from <= interval '48 hours') NOT VALID;
ALTER TABLE bookings VALIDATE CONSTRAINT bookings_blocked_at_most_48h;

CREATE INDEX bookings_staff_blocked_idx ON bookings (staff_id, blocked_from)
  WHERE status IN ('pending_payment', 'confirmed', 'completed', 'no_show');

-- Both functions keep one generic plan per session (function-level plan_cache_mode): with the default heuristic the
-- scheduling query was planned again on most calls, which under load cost more than running it.
CREATE OR REPLACE FUNCTION scheduling_data(p_service text, p_staff text, p_from timestamptz, p_to timestamptz,
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
                 AND blocked_from > p_from - interval '48 hours' AND blocked_from < p_to AND blocked_until > p_from)
    )
  );
END
$$;

ALTER FUNCTION insert_booking(jsonb) SET plan_cache_mode = force_generic_plan;
