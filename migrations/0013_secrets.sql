-- Secrets at rest (issue 10 §5): webhook signing secrets and calendar refresh tokens are stored encrypted by the worker
-- (AES-256-GCM, worker/src/lib/encryption.ts) as `enc:v1:<kid>:<iv>:<ciphertext>`, the key id beside each value so
-- keys rotate (DATA_ENCRYPTION_KEYS). The database never sees a key, so existing plaintext rows cannot be converted
-- here: the worker reads them as they are and rewrites them encrypted on first use (a delivery, a calendar sync).

-- The signing secret may now be either form; a new one is always the encrypted form.
ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_secret_check;
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_secret_check
  CHECK (secret ~ '^enc:v1:[A-Za-z0-9_-]{1,16}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$'
         OR secret ~ '^whsec_[A-Za-z0-9+/]+=*$');

COMMENT ON COLUMN webhook_endpoints.secret IS
  'Standard Webhooks signing secret, encrypted: enc:v1:<kid>:<iv>:<ct> (legacy rows: whsec_… until first delivery)';
COMMENT ON COLUMN staff_calendar_connections.refresh_token IS
  'OAuth refresh token, encrypted: enc:v1:<kid>:<iv>:<ct> (legacy rows: plaintext until first use)';
