// The worker's bindings and configuration (wrangler.toml [vars], secrets, queues), read in one place.
export interface Env {
  DATABASE_URL: string;
  /** Local stack only: the loopback WebSocket proxy in front of the embedded Postgres. */
  DB_WS_PROXY?: string;
  /** "local" selects the local provider adapters (dev mailbox, local checkout); "production" the real ones. */
  BOOKRA_ENV?: string;
  PUBLIC_BASE_URL?: string;
  /** Secret that manage tokens are derived from (HMAC); at least 32 characters. */
  MANAGE_TOKEN_SECRET?: string;
  OUTBOX_QUEUE?: Queue<unknown>;
}
