// What every service verb receives: the database, the tenant it acts for, the clock and server configuration.
import type { Database } from "../db/client.ts";

export interface ServiceConfig {
  /** Derives manage tokens (HMAC); a Worker secret in production. */
  manageTokenSecret: string;
  /** Origin used in links sent to customers (manage page, checkout). */
  publicBaseUrl: string;
  /** Stripe: the webhook signing secret, and the API key (absent locally: the local checkout page is used). */
  stripe?: { webhookSecret: string; secretKey?: string | undefined } | undefined;
}

export interface TenantCtx {
  db: Database;
  tenantId: string;
  now: Date;
  config: ServiceConfig;
}
