// The ledger's chart of accounts and posting rules (docs/ARCHITECTURE.md "The ledger"), as pure functions: one per
// fact, each returning balanced lines (debit +, credit −, integer minor units). The services post them; the database
// re-checks the balance.
import { AppError } from "../errors.ts";

export type AccountType = "asset" | "liability" | "income" | "expense";

/** The chart of accounts, per tenant, from the business's point of view (docs/ARCHITECTURE.md "The ledger"). */
const CHART: Readonly<Record<string, AccountType>> = {
  stripe_balance: "asset",
  bank: "asset",
  "desk:cash": "asset",
  "desk:card": "asset",
  "desk:other": "asset",
  disputed_funds: "asset",
  customer_deposits: "liability",
  refunds_payable: "liability",
  service_revenue: "income",
  cancellation_fees: "income",
  refunds_given: "income",
  discounts: "income",
  stripe_fees: "expense",
  platform_fees: "expense",
  dispute_fees: "expense",
  dispute_losses: "expense",
  commission_expense: "expense",
};

/** Accounts kept per staff member: `tips_payable:<staffId>`, `commissions_payable:<staffId>`. */
const PER_STAFF: Readonly<Record<string, AccountType>> = {
  tips_payable: "liability",
  commissions_payable: "liability",
};

export const DESK_METHODS = ["cash", "card", "other"] as const;
export type DeskMethod = (typeof DESK_METHODS)[number];

const STAFF_ID = /^[A-Za-z0-9_]{1,64}$/;

/** The type of an account of the chart, or null for a code the chart does not have. */
export function accountTypeOf(code: string): AccountType | null {
  if (Object.hasOwn(CHART, code)) return CHART[code] ?? null;
  const [base, staffId, ...rest] = code.split(":");
  if (rest.length > 0 || staffId === undefined || !STAFF_ID.test(staffId) || !base || !Object.hasOwn(PER_STAFF, base))
    return null;
  return PER_STAFF[base] ?? null;
}

function staffAccount(base: string, staffId: string): string {
  if (!STAFF_ID.test(staffId)) throw new LedgerRuleViolation(`Not a staff id: ${staffId}`);
  return `${base}:${staffId}`;
}

export const tipsPayable = (staffId: string) => staffAccount("tips_payable", staffId);
export const commissionsPayable = (staffId: string) => staffAccount("commissions_payable", staffId);

/** What a line concerns, for reports that need no joins through state. */
export interface Concerns {
  bookingId?: string | null | undefined;
  staffId?: string | null | undefined;
  serviceId?: string | null | undefined;
}

export interface PostingLine {
  account: string;
  /** Minor units; debit positive, credit negative; never zero. */
  amount: number;
  currency: string;
  bookingId: string | null;
  staffId: string | null;
  serviceId: string | null;
}

/** A fact's lines and its kind (`deposit.paid`, `refund.accepted`…); the caller names its source. */
export interface Posting {
  kind: string;
  lines: PostingLine[];
}

/** Input that no posting rule accepts (a negative amount, a completion that does not add up): nothing is posted. */
export class LedgerRuleViolation extends AppError {
  constructor(message: string) {
    super("LEDGER_RULE_VIOLATED", message);
  }
}

function amountOf(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new LedgerRuleViolation(`${name} must be a non-negative integer of minor units (got ${value})`);
  return value;
}

function currencyOf(currency: string): string {
  if (!/^[A-Z]{3}$/.test(currency)) throw new LedgerRuleViolation(`Not an ISO 4217 currency code: ${currency}`);
  return currency;
}

/** Builds a posting from [account, signed amount] pairs: zero lines are left out, every line carries `concerns`. */
function posting(kind: string, currency: string, concerns: Concerns, pairs: [string, number][]): Posting {
  const c = currencyOf(currency);
  const lines = pairs
    .filter(([, amount]) => amount !== 0)
    .map(([account, amount]) => ({
      account,
      amount,
      currency: c,
      bookingId: concerns.bookingId ?? null,
      staffId: concerns.staffId ?? null,
      serviceId: concerns.serviceId ?? null,
    }));
  checkBalanced(lines);
  return { kind, lines };
}

/**
 * Throws unless the lines sum to zero per currency, have no zero amounts and name accounts of the chart. A failure
 * here is a bug in the caller (the rules below cannot produce one): a plain Error, a 500, never a client's 4xx.
 */
export function checkBalanced(lines: readonly PostingLine[]): void {
  const sums = new Map<string, number>();
  for (const l of lines) {
    if (!Number.isSafeInteger(l.amount) || l.amount === 0)
      throw new Error(`ledger line of ${l.amount} on ${l.account}`);
    if (accountTypeOf(l.account) === null) throw new Error(`not an account of the chart: ${l.account}`);
    sums.set(l.currency, (sums.get(l.currency) ?? 0) + l.amount);
  }
  for (const [currency, sum] of sums) if (sum !== 0) throw new Error(`ledger lines do not balance: ${currency} ${sum}`);
}

interface Base extends Concerns {
  currency: string;
}

/**
 * Deposit or prepayment paid: charge A, Stripe fee S and application fee P from the balance transaction's
 * `fee_details`. Dr stripe_balance A−S−P · Dr stripe_fees S · Dr platform_fees P · Cr customer_deposits A.
 */
export function depositPaid(f: Base & { amount: number; stripeFee: number; platformFee: number }): Posting {
  const a = amountOf("amount", f.amount);
  const s = amountOf("stripeFee", f.stripeFee);
  const p = amountOf("platformFee", f.platformFee);
  if (a === 0) throw new LedgerRuleViolation("A payment of zero moves nothing");
  return posting("deposit.paid", f.currency, f, [
    ["stripe_balance", a - s - p],
    ["stripe_fees", s],
    ["platform_fees", p],
    ["customer_deposits", -a],
  ]);
}

/**
 * Appointment completed: price R, deposits D, desk payments K by method, tip T, discount X, with R = D + K − T + X.
 * Dr customer_deposits D · Dr desk:* K · Dr discounts X · Cr service_revenue R · Cr tips_payable:<staff> T.
 */
export function bookingCompleted(
  f: Base & {
    price: number;
    deposits: number;
    desk?: Partial<Record<DeskMethod, number>>;
    tip?: number;
    discount?: number;
  },
): Posting {
  const r = amountOf("price", f.price);
  const d = amountOf("deposits", f.deposits);
  const desk = DESK_METHODS.map((m) => [m, amountOf(`desk.${m}`, f.desk?.[m] ?? 0)] as const);
  const k = desk.reduce((sum, [, v]) => sum + v, 0);
  const t = amountOf("tip", f.tip ?? 0);
  const x = amountOf("discount", f.discount ?? 0);
  if (r !== d + k - t + x)
    throw new LedgerRuleViolation(
      `The price (${r}) must equal deposits (${d}) + desk payments (${k}) − tip (${t}) + discount (${x})`,
    );
  if (t > 0 && !f.staffId) throw new LedgerRuleViolation("A tip is owed to a staff member: staffId is required");
  return posting("booking.completed", f.currency, f, [
    ["customer_deposits", d],
    ...desk.map(([m, v]): [string, number] => [`desk:${m}`, v]),
    ["discounts", x],
    ["service_revenue", -r],
    ...(t > 0 && f.staffId ? [[tipsPayable(f.staffId), -t] as [string, number]] : []),
  ]);
}

/** Commission on a completed appointment: rate (basis points) × (R − X), rounded half up to the minor unit. */
export function commissionFor(rateBps: number, price: number, discount: number): number {
  const base = amountOf("price", price) - amountOf("discount", discount);
  if (!Number.isSafeInteger(rateBps) || rateBps < 0 || rateBps > 10_000)
    throw new LedgerRuleViolation(`A commission rate is 0–10000 basis points (got ${rateBps})`);
  if (base < 0) throw new LedgerRuleViolation("The discount exceeds the price");
  return Math.floor((base * rateBps + 5_000) / 10_000);
}

/** Commission earned at completion: Dr commission_expense c · Cr commissions_payable:<staff> c. */
export function commissionEarned(f: Base & { staffId: string; commission: number }): Posting {
  const c = amountOf("commission", f.commission);
  return posting("commission.earned", f.currency, f, [
    ["commission_expense", c],
    [commissionsPayable(f.staffId), -c],
  ]);
}

/** Commission taken back (a refund after completion): Dr commissions_payable:<staff> c · Cr commission_expense c. */
export function commissionReversed(f: Base & { staffId: string; commission: number }): Posting {
  const c = amountOf("commission", f.commission);
  return posting("commission.reversed", f.currency, f, [
    [commissionsPayable(f.staffId), c],
    ["commission_expense", -c],
  ]);
}

/**
 * A late cancellation or a no-show keeps F of the deposits D and refunds D − F:
 * Dr customer_deposits D · Cr cancellation_fees F · Cr refunds_payable D−F.
 */
export function feeRetained(
  f: Base & { reason: "late_cancellation" | "no_show"; deposits: number; fee: number },
): Posting {
  const d = amountOf("deposits", f.deposits);
  const fee = amountOf("fee", f.fee);
  if (fee > d) throw new LedgerRuleViolation(`The fee kept (${fee}) exceeds the deposits paid (${d})`);
  return posting(`booking.${f.reason}`, f.currency, f, [
    ["customer_deposits", d],
    ["cancellation_fees", -fee],
    ["refunds_payable", -(d - fee)],
  ]);
}

/** A refund decided before completion (amount X): Dr customer_deposits X · Cr refunds_payable X. */
export function refundDecidedBeforeCompletion(f: Base & { amount: number }): Posting {
  const x = amountOf("amount", f.amount);
  return posting("refund.decided", f.currency, f, [
    ["customer_deposits", x],
    ["refunds_payable", -x],
  ]);
}

/**
 * A refund decided after completion (amount X of recognised revenue R): Dr refunds_given X · Cr refunds_payable X,
 * and the commission c earned on it reversed in proportion, round(c × X / R):
 * Dr commissions_payable:<staff> · Cr commission_expense.
 */
export function refundDecidedAfterCompletion(
  f: Base & { amount: number; revenue: number; commission?: number },
): Posting {
  const x = amountOf("amount", f.amount);
  const r = amountOf("revenue", f.revenue);
  const c = amountOf("commission", f.commission ?? 0);
  if (x > r) throw new LedgerRuleViolation(`The refund (${x}) exceeds the revenue recognised (${r})`);
  if (c > 0 && !f.staffId) throw new LedgerRuleViolation("Reversing a commission needs the staff member's id");
  // c × X can pass 2^53: exact in bigint, rounded half up.
  const reversed = c > 0 && r > 0 ? Number((BigInt(c) * BigInt(x) * 2n + BigInt(r)) / (2n * BigInt(r))) : 0;
  return posting("refund.decided_after_completion", f.currency, f, [
    ["refunds_given", x],
    ["refunds_payable", -x],
    ...(reversed > 0 && f.staffId
      ? [
          [commissionsPayable(f.staffId), reversed] as [string, number],
          ["commission_expense", -reversed] as [string, number],
        ]
      : []),
  ]);
}

interface RefundMoved extends Base {
  amount: number;
  /** The application fee Stripe refunded to the business with it (p ≤ X). */
  applicationFeeRefunded?: number;
}

function refundParts(f: RefundMoved): [number, number] {
  const x = amountOf("amount", f.amount);
  const p = amountOf("applicationFeeRefunded", f.applicationFeeRefunded ?? 0);
  if (p > x) throw new LedgerRuleViolation(`The application fee refunded (${p}) exceeds the refund (${x})`);
  return [x, p];
}

/** Refund accepted by Stripe: Dr refunds_payable X · Cr stripe_balance X−p · Cr platform_fees p. */
export function refundAccepted(f: RefundMoved): Posting {
  const [x, p] = refundParts(f);
  return posting("refund.accepted", f.currency, f, [
    ["refunds_payable", x],
    ["stripe_balance", -(x - p)],
    ["platform_fees", -p],
  ]);
}

/** Refund failed (Stripe's `refund_failure`): owed again. Dr stripe_balance X−p · Dr platform_fees p · Cr refunds_payable X. */
export function refundFailed(f: RefundMoved): Posting {
  const [x, p] = refundParts(f);
  return posting("refund.failed", f.currency, f, [
    ["stripe_balance", x - p],
    ["platform_fees", p],
    ["refunds_payable", -x],
  ]);
}

/** Dispute opened (amount X, fee f): Dr disputed_funds X · Dr dispute_fees f · Cr stripe_balance X+f. */
export function disputeOpened(f: Base & { amount: number; fee: number }): Posting {
  const x = amountOf("amount", f.amount);
  const fee = amountOf("fee", f.fee);
  return posting("dispute.opened", f.currency, f, [
    ["disputed_funds", x],
    ["dispute_fees", fee],
    ["stripe_balance", -(x + fee)],
  ]);
}

/** Dispute won: Dr stripe_balance X(+f) · Cr disputed_funds X (· Cr dispute_fees f, when Stripe returns the fee). */
export function disputeWon(f: Base & { amount: number; feeReturned?: number }): Posting {
  const x = amountOf("amount", f.amount);
  const fee = amountOf("feeReturned", f.feeReturned ?? 0);
  return posting("dispute.won", f.currency, f, [
    ["stripe_balance", x + fee],
    ["disputed_funds", -x],
    ["dispute_fees", -fee],
  ]);
}

/** Dispute lost: Dr dispute_losses X · Cr disputed_funds X. */
export function disputeLost(f: Base & { amount: number }): Posting {
  const x = amountOf("amount", f.amount);
  return posting("dispute.lost", f.currency, f, [
    ["dispute_losses", x],
    ["disputed_funds", -x],
  ]);
}

/** Payout paid: Dr bank A · Cr stripe_balance A. */
export function payoutPaid(f: Base & { amount: number }): Posting {
  const a = amountOf("amount", f.amount);
  return posting("payout.paid", f.currency, f, [
    ["bank", a],
    ["stripe_balance", -a],
  ]);
}

/** Payout failed after it was paid: the reverse, Dr stripe_balance A · Cr bank A. */
export function payoutFailed(f: Base & { amount: number }): Posting {
  const a = amountOf("amount", f.amount);
  return posting("payout.failed", f.currency, f, [
    ["stripe_balance", a],
    ["bank", -a],
  ]);
}

/**
 * Staff paid their commission and/or tips: Dr commissions_payable:<staff> c · Dr tips_payable:<staff> t ·
 * Cr bank (or desk:cash) c+t.
 */
export function staffPaid(
  f: Base & { staffId: string; commission?: number; tips?: number; from: "bank" | "desk:cash" },
): Posting {
  const c = amountOf("commission", f.commission ?? 0);
  const t = amountOf("tips", f.tips ?? 0);
  return posting("staff.paid", f.currency, f, [
    [commissionsPayable(f.staffId), c],
    [tipsPayable(f.staffId), t],
    [f.from, -(c + t)],
  ]);
}

/** The lines that undo `lines` (a reversing entry: corrections never edit, they post the opposite). */
export function reversalOf(lines: readonly PostingLine[]): PostingLine[] {
  return lines.map((l) => ({ ...l, amount: -l.amount }));
}
