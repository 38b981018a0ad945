// The ledger's own checks in production (issue 14 item 6): MONEY.md identities 1-4 per tenant, from the ledger and
// the state it records. A failure is written to `ledger_alerts` and logged (level error); on a healthy ledger nothing
// is written. A failure found again (same identity and subject) updates its alert — `last_seen_at`, `count` — rather
// than adding one (migration 0028): a lasting failure is one alert, not one an hour. This must never fire: the database refuses unbalanced entries, so an alert means something bypassed it.
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { ledgerAlerts } from "../../db/schema/index.ts";

/** At most this many findings are stored per tenant and check (the first ones; the log line counts them all). */
export const LEDGER_ALERTS_PER_CHECK = 20;

export interface LedgerFinding {
  identity: 1 | 2 | 3 | 4;
  currency: string | null;
  /** What failed, stable from one run to the next: `entry:<id>:<currency>`, `booking:<id>`, `ledger:<currency>`… */
  subject: string;
  detail: string;
}

/**
 * 1. every entry sums to zero per currency, and so does the whole ledger;
 * 2. (the ledger's side) `stripe_balance` moves only in entries that record a Stripe balance transaction — deposits,
 *    disputes, payouts (`stripe_balance_transaction`) and refunds accepted or failed; the Stripe side is the
 *    reconciliation run's;
 * 3. `customer_deposits` of a confirmed booking = what it paid − refunds decided; of a completed, cancelled or
 *    no-show booking, zero;
 * 4. a booking's refunds never exceed what it paid; `refunds_payable` is never negative (its lines never sum to a
 *    debit), per booking and in total.
 */
export async function ledgerFindings(db: Database, tenantId: string): Promise<LedgerFinding[]> {
  return db.withTenantTx(tenantId, async (tx) => {
    const found: LedgerFinding[] = [];
    const unbalanced = await tx.execute<{ entry_id: string; currency: string; sum: string }>(sql`SELECT entry_id,
        currency, sum(amount)::text AS sum FROM journal_lines GROUP BY entry_id, currency HAVING sum(amount) <> 0
        ORDER BY entry_id LIMIT ${LEDGER_ALERTS_PER_CHECK}`);
    for (const r of unbalanced.rows)
      found.push({
        identity: 1,
        currency: r.currency.trim(),
        subject: `entry:${r.entry_id}:${r.currency.trim()}`,
        detail: `entry ${r.entry_id} sums to ${r.sum} ${r.currency.trim()}`,
      });
    const total = await tx.execute<{ currency: string; sum: string }>(sql`SELECT currency, sum(amount)::text AS sum
        FROM journal_lines GROUP BY currency HAVING sum(amount) <> 0`);
    for (const r of total.rows)
      found.push({
        identity: 1,
        currency: r.currency.trim(),
        subject: `ledger:${r.currency.trim()}`,
        detail: `the ledger sums to ${r.sum} ${r.currency.trim()}`,
      });
    const stray = await tx.execute<{ id: string; source_type: string; currency: string }>(sql`SELECT e.id,
        e.source_type, min(l.currency) AS currency
      FROM journal_entries e JOIN journal_lines l ON l.tenant_id = e.tenant_id AND l.entry_id = e.id
      WHERE l.account = 'stripe_balance'
        AND e.source_type NOT IN ('stripe_balance_transaction', 'refund_accepted', 'refund_failed')
      GROUP BY e.id, e.source_type ORDER BY e.id LIMIT ${LEDGER_ALERTS_PER_CHECK}`);
    for (const r of stray.rows)
      found.push({
        identity: 2,
        currency: r.currency.trim(),
        subject: `entry:${r.id}`,
        detail: `entry ${r.id} (source ${r.source_type}) moves stripe_balance without a Stripe balance transaction`,
      });
    const bookings = await tx.execute<{
      id: string;
      status: string;
      currency: string;
      paid: string;
      refunded: string;
      deposits: string;
      payable: string;
    }>(sql`WITH l AS (
        SELECT booking_id,
               coalesce(sum(amount) FILTER (WHERE account = 'customer_deposits'), 0) AS deposits,
               coalesce(sum(amount) FILTER (WHERE account = 'refunds_payable'), 0) AS payable
        FROM journal_lines WHERE booking_id IS NOT NULL GROUP BY booking_id),
      p AS (SELECT booking_id, sum(amount) AS paid FROM payments GROUP BY booking_id),
      r AS (SELECT booking_id, sum(amount) AS refunded FROM refunds GROUP BY booking_id)
      SELECT b.id, b.status, b.currency, coalesce(p.paid, 0)::text AS paid, coalesce(r.refunded, 0)::text AS refunded,
             coalesce(l.deposits, 0)::text AS deposits, coalesce(l.payable, 0)::text AS payable
      FROM bookings b
        LEFT JOIN l ON l.booking_id = b.id LEFT JOIN p ON p.booking_id = b.id LEFT JOIN r ON r.booking_id = b.id
      WHERE (l.booking_id IS NOT NULL OR p.booking_id IS NOT NULL OR r.booking_id IS NOT NULL)
        AND ((b.status = 'confirmed' AND coalesce(l.deposits, 0) <> -(coalesce(p.paid, 0) - coalesce(r.refunded, 0)))
          OR (b.status IN ('completed', 'cancelled', 'no_show') AND coalesce(l.deposits, 0) <> 0)
          OR coalesce(r.refunded, 0) > coalesce(p.paid, 0)
          OR coalesce(l.payable, 0) > 0)
      ORDER BY b.id LIMIT ${LEDGER_ALERTS_PER_CHECK}`);
    for (const b of bookings.rows) {
      const [paid, refunded, deposits, payable] = [b.paid, b.refunded, b.deposits, b.payable].map(Number) as [
        number,
        number,
        number,
        number,
      ];
      const currency = b.currency.trim();
      if (b.status === "confirmed" && deposits !== -(paid - refunded))
        found.push({
          identity: 3,
          currency,
          subject: `booking:${b.id}`,
          detail: `booking ${b.id} (confirmed): customer_deposits ${deposits}, paid ${paid} − refunds ${refunded}`,
        });
      if (["completed", "cancelled", "no_show"].includes(b.status) && deposits !== 0)
        found.push({
          identity: 3,
          currency,
          subject: `booking:${b.id}`,
          detail: `booking ${b.id} (${b.status}): customer_deposits ${deposits} left`,
        });
      if (refunded > paid)
        found.push({
          identity: 4,
          currency,
          subject: `booking:${b.id}:refunds`,
          detail: `booking ${b.id}: refunds ${refunded} exceed what it paid, ${paid}`,
        });
      if (payable > 0)
        found.push({
          identity: 4,
          currency,
          subject: `booking:${b.id}:refunds_payable`,
          detail: `booking ${b.id}: refunds_payable is negative (${payable})`,
        });
    }
    const payable = await tx.execute<{ currency: string; sum: string }>(sql`SELECT currency, sum(amount)::text AS sum
        FROM journal_lines WHERE account = 'refunds_payable' GROUP BY currency HAVING sum(amount) > 0`);
    for (const r of payable.rows)
      found.push({
        identity: 4,
        currency: r.currency.trim(),
        subject: `refunds_payable:${r.currency.trim()}`,
        detail: `refunds_payable is negative in total (${r.sum} ${r.currency.trim()})`,
      });
    return found;
  });
}

/**
 * Checks one tenant; stores and logs what failed. A failure already alerted (same identity and subject) has its alert
 * updated: `last_seen_at` moves to `now` and `count` grows by one per check run (a run repeated at the same instant
 * counts once). Returns the findings (empty: healthy).
 */
export async function checkLedger(db: Database, tenantId: string, now: Date): Promise<LedgerFinding[]> {
  const found = await ledgerFindings(db, tenantId);
  if (found.length === 0) return found;
  // One row per identity + subject, the first finding's detail (one statement may not update a row twice).
  const alerts = new Map<string, LedgerFinding>();
  for (const f of found.slice(0, LEDGER_ALERTS_PER_CHECK * 5))
    alerts.set(`${f.identity} ${f.subject}`, alerts.get(`${f.identity} ${f.subject}`) ?? f);
  await db.withTenantTx(tenantId, (tx) =>
    tx
      .insert(ledgerAlerts)
      .values(
        [...alerts.values()].map((f) => ({
          tenantId,
          identity: f.identity,
          subject: f.subject,
          currency: f.currency,
          detail: f.detail,
          firstSeenAt: now,
          lastSeenAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: [ledgerAlerts.tenantId, ledgerAlerts.identity, ledgerAlerts.subject],
        set: {
          currency: sql`excluded.currency`,
          detail: sql`excluded.detail`,
          lastSeenAt: sql`greatest(${ledgerAlerts.lastSeenAt}, excluded.last_seen_at)`,
          count: sql`${ledgerAlerts.count} + (${ledgerAlerts.lastSeenAt} < excluded.last_seen_at)::int`,
        },
      }),
  );
  console.error(
    JSON.stringify({
      level: "error",
      msg: "ledger identity failed",
      tenantId,
      findings: found.length,
      identities: [...new Set(found.map((f) => f.identity))],
      first: found[0]!.detail,
    }),
  );
  return found;
}
