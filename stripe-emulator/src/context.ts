// What every operation works with: the transaction, the emulator's configuration, the acting account and the
// moment, and a way to emit events on that account.
import { type DeliveryConfig, type EventObject, type EventType, emit } from "./events.ts";
import type { Platform } from "./objects.ts";
import type { Tx } from "./store.ts";

export interface Env {
  /** Where the emulator listens (hosted pages and links are built on it). */
  baseUrl: string;
  platform: Platform;
  delivery: DeliveryConfig;
  /** How long a refund stays `pending` before it settles (or fails, with the switch on). */
  refundSettleMs: number;
  /** Business time in ms (objects' `created`, `expires_at` checks); webhook retries and signatures use the wall clock. */
  clock: () => number;
}

export interface Ctx {
  tx: Tx;
  env: Env;
  nowMs: number;
  /** Seconds, as Stripe's timestamps. */
  now: number;
  /** The account whose objects are read and written (the platform's id or a connected `acct_…`). */
  account: string;
  /** The connected account acted on, null for the platform itself. */
  connected: string | null;
  request: { id: string | null; idempotencyKey: string | null };
  emit<T extends EventType>(type: T, object: EventObject<T>, previous?: Record<string, unknown>): Promise<void>;
}

export function makeCtx(
  tx: Tx,
  env: Env,
  account: string,
  request: Ctx["request"] = { id: null, idempotencyKey: null },
): Ctx {
  const nowMs = env.clock();
  const wallMs = Date.now();
  const connected = account === env.platform.account ? null : account;
  return {
    tx,
    env,
    nowMs,
    now: Math.floor(nowMs / 1000),
    account,
    connected,
    request,
    emit: async (type, object, previous) => {
      await emit(
        tx,
        env.delivery,
        { account: connected, owner: account, nowMs, wallMs, request },
        type,
        object,
        previous,
      );
    },
  };
}
