// MONEY.md identity 2 for one tenant: the ledger's `stripe_balance` (sum of its lines, per currency) against the
// emulator's balance for the tenant's connected account (`balance.available` + `pending`, as `GET /v1/balance` with
// `Stripe-Account` answers). Currencies whose amount is zero on a side are left out, so an account with no money yet
// compares equal to a ledger with no lines.
import type { TestApp } from "./app.ts";
import { EMULATOR_API_KEY, type EmulatedStripe } from "./stripe-emulator.ts";

export interface BalanceIdentity {
  /** Minor units per upper-case currency. */
  ledger: Record<string, number>;
  stripe: Record<string, number>;
}

const nonZero = (entries: [string, number][]) =>
  Object.fromEntries(entries.filter(([, amount]) => amount !== 0).sort(([a], [b]) => a.localeCompare(b)));

/** Both sides of the identity; a test asserts `expect(id.ledger).toEqual(id.stripe)`. */
export async function stripeBalanceIdentity(
  t: TestApp,
  stripe: EmulatedStripe,
  tenantId: string,
  account: string,
): Promise<BalanceIdentity> {
  const rows = await t.database.admin<{ currency: string; sum: string }>(
    `SELECT currency, sum(amount)::text AS sum FROM journal_lines
      WHERE tenant_id = $1 AND account = 'stripe_balance' GROUP BY currency`,
    [tenantId],
  );
  const res = await fetch(`${stripe.emulator.url}/v1/balance`, {
    headers: { authorization: `Bearer ${EMULATOR_API_KEY}`, "stripe-account": account },
  });
  if (!res.ok) throw new Error(`emulator balance: ${res.status} ${await res.text()}`);
  const balance = (await res.json()) as {
    available: { amount: number; currency: string }[];
    pending: { amount: number; currency: string }[];
  };
  const sums = new Map<string, number>();
  for (const b of [...balance.available, ...balance.pending])
    sums.set(b.currency.toUpperCase(), (sums.get(b.currency.toUpperCase()) ?? 0) + b.amount);
  return {
    ledger: nonZero(rows.map((r) => [r.currency.trim(), Number(r.sum)])),
    stripe: nonZero([...sums]),
  };
}
