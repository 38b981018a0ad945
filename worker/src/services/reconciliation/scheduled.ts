// The scheduled money checks (the Worker's cron, once an hour at MONEY_CHECKS_MINUTE): every tenant's ledger is
// checked against MONEY.md identities 1-4 (ledger-checks.ts), and every tenant with a connected Stripe account has
// its previous UTC day reconciled once (a `scheduled` run per tenant and day; later hours find it done). A tenant
// whose check fails is logged and the others go on.
import type { Database } from "../../db/client.ts";
import { dayOf } from "../../domain/reconciliation.ts";
import type { PaymentsProvider } from "../../providers/stripe.ts";
import { checkLedger } from "./ledger-checks.ts";
import { reconcileDay } from "./reconcile.ts";

/** The minute of each hour at which the cron runs the money checks. */
export const MONEY_CHECKS_MINUTE = 17;

export interface MoneyChecksResult {
  tenants: number;
  ledgerAlerts: number;
  reconciled: number;
  differences: number;
  failed: number;
}

export async function runMoneyChecks(
  db: Database,
  provider: PaymentsProvider | undefined,
  now: Date,
): Promise<MoneyChecksResult> {
  const tenants = await db.pool.query<{ tenant_id: string; stripe_account_id: string | null }>(
    "SELECT tenant_id, stripe_account_id FROM tenants_for_money_checks()",
  );
  const day = dayOf(new Date(now.getTime() - 86_400_000));
  const result: MoneyChecksResult = {
    tenants: tenants.rows.length,
    ledgerAlerts: 0,
    reconciled: 0,
    differences: 0,
    failed: 0,
  };
  for (const t of tenants.rows) {
    try {
      result.ledgerAlerts += (await checkLedger(db, t.tenant_id, now)).length;
      if (provider && t.stripe_account_id) {
        const run = await reconcileDay({
          db,
          tenantId: t.tenant_id,
          provider,
          account: t.stripe_account_id,
          day,
          trigger: "scheduled",
          now,
        });
        if (run) {
          result.reconciled++;
          result.differences += run.differences;
        }
      }
    } catch (err) {
      result.failed++;
      console.error(
        JSON.stringify({ level: "error", msg: "money checks failed", tenantId: t.tenant_id, error: String(err) }),
      );
    }
  }
  return result;
}
