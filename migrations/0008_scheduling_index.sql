-- Keeps the scheduling load (availability and every booking) cheap as a tenant's history grows, and under load.
--
-- 0007 found a staff member's bookings through the exclusion constraint's GiST index by staff only: its window test
-- on the range (&&) is not leakproof, so under row-level security Postgres may not use it inside an index scan, and
-- the plain comparisons could not use that index either. Every availability request and booking therefore read every
-- blocking booking the staff member ever had (completed ones stay blocking) and threw most of them away.
--
-- Here: a B-tree on (staff_id, blocked_from) over the blocking bookings, which scheduling_data() (as 0009 redefines
-- it) and book() scan between two leakproof bounds. The
-- lower bound is exact because no blocked range is longer than 48 hours: a service lasts at most 1,440 minutes with
-- at most 720 minutes of buffer on each side (services' CHECKs), and the new CHECK below keeps it that way for rows.
ALTER TABLE bookings ADD CONSTRAINT bookings_blocked_at_most_48h
  CHECK (blocked_until - blocked_from <= interval '48 hours') NOT VALID;
ALTER TABLE bookings VALIDATE CONSTRAINT bookings_blocked_at_most_48h;

CREATE INDEX bookings_staff_blocked_idx ON bookings (staff_id, blocked_from)
  WHERE status IN ('pending_payment', 'confirmed', 'completed', 'no_show');
