// What every service verb receives: the database, the tenant it acts for, and the clock.
import type { Database } from "../db/client.ts";

export interface TenantCtx {
  db: Database;
  tenantId: string;
  now: Date;
}
