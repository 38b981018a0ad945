-- The dashboard's admin API (issue 12): business and staff profiles, private customer notes, the instants of the
-- outcomes that no other table records (completed, no-show), and an index for the customer page.

-- Business profile, shown in the admin API and the public catalogue. The logo is an https URL (checked by the worker
-- with the outbound URL policy; the database keeps the scheme and the length honest).
ALTER TABLE tenants
  ADD COLUMN address text CHECK (char_length(address) <= 500),
  ADD COLUMN phone text CHECK (char_length(phone) <= 40),
  ADD COLUMN about text CHECK (char_length(about) <= 2000),
  ADD COLUMN logo_url text CHECK (logo_url ~ '^https://' AND char_length(logo_url) <= 500);

-- A profile change moves nothing the availability engine reads: keep the schedule cache (0010's trigger, widened).
DROP TRIGGER tenants_schedule_version ON tenants;
CREATE TRIGGER tenants_schedule_version BEFORE UPDATE ON tenants
  FOR EACH ROW
  WHEN ((to_jsonb(OLD) - ARRAY['branding', 'name', 'updated_at', 'schedule_version', 'address', 'phone', 'about', 'logo_url'])
        IS DISTINCT FROM (to_jsonb(NEW) - ARRAY['branding', 'name', 'updated_at', 'schedule_version', 'address', 'phone', 'about', 'logo_url'])
        AND OLD.schedule_version = NEW.schedule_version)
  EXECUTE FUNCTION renew_schedule_version();

-- Staff profile: photo (https) and a short bio, public in the catalogue.
ALTER TABLE staff
  ADD COLUMN photo_url text CHECK (photo_url ~ '^https://' AND char_length(photo_url) <= 500),
  ADD COLUMN bio text CHECK (char_length(bio) <= 2000);

-- The owner's private notes on a customer: admin API only, never in a public response.
ALTER TABLE customers ADD COLUMN notes text CHECK (char_length(notes) <= 5000);

-- Completion and no-show write no outbox row: the booking records when each happened, for its timeline.
ALTER TABLE bookings
  ADD COLUMN completed_at timestamptz,
  ADD COLUMN no_show_at timestamptz;

-- A customer's bookings (the customer page); an endpoint's delivery log reads 0004's (endpoint_id, created_at).
CREATE INDEX bookings_customer_idx ON bookings (tenant_id, customer_id, starts_at);
