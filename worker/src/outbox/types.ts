// The contract between the outbox consumer and the side-effect handlers it drives (invariant 2).
import type { Tx } from "../db/client.ts";
import type { BookingContext } from "../domain/booking-context.ts";
import type { ServiceConfig } from "../services/context.ts";

/** One outbox row as the consumer hands it to handlers (read inside the tenant's transaction). */
export interface OutboxEvent {
  id: string;
  tenantId: string;
  type: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * What the consumer reads once per delivery, in the same round trip as the outbox row, and hands to every handler of
 * the event (read-only; handlers must not mutate it). It is a snapshot taken just before the handlers' own
 * transactions: a handler that must converge on the booking's latest state, or lock it, reads inside its transaction.
 */
export interface SharedContext {
  /** The booking the event is about (payload.bookingId, else the aggregate id); null when there is none. */
  booking: BookingContext | null;
  /** tenant_channels.whatsapp (false when the tenant has no row). */
  whatsappEnabled: boolean;
  /** Whether the booking's staff member connected an external calendar. */
  calendarConnected: boolean;
  /** Whether the tenant has a live webhook endpoint subscribed to this event type. */
  webhooksSubscribed: boolean;
}

/**
 * A side effect of an outbox event. The consumer runs `run` inside a transaction scoped to the event's tenant and,
 * in that same transaction, records completion keyed by (outbox id, handler name): a redelivery skips a handler
 * that already completed. Calls to third parties must pass `event.id` (plus the handler name if one event makes
 * several calls) as the provider's idempotency key, so a retry after a lost commit is not done twice.
 * Throwing fails the attempt; the consumer retries with backoff and dead-letters after the last attempt.
 */
export interface EffectHandler<P = unknown> {
  /** Stable, unique: it is part of the completion key. */
  name: string;
  /** Event types this handler reacts to (e.g. "booking.created"). */
  events: readonly string[];
  /**
   * Optional and pure: true when `run` would do nothing at all for this event (no write, no call), judged from the
   * shared snapshot — e.g. no staff e-mail address, no connected calendar. The consumer then opens no transaction for
   * the handler and records its completion with the row's outcome (same key, same table). Must agree with `run`.
   */
  idle?(event: OutboxEvent, shared: SharedContext): boolean;
  run(args: {
    tx: Tx;
    event: OutboxEvent;
    providers: P;
    config: ServiceConfig;
    now: Date;
    /** Given by the consumer; absent when a handler is run on its own (tests), which then reads what it needs. */
    shared?: SharedContext;
  }): Promise<void>;
}
