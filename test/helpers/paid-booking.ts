// A booking that paid a deposit, for refund tests: booked through the public API (so it has a manage token), its
// payment recorded and its `deposit.paid` entry posted as the payment webhook would (issue 13 item 7's rule).
import { depositPaid } from "../../worker/src/domain/ledger.ts";
import type { ServiceConfig, TenantCtx } from "../../worker/src/services/context.ts";
import { postEntry } from "../../worker/src/services/ledger/post.ts";
import type { TestApp } from "./app.ts";
import { customer, type Salon } from "./salon.ts";

export interface PaidBooking {
  id: string;
  manageToken: string;
  paymentIntent: string;
}

export function tenantCtx(t: TestApp, s: Salon): TenantCtx {
  return { db: t.database.db, tenantId: s.tenant.id, now: t.clock.now, config: {} as ServiceConfig };
}

export async function paidBooking(
  t: TestApp,
  s: Salon,
  start: string,
  paid: { amount: number; stripeFee?: number; platformFee?: number },
): Promise<PaidBooking> {
  const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
    body: { serviceId: s.serviceId, start, customer: customer(Math.random().toString(36).slice(2, 8)) },
  });
  if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
  const id: string = res.body.booking.id;
  const paymentIntent = `pi_${id.slice(4)}`;
  await t.database.admin(
    `INSERT INTO payments (id, tenant_id, booking_id, amount, currency, provider_ref, status)
     VALUES ($1, $2, $3, $4, 'EUR', $5, 'succeeded')`,
    [`pay_${id.slice(4)}`, s.tenant.id, id, paid.amount, paymentIntent],
  );
  const p = depositPaid({
    currency: "EUR",
    bookingId: id,
    amount: paid.amount,
    stripeFee: paid.stripeFee ?? 0,
    platformFee: paid.platformFee ?? 0,
  });
  const ctx = tenantCtx(t, s);
  await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
    postEntry(tx, {
      tenantId: ctx.tenantId,
      occurredAt: t.clock.now,
      kind: p.kind,
      source: { type: "stripe_event", id: `evt_${id.slice(4)}` },
      lines: p.lines,
    }),
  );
  return { id, manageToken: res.body.manageToken, paymentIntent };
}

/** The tenant's balance per account (raw SQL, as the superuser), accounts with no lines left out. */
export async function balances(t: TestApp, tenantId: string, bookingId?: string): Promise<Record<string, number>> {
  const rows = await t.database.admin<{ account: string; sum: string }>(
    `SELECT account, sum(amount)::text AS sum FROM journal_lines WHERE tenant_id = $1 AND ($2::text IS NULL OR booking_id = $2)
     GROUP BY account ORDER BY account`,
    [tenantId, bookingId ?? null],
  );
  return Object.fromEntries(rows.map((r) => [r.account, Number(r.sum)]));
}

/** Every entry of the tenant sums to zero (the database checks it at COMMIT; this checks what the tests read). */
export async function unbalancedEntries(t: TestApp, tenantId: string): Promise<unknown[]> {
  return t.database.admin(
    `SELECT entry_id, sum(amount) FROM journal_lines WHERE tenant_id = $1 GROUP BY entry_id HAVING sum(amount) <> 0`,
    [tenantId],
  );
}
