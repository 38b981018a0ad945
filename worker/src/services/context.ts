// What every service verb receives: the database, the tenant it acts for, the clock and server configuration.
import type { Database } from "../db/client.ts";
import type { AdminActor } from "../domain/permissions.ts";
import type { PasswordPeppers } from "../lib/crypto.ts";
import type { DataKeys } from "../lib/encryption.ts";
import type { OutboundUrlPolicy } from "../lib/public-url.ts";
import type { StripeConfig } from "../providers/stripe.ts";

export interface ServiceConfig {
  /** Derives manage tokens (HMAC); a Worker secret in production. */
  manageTokenSecret: string;
  /** The secret before the last rotation: the tokens it made keep working until it is removed. */
  previousManageTokenSecret?: string | undefined;
  /** AES-GCM keys for secrets at rest (webhook signing secrets, calendar tokens); absent: storing one is refused. */
  dataKeys?: DataKeys | undefined;
  /** Origin used in links sent to customers (manage page, checkout). */
  publicBaseUrl: string;
  /** Stripe (providers/stripe.ts): without `secretKey` nothing can be paid and no event confirms anything. */
  stripe?: StripeConfig | undefined;
  /** Where webhook endpoints may point; absent: the production rules (PRODUCTION_URL_POLICY, no loopback). */
  outboundUrlPolicy?: OutboundUrlPolicy | undefined;
  /** Whether the local stack's dev mailbox page (/dev/mailbox) exists; absent: it does not (a 404). */
  devMailbox?: boolean | undefined;
  /** PASSWORD_PEPPER: HMAC keys mixed into password hashes (lib/crypto.ts); absent: hashes are unpeppered. */
  passwordPeppers?: PasswordPeppers | undefined;
}

export interface TenantCtx {
  db: Database;
  tenantId: string;
  now: Date;
  config: ServiceConfig;
  /** Who acts in the admin API (absent: the public API, or the business itself); services narrow by its role. */
  actor?: AdminActor | undefined;
}
