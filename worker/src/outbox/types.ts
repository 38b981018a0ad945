// The contract between the outbox consumer and the side-effect handlers it drives (invariant 2).
import type { Tx } from "../db/client.ts";
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
  run(args: { tx: Tx; event: OutboxEvent; providers: P; config: ServiceConfig; now: Date }): Promise<void>;
}
