// Applies a verified Stripe event (the route checked its signature with the `stripe` package). Events are routed to a
// tenant by `event.account` — the connected account that tenant owns — never by metadata; each event id applies once
// per tenant, and every movement of money posts its ledger entry in the transaction that applies it, once per
// Stripe balance transaction (its id is the entry's source), so replays and any order give the same ledger:
// - a paid checkout confirms its held booking when it paid exactly the deposit in the booking's currency; any other
//   amount or currency leaves the booking unconfirmed and flagged (`payment_flag = amount_mismatch`), but the money
//   did land on the Stripe balance, so it is posted (`deposit.paid` in the paid currency) and recorded as a
//   `mismatch` payment the owner can refund. A payment that cannot confirm its booking is refunded in full at once
//   and the customer told by e-mail: it landed after the hold lapsed for a time someone else took (origin
//   `slot_taken`), or for a booking already cancelled (origin `booking_cancelled`);
// - refund.created/updated/failed settle Bookra's refunds, and record one made in Stripe's dashboard (origin `stripe`);
// - charge.dispute.* post the dispute's balance transactions and flag the booking; payout.paid/failed post payouts;
// - an event about a PaymentIntent Bookra does not know yet is parked (payment_events_parked) and applied in the
//   transaction of the checkout that makes it known.
import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { type Database, noteOutboxWritten, type Tx } from "../../db/client.ts";
import { bookings, paymentEventsParked, payments } from "../../db/schema/index.ts";
import { depositPaid, disputeLost, disputeOpened, disputeWon, payoutFailed, payoutPaid } from "../../domain/ledger.ts";
import { LATE_PAYMENT_REFUNDED } from "../../effects/handlers/notices.ts";
import { applicationFeeRefunded } from "../../effects/stripe-refunds.ts";
import { AppError, isSlotConflict } from "../../errors.ts";
import { newId } from "../../lib/ids.ts";
import { accountState, type PaymentsProvider, PaymentsUnavailable } from "../../providers/stripe.ts";
import { iso } from "../bookings/availability.ts";
import { writeOutbox } from "../bookings/outbox-rows.ts";
import { postEntry } from "../ledger/post.ts";
import { bookingMoney, decideRefund } from "../refunds/decide.ts";
import { applyRefundOutcome, refundStatusOf } from "../refunds/outcome.ts";
import { storeAccountState } from "./connect.ts";

export type ApplyResult = "applied" | "duplicate" | "ignored" | "flagged" | "parked";

const BOOKING = /^bkg_[0-9a-z]{20}$/;

type BookingRow = typeof bookings.$inferSelect;

export async function applyStripeEvent({
  db,
  event,
  now,
  provider,
}: {
  db: Database;
  event: Stripe.Event;
  now: Date;
  /** Asked, before the transaction, for a paid checkout's balance transaction (its fees, for the ledger). */
  provider?: PaymentsProvider | undefined;
}): Promise<ApplyResult> {
  if (!event.account) return "ignored";
  const tenantId = await db.tenantIdForStripeAccount(event.account);
  if (!tenantId) return "ignored";
  // A redelivered event is answered before Stripe is asked anything (the insert below still decides under races).
  if (needsStripe(event) && (await seenBefore(db, tenantId, event.id))) return "duplicate";
  const balance = await balanceTransactionOf(event, provider);
  return db.withTenantTx(tenantId, async (tx) => {
    const fresh = await tx.execute(sql`INSERT INTO payment_events (tenant_id, event_id, event_type)
      VALUES (${tenantId}, ${event.id}, ${event.type}) ON CONFLICT DO NOTHING RETURNING 1`);
    if (fresh.rows.length === 0) return "duplicate";
    return applyVerified(tx, tenantId, event, now, balance);
  });
}

const ASKS_STRIPE = new Set([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "refund.created",
  "refund.updated",
  "refund.failed",
]);

/** Whether applying the event first asks Stripe for a balance transaction. */
function needsStripe(event: Stripe.Event): boolean {
  return ASKS_STRIPE.has(event.type);
}

async function seenBefore(db: Database, tenantId: string, eventId: string): Promise<boolean> {
  return db.withTenantTx(tenantId, async (tx) => {
    const seen = await tx.execute(sql`SELECT 1 FROM payment_events WHERE event_id = ${eventId}`);
    return seen.rows.length > 0;
  });
}

/** One verified, first-seen event inside the tenant's transaction (also a parked one, when its charge became known). */
async function applyVerified(
  tx: Tx,
  tenantId: string,
  event: Stripe.Event,
  now: Date,
  balance: Stripe.BalanceTransaction | null,
): Promise<ApplyResult> {
  switch (event.type) {
    case "account.updated":
      await storeAccountState(tx, tenantId, accountState(event.data.object));
      return "applied";
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
      return checkoutPaid(tx, tenantId, event.data.object, now, balance);
    case "refund.created":
    case "refund.updated":
    case "refund.failed":
      return refundChanged(tx, tenantId, event, event.data.object, balance);
    case "charge.dispute.created":
    case "charge.dispute.funds_withdrawn":
    case "charge.dispute.funds_reinstated":
    case "charge.dispute.closed":
      return disputeChanged(tx, tenantId, event, event.data.object);
    case "payout.paid":
    case "payout.failed":
      return payoutChanged(tx, tenantId, event, event.data.object);
    default:
      return "ignored";
  }
}

/** The balance transaction an event's money needs from Stripe (a paid checkout's charge, a refund's), or null. */
async function balanceTransactionOf(
  event: Stripe.Event,
  provider: PaymentsProvider | undefined,
): Promise<Stripe.BalanceTransaction | null> {
  if (event.type === "refund.created" || event.type === "refund.updated" || event.type === "refund.failed") {
    const txn = event.data.object.balance_transaction;
    if (!txn) return null;
    if (typeof txn !== "string") return txn;
    if (!provider || !event.account) return null;
    const account = event.account;
    return askStripe(() => provider.retrieveBalanceTransactionById(account, txn));
  }
  return paidBalanceTransaction(event, provider);
}

/** Stripe's answer; null when it says there is no such object; a 409 (Stripe redelivers later) when it cannot answer. */
async function askStripe<T>(ask: () => Promise<T | null>): Promise<T | null> {
  try {
    return await ask();
  } catch (cause) {
    const stripeError = cause instanceof PaymentsUnavailable ? cause.cause : cause;
    if ((stripeError as { statusCode?: number }).statusCode === 404) return null;
    console.error("Stripe balance transaction unavailable", cause);
    throw new AppError("PAYMENTS_NOT_READY", "Stripe did not answer for the payment's balance transaction; retry");
  }
}

/**
 * The balance transaction of a paid checkout's charge: what Stripe actually credited, with its fees. Asked outside the
 * tenant transaction; if Stripe cannot answer, the event is refused (409) and Stripe delivers it again later.
 */
async function paidBalanceTransaction(
  event: Stripe.Event,
  provider: PaymentsProvider | undefined,
): Promise<Stripe.BalanceTransaction | null> {
  if (event.type !== "checkout.session.completed" && event.type !== "checkout.session.async_payment_succeeded")
    return null;
  const session = event.data.object;
  if (session.payment_status !== "paid" || typeof session.payment_intent !== "string" || !provider || !event.account)
    return null;
  const account = event.account;
  const paymentIntent = session.payment_intent;
  return askStripe(async () => {
    const charge = await provider.chargeOfPaymentIntent(account, paymentIntent);
    return charge ? await provider.retrieveBalanceTransaction(account, charge) : null;
  });
}

/** Fees of a balance transaction by kind: Stripe's own and the platform's application fee. */
function feesOf(txn: Stripe.BalanceTransaction): { stripeFee: number; platformFee: number } {
  let stripeFee = 0;
  let platformFee = 0;
  for (const f of txn.fee_details) {
    if (f.type === "application_fee") platformFee += f.amount;
    else stripeFee += f.amount;
  }
  return { stripeFee, platformFee };
}

async function checkoutPaid(
  tx: Tx,
  tenantId: string,
  session: Stripe.Checkout.Session,
  now: Date,
  balance: Stripe.BalanceTransaction | null,
): Promise<ApplyResult> {
  if (session.payment_status !== "paid") return "ignored";
  // The booking is the one whose stored session this is; the session's own reference is only a fallback for a
  // session created before its id was stored (same tenant either way: RLS scopes the look-up).
  let [booking] = await tx.select().from(bookings).where(eq(bookings.checkoutSessionId, session.id)).for("update");
  const ref = session.client_reference_id;
  if (!booking && ref && BOOKING.test(ref))
    [booking] = await tx.select().from(bookings).where(eq(bookings.id, ref)).for("update");
  if (!booking) return "ignored";
  const amount = session.amount_total ?? 0;
  const currency = (session.currency ?? "").toUpperCase();
  const providerRef = typeof session.payment_intent === "string" ? session.payment_intent : session.id;
  if (amount !== booking.depositAmount || currency !== booking.currency.trim().toUpperCase()) {
    await tx
      .update(bookings)
      .set({ paymentFlag: "amount_mismatch", updatedAt: now })
      .where(eq(bookings.id, booking.id));
    if (balance) await recordMismatch(tx, tenantId, booking.id, providerRef, balance, now);
    return "flagged";
  }
  const confirmed = await confirmPaid(tx, booking, now);
  const fees = balance ? feesOf(balance) : null;
  const recorded = await tx.execute(sql`INSERT INTO payments (id, tenant_id, booking_id, amount, currency,
      provider_ref, status, stripe_fee, platform_fee)
    VALUES (${newId("pay")}, ${tenantId}, ${booking.id}, ${amount}, ${booking.currency}, ${providerRef},
            ${confirmed ? "succeeded" : "refund_required"}, ${fees?.stripeFee ?? null}, ${fees?.platformFee ?? null})
    ON CONFLICT (tenant_id, provider_ref) DO NOTHING RETURNING 1`);
  // The money arrived on the business's Stripe balance: posted once per balance transaction, in this transaction.
  if (balance) await postDeposit(tx, tenantId, booking.id, booking.currency.trim(), balance);
  // A payment that cannot confirm its booking is refunded in full, at once, and the customer told why: paid after the
  // hold lapsed for a time someone else booked meanwhile (confirmPaid refuses a held or expired booking only when the
  // time is taken), or paid for a booking already cancelled. Only money Stripe confirmed (its balance transaction is
  // posted) is refunded; once per payment.
  if (!confirmed && balance && recorded.rows.length > 0)
    await refundUnconfirmable(tx, tenantId, booking, now, {
      paid: amount,
      origin: booking.status === "expired" || booking.status === "pending_payment" ? "slot_taken" : "booking_cancelled",
    });
  if (recorded.rows.length > 0) await applyParked(tx, tenantId, providerRef, now);
  return "applied";
}

/**
 * A paid checkout whose amount or currency is not the booking's deposit: the booking stays unconfirmed (flagged by
 * the caller), but the money is on the business's Stripe balance all the same. It is recorded as a `mismatch`
 * payment — what the charge's balance transaction brought in, in its currency — and posted against the booking, so
 * the owner can refund it (POST /v1/admin/bookings/{id}/refunds) and a refund made in Stripe's dashboard finds it;
 * the events parked for it apply now. Once per PaymentIntent.
 */
async function recordMismatch(
  tx: Tx,
  tenantId: string,
  bookingId: string,
  providerRef: string,
  balance: Stripe.BalanceTransaction,
  now: Date,
): Promise<void> {
  const currency = balance.currency.toUpperCase();
  const fees = feesOf(balance);
  const recorded = await tx.execute(sql`INSERT INTO payments (id, tenant_id, booking_id, amount, currency,
      provider_ref, status, stripe_fee, platform_fee)
    VALUES (${newId("pay")}, ${tenantId}, ${bookingId}, ${balance.amount}, ${currency}, ${providerRef}, 'mismatch',
            ${fees.stripeFee}, ${fees.platformFee})
    ON CONFLICT (tenant_id, provider_ref) DO NOTHING RETURNING 1`);
  await postDeposit(tx, tenantId, bookingId, currency, balance);
  if (recorded.rows.length > 0) await applyParked(tx, tenantId, providerRef, now);
}

async function postDeposit(
  tx: Tx,
  tenantId: string,
  bookingId: string,
  currency: string,
  balance: Stripe.BalanceTransaction,
): Promise<void> {
  const p = depositPaid({ currency, bookingId, amount: balance.amount, ...feesOf(balance) });
  await postEntry(tx, {
    tenantId,
    occurredAt: new Date(balance.created * 1000),
    kind: p.kind,
    source: { type: "stripe_balance_transaction", id: balance.id },
    lines: p.lines,
  });
}

/**
 * The full refund of a payment that cannot confirm its booking (issue 13 item 8): `slot_taken` when it arrived after
 * the hold lapsed and found the time booked, `booking_cancelled` when the booking had been cancelled. The customer's
 * e-mail (`booking.late_payment_refunded`) says which, from the booking's status.
 */
async function refundUnconfirmable(
  tx: Tx,
  tenantId: string,
  booking: BookingRow,
  now: Date,
  { paid, origin }: { paid: number; origin: "slot_taken" | "booking_cancelled" },
): Promise<void> {
  const money = await bookingMoney(tx, booking);
  // What this payment brought in, never more than is left: a fee an earlier payment left kept stays kept.
  const amount = Math.min(paid, money.paid - money.refunded);
  if (amount <= 0) return;
  await decideRefund(tx, {
    tenantId,
    booking,
    money,
    amount,
    reason:
      origin === "slot_taken"
        ? "Paid after the hold lapsed; the time had been booked by someone else (slot_taken)"
        : "Paid for a booking that had been cancelled (booking_cancelled)",
    origin,
    now,
  });
  const id = newId("evt");
  await tx.execute(sql`INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload)
    VALUES (${id}, ${tenantId}, ${LATE_PAYMENT_REFUNDED}, ${booking.id},
            ${JSON.stringify({ bookingId: booking.id, amount, currency: money.currency, origin, start: iso(booking.startsAt.getTime()) })}::jsonb)`);
  noteOutboxWritten(tx, [id]);
}

/** The booking whose payment is this PaymentIntent (RLS: within the routed tenant), locked; null when unknown. */
async function bookingOfPayment(tx: Tx, paymentIntent: string): Promise<BookingRow | null> {
  const [pay] = await tx
    .select({ bookingId: payments.bookingId })
    .from(payments)
    .where(eq(payments.providerRef, paymentIntent));
  if (!pay) return null;
  const [booking] = await tx.select().from(bookings).where(eq(bookings.id, pay.bookingId)).for("update");
  return booking ?? null;
}

/** Keeps an event until the checkout of its PaymentIntent is applied (applyParked), with the money Stripe gave. */
async function park(
  tx: Tx,
  tenantId: string,
  paymentIntent: string,
  event: Stripe.Event,
  balance: Stripe.BalanceTransaction | null,
): Promise<ApplyResult> {
  await tx.execute(sql`INSERT INTO payment_events_parked (tenant_id, event_id, payment_intent, event, balance)
    VALUES (${tenantId}, ${event.id}, ${paymentIntent}, ${JSON.stringify(event)}::jsonb,
            ${balance ? JSON.stringify(balance) : null}::jsonb)
    ON CONFLICT DO NOTHING`);
  return "parked";
}

/** Applies, in Stripe's order, the events parked for a PaymentIntent that has just become known. */
async function applyParked(tx: Tx, tenantId: string, paymentIntent: string, now: Date): Promise<void> {
  const parked = await tx
    .delete(paymentEventsParked)
    .where(eq(paymentEventsParked.paymentIntent, paymentIntent))
    .returning();
  const ordered = parked
    .map((p) => ({ event: p.event as Stripe.Event, balance: (p.balance ?? null) as Stripe.BalanceTransaction | null }))
    .sort((a, b) => a.event.created - b.event.created || a.event.id.localeCompare(b.event.id));
  for (const p of ordered) await applyVerified(tx, tenantId, p.event, now, p.balance);
}

const idOf = (x: string | { id: string } | null | undefined): string | null =>
  typeof x === "string" ? x : (x?.id ?? null);

/**
 * A refund's state from Stripe. Bookra's own refunds carry its id in their metadata (the effect made them; inside the
 * tenant the event was routed to, that id finds the row; news of an attempt other than the row's current one, named
 * by `bookra_refund_attempt`, absent for the first, is stale). Any other refund was made in Stripe's dashboard: recorded
 * once, by its Stripe id, as a refund of origin `stripe` (decided and accepted, nothing asked of Stripe), or parked
 * while its payment is not known yet. The application fee it returned comes from its balance transaction.
 */
async function refundChanged(
  tx: Tx,
  tenantId: string,
  event: Stripe.Event,
  refund: Stripe.Refund,
  balance: Stripe.BalanceTransaction | null,
): Promise<ApplyResult> {
  const ours = refund.metadata?.bookra_refund_id;
  const outcome = {
    tenantId,
    stripeRefundId: refund.id,
    status: refundStatusOf(refund.status),
    applicationFeeRefunded: balance ? applicationFeeRefunded({ ...refund, balance_transaction: balance }) : undefined,
    failureReason: refund.failure_reason ?? undefined,
    occurredAt: new Date(event.created * 1000),
  };
  if (typeof ours === "string" && ours.startsWith("rfd_")) {
    const attempt = Number(refund.metadata?.bookra_refund_attempt ?? 1);
    return (await applyRefundOutcome(tx, { ...outcome, refundId: ours, attempt })) ? "applied" : "ignored";
  }
  const paymentIntent = idOf(refund.payment_intent);
  if (!paymentIntent) return "ignored";
  // The booking's lock serialises the events of one refund: the first records it, the others find it by Stripe's id.
  const booking = await bookingOfPayment(tx, paymentIntent);
  if (!booking) return park(tx, tenantId, paymentIntent, event, balance);
  if (await applyRefundOutcome(tx, outcome)) return "applied";
  const row = await decideRefund(tx, {
    tenantId,
    booking,
    money: await bookingMoney(tx, booking, refund.currency.toUpperCase()),
    amount: refund.amount,
    reason: "Refunded in Stripe's dashboard",
    origin: "stripe",
    now: outcome.occurredAt,
    askStripe: false,
  });
  await applyRefundOutcome(tx, { ...outcome, refundId: row.id });
  return "applied";
}

/**
 * A dispute: each of its balance transactions posts once (the withdrawal `disputeOpened` with the dispute fee, the
 * reinstatement `disputeWon` with the fee returned), whichever of its events brings it first; a lost dispute posts
 * `disputeLost` once (source `stripe_dispute_closed:<dispute id>`). The booking shows the dispute's state.
 */
async function disputeChanged(
  tx: Tx,
  tenantId: string,
  event: Stripe.Event,
  dispute: Stripe.Dispute,
): Promise<ApplyResult> {
  const paymentIntent = idOf(dispute.payment_intent);
  if (!paymentIntent) return "ignored";
  const booking = await bookingOfPayment(tx, paymentIntent);
  if (!booking) return park(tx, tenantId, paymentIntent, event, null);
  const bookingId = booking.id;
  for (const txn of dispute.balance_transactions) {
    const currency = txn.currency.toUpperCase();
    const fee = txn.fee_details.reduce((sum, f) => sum + f.amount, 0);
    const p =
      txn.amount < 0
        ? disputeOpened({ currency, bookingId, amount: -txn.amount, fee })
        : disputeWon({ currency, bookingId, amount: txn.amount, feeReturned: -fee });
    await postEntry(tx, {
      tenantId,
      occurredAt: new Date(txn.created * 1000),
      kind: p.kind,
      source: { type: "stripe_balance_transaction", id: txn.id },
      lines: p.lines,
    });
  }
  if (dispute.status === "lost") {
    const p = disputeLost({ currency: dispute.currency.toUpperCase(), bookingId, amount: dispute.amount });
    await postEntry(tx, {
      tenantId,
      occurredAt: new Date(event.created * 1000),
      kind: p.kind,
      source: { type: "stripe_dispute_closed", id: dispute.id },
      lines: p.lines,
    });
  }
  const flag = dispute.status === "won" ? "dispute_won" : dispute.status === "lost" ? "dispute_lost" : "disputed";
  // A closed dispute's flag is final: a late `created` does not reopen it.
  await tx.execute(sql`UPDATE bookings SET payment_flag = ${flag}
    WHERE id = ${bookingId} AND (${flag} <> 'disputed' OR payment_flag IS NULL
      OR payment_flag NOT IN ('dispute_won', 'dispute_lost'))`);
  return "applied";
}

/**
 * A payout: `payoutPaid` from its balance transaction; a failed one also `payoutFailed` from its failure balance
 * transaction (both, whichever event comes first: each posts once). No booking.
 */
async function payoutChanged(
  tx: Tx,
  tenantId: string,
  event: Stripe.Event,
  payout: Stripe.Payout,
): Promise<ApplyResult> {
  const currency = payout.currency.toUpperCase();
  const occurredAt = new Date(event.created * 1000);
  await recordPayout(tx, tenantId, payout, occurredAt);
  const posts: [ReturnType<typeof payoutPaid>, string | null][] = [
    [payoutPaid({ currency, amount: payout.amount }), idOf(payout.balance_transaction)],
  ];
  if (event.type === "payout.failed")
    posts.push([payoutFailed({ currency, amount: payout.amount }), idOf(payout.failure_balance_transaction)]);
  let posted = false;
  for (const [p, txn] of posts) {
    if (!txn) continue;
    await postEntry(tx, {
      tenantId,
      occurredAt,
      kind: p.kind,
      source: { type: "stripe_balance_transaction", id: txn },
      lines: p.lines,
    });
    posted = true;
  }
  return posted ? "applied" : "ignored";
}

/**
 * The payout as the owner lists it (GET /v1/admin/payouts): stored on its first event, its status moved forward by
 * later ones (a `failed` is final; an older event never moves it back).
 */
async function recordPayout(tx: Tx, tenantId: string, payout: Stripe.Payout, at: Date): Promise<void> {
  await tx.execute(sql`INSERT INTO payouts (tenant_id, id, amount, currency, status, arrival_date, created_at,
      balance_transaction_id, failure_balance_transaction_id, failure_code, updated_at)
    VALUES (${tenantId}, ${payout.id}, ${payout.amount}, ${payout.currency.toUpperCase()}, ${payout.status},
            ${payout.arrival_date ? new Date(payout.arrival_date * 1000).toISOString() : null},
            ${new Date(payout.created * 1000).toISOString()}, ${idOf(payout.balance_transaction)},
            ${idOf(payout.failure_balance_transaction)}, ${payout.failure_code ?? null}, ${at.toISOString()})
    ON CONFLICT (tenant_id, id) DO UPDATE SET
      status = CASE WHEN payouts.status = 'failed' OR payouts.updated_at > EXCLUDED.updated_at THEN payouts.status
                    ELSE EXCLUDED.status END,
      failure_balance_transaction_id = COALESCE(payouts.failure_balance_transaction_id,
                                                EXCLUDED.failure_balance_transaction_id),
      failure_code = COALESCE(payouts.failure_code, EXCLUDED.failure_code),
      updated_at = GREATEST(payouts.updated_at, EXCLUDED.updated_at)`);
}

/**
 * Confirms a held booking. A payment that lands after the hold lapsed still confirms if the time is free; if someone
 * else took it meanwhile, the exclusion constraint refuses and the payment is marked for refund.
 */
async function confirmPaid(tx: Tx, booking: BookingRow, now: Date): Promise<boolean> {
  if (booking.status === "confirmed" || booking.status === "completed") return true;
  if (booking.status !== "pending_payment" && booking.status !== "expired") return false;
  try {
    await tx.execute(sql`SAVEPOINT confirm_paid`);
    await tx
      .update(bookings)
      .set({ status: "confirmed", updatedAt: now })
      .where(and(eq(bookings.id, booking.id), eq(bookings.status, booking.status)));
    await tx.execute(sql`RELEASE SAVEPOINT confirm_paid`);
  } catch (err) {
    if (!isSlotConflict(err)) throw err;
    await tx.execute(sql`ROLLBACK TO SAVEPOINT confirm_paid`);
    return false;
  }
  await writeOutbox(tx, booking.tenantId, "booking.confirmed", booking.id, {
    status: "confirmed",
    staffId: booking.staffId,
    serviceId: booking.serviceId,
    start: iso(booking.startsAt.getTime()),
    end: iso(booking.endsAt.getTime()),
  });
  return true;
}
