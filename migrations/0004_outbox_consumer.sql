-- Outbox consumer (invariant 2): per-handler completion records, tenant webhook endpoints and their delivery log.
-- Every table is tenant-isolated by RLS (ENABLE + FORCE) with the same tenant_isolation policy as 0001.

-- One row per (outbox row, handler) that finished: a redelivery skips it. The consumer inserts it first, so a
-- concurrent duplicate of the same message waits on the primary key instead of running the handler twice.
CREATE TABLE outbox_completions (
  outbox_id     text NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  handler       text NOT NULL CHECK (length(handler) BETWEEN 1 AND 100),
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  completed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (outbox_id, handler)
);

-- Standard Webhooks endpoints. `secret` is the signing secret (whsec_…) as issued: the worker must sign with it, so
-- it is not hashed; RLS keeps it inside the tenant and the API never returns it after creation.
CREATE TABLE webhook_endpoints (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  url          text NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
  event_types  text[] NOT NULL CHECK (cardinality(event_types) > 0),
  description  text CHECK (length(description) <= 500),
  secret       text NOT NULL CHECK (secret ~ '^whsec_[A-Za-z0-9+/]+=*$'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz,
  UNIQUE (tenant_id, id)
);
CREATE INDEX webhook_endpoints_tenant_idx ON webhook_endpoints (tenant_id, created_at) WHERE deleted_at IS NULL;

-- Every delivery attempt, successful or not, for the dashboard and the dev mailbox. A success per
-- (outbox row, endpoint) is what lets a retry skip endpoints that already got the event.
CREATE TABLE webhook_deliveries (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id     text NOT NULL,
  outbox_id     text NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  endpoint_id   text NOT NULL,
  attempt       integer NOT NULL CHECK (attempt >= 1),
  succeeded     boolean NOT NULL,
  status_code   integer,
  duration_ms   integer NOT NULL CHECK (duration_ms >= 0),
  error         text,
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_outbox_idx ON webhook_deliveries (outbox_id, endpoint_id);
CREATE UNIQUE INDEX webhook_deliveries_one_success ON webhook_deliveries (outbox_id, endpoint_id) WHERE succeeded;
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['outbox_completions', 'webhook_endpoints', 'webhook_deliveries']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON outbox_completions, webhook_endpoints, webhook_deliveries TO bookra_app;

-- The sweep now also re-sends `failed` rows whose scheduled retry (enqueued_at is set to the retry time when an
-- attempt fails) is long overdue: the queue lost that message (e.g. the consumer process died), the row did not.
CREATE OR REPLACE FUNCTION outbox_due(p_older_than_seconds integer, p_limit integer)
  RETURNS TABLE (id text, tenant_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT o.id, o.tenant_id FROM outbox o
    WHERE o.status IN ('pending', 'failed')
      AND coalesce(o.enqueued_at, o.created_at) < now() - make_interval(secs => p_older_than_seconds)
    ORDER BY o.created_at
    LIMIT p_limit
  $$;
