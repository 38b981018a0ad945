-- Payments that cannot confirm their booking (issue 13 item 8). A payment whose amount or currency is not the
-- booking's deposit is recorded as `mismatch` (what Stripe's balance transaction says it brought in, in its
-- currency): the booking stays unconfirmed and flagged, but the owner can refund it and a refund made in Stripe's
-- dashboard finds it. A payment that lands for a booking already cancelled is refunded in full automatically, as
-- a refund of origin `booking_cancelled` (beside `slot_taken`, the late payment that found its time booked).
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
  CHECK (status IN ('succeeded', 'refund_required', 'mismatch'));

ALTER TABLE refunds DROP CONSTRAINT refunds_origin_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_origin_check
  CHECK (origin IN ('manual', 'cancellation', 'no_show', 'stripe', 'slot_taken', 'booking_cancelled'));
