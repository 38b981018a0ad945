// Paying at the venue: what a completion settles, as one pure function. The balance due is price − deposits −
// discount; the desk payments must cover it plus the tip declared. The result feeds domain/ledger.ts's
// bookingCompleted and commissionEarned (docs/API.md "Completing a booking").
import { AppError } from "../errors.ts";
import { commissionFor, DESK_METHODS, type DeskMethod } from "./ledger.ts";

export interface DeskSettlementInput {
  price: number;
  /** What the booking's customer_deposits holds (deposits paid, less refunds decided and fees kept). */
  deposits: number;
  payments: readonly { method: DeskMethod; amount: number }[];
  tip: number;
  discount: number;
  /** The owner accepts that less than the balance due was paid: the rest stays owed, never revenue. */
  acceptBalanceDue: boolean;
  commissionBps: number;
}

export interface DeskSettlement {
  /** price − deposits − discount: what the desk had to collect before the tip. */
  due: number;
  desk: Record<DeskMethod, number>;
  paid: number;
  tip: number;
  discount: number;
  /** due − (paid − tip), when the owner accepted leaving it unpaid; else 0. */
  balanceDue: number;
  /** Recognised as service_revenue: price − balanceDue (= deposits + paid − tip + discount). */
  revenue: number;
  commission: number;
}

/** Decides a completion's money or refuses it with a code (nothing is stored then). */
export function settleAtDesk(input: DeskSettlementInput): DeskSettlement {
  const desk = Object.fromEntries(DESK_METHODS.map((m) => [m, 0])) as Record<DeskMethod, number>;
  for (const p of input.payments) desk[p.method] += p.amount;
  const paid = DESK_METHODS.reduce((sum, m) => sum + desk[m], 0);
  const { price, deposits, tip, discount } = input;
  if (deposits > price)
    throw new AppError(
      "DEPOSITS_EXCEED_PRICE",
      `The deposits held (${deposits}) exceed the price (${price}): refund the difference before completing`,
    );
  if (discount > price - deposits)
    throw new AppError(
      "DISCOUNT_EXCEEDS_BALANCE",
      `The discount (${discount}) is more than the price less the deposits (${price - deposits})`,
    );
  const due = price - deposits - discount;
  if (tip > paid)
    throw new AppError("TIP_EXCEEDS_PAYMENTS", `The tip (${tip}) must be paid at the desk: the payments total ${paid}`);
  const forService = paid - tip;
  if (forService > due)
    throw new AppError(
      "DESK_OVERPAID",
      `The desk payments (${paid}) exceed the balance due (${due}) plus the tip (${tip}) by ${forService - due}: declare the difference as a tip or take less`,
    );
  const balanceDue = due - forService;
  if (balanceDue > 0 && !input.acceptBalanceDue)
    throw new AppError(
      "BALANCE_DUE",
      `${balanceDue} of the balance due (${due}) is not paid: take it, give a discount, or complete with acceptBalanceDue`,
    );
  const revenue = price - balanceDue;
  return {
    due,
    desk,
    paid,
    tip,
    discount,
    balanceDue,
    revenue,
    commission: commissionFor(input.commissionBps, revenue, discount),
  };
}
