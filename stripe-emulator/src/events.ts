// Events and their delivery: each event is stored, then POSTed to the configured webhook URL signed as Stripe signs
// (`Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.payload")`), retried on non-2xx on a bounded backoff schedule.
// Chaos switches deliver every event twice, out of order, or late.
import { createHmac } from "node:crypto";
import type Stripe from "stripe";
import { stripeId } from "./ids.ts";
import type { Store, Tx } from "./store.ts";

/**
 * The API version the emulator speaks: the one the pinned `stripe` package (23.1.0) was generated for. Typed as the
 * package's own constant, so upgrading `stripe` without revisiting the emulator is a compile error.
 */
export const API_VERSION: typeof Stripe.API_VERSION = "2026-10-28.endive";

export type EventType = Stripe.Event["type"];
export type EventObject<T extends EventType> = Extract<Stripe.Event, { type: T }>["data"]["object"];

export interface Chaos {
  duplicate: boolean;
  reorder: boolean;
  delay: boolean;
}

export interface DeliveryConfig {
  webhookUrl: string | null;
  webhookSecret: string;
  chaos: Chaos;
  /** Milliseconds to wait before attempt 2, 3, …; its length bounds the retries. */
  retrySchedule: number[];
  /** With `reorder`: how long events are held so that later ones overtake them. */
  reorderWindowMs: number;
  /** With `delay`: the most a delivery is held back (uniformly random). */
  delayMaxMs: number;
  timeoutMs: number;
}

/** Stripe's schedule is days long; locally a handful of attempts over about an hour and a half. */
export const DEFAULT_RETRY_SCHEDULE = [2_000, 10_000, 60_000, 300_000, 1_800_000, 3_600_000];
export const FAST_RETRY_SCHEDULE = [50, 100, 200, 400, 800];

export function parseChaos(text: string | undefined): Chaos {
  const words = new Set(
    (text ?? "")
      .split(",")
      .map((w) => w.trim())
      .filter(Boolean),
  );
  for (const w of words)
    if (!["duplicate", "reorder", "delay"].includes(w)) throw new Error(`unknown STRIPE_EMULATOR_CHAOS value: ${w}`);
  return { duplicate: words.has("duplicate"), reorder: words.has("reorder"), delay: words.has("delay") };
}

export interface EventOrigin {
  /** The connected account the event happened on (`event.account`); null for the platform's own. */
  account: string | null;
  /** The account the event is stored under (the platform's id for its own events). */
  owner: string;
  /** Business time of the change (the event's `created`). */
  nowMs: number;
  /** Wall-clock time of the change: deliveries are scheduled from it, once per action, so its events share it. */
  wallMs: number;
  request: { id: string | null; idempotencyKey: string | null };
}

/** Records an event and schedules its delivery (in the same transaction as the change it reports). */
export async function emit<T extends EventType>(
  tx: Tx,
  config: DeliveryConfig,
  origin: EventOrigin,
  type: T,
  object: EventObject<T>,
  previous?: Record<string, unknown>,
): Promise<Stripe.Event> {
  const event = {
    id: stripeId("evt"),
    object: "event",
    ...(origin.account ? { account: origin.account } : {}),
    api_version: API_VERSION,
    created: Math.floor(origin.nowMs / 1000),
    data: { object, ...(previous ? { previous_attributes: previous } : {}) },
    livemode: false,
    pending_webhooks: config.webhookUrl ? 1 : 0,
    request: { id: origin.request.id, idempotency_key: origin.request.idempotencyKey },
    type,
  } as Stripe.Event;
  await tx.put(event, origin.owner);
  // The control API's `dropEvents`: recorded, never delivered (Stripe losing an event, for reconciliation tests).
  const dropped = (await tx.setting<string[]>("drop_events")) ?? [];
  if (config.webhookUrl && !dropped.includes(type)) {
    const { chaos } = config;
    const base = origin.wallMs + (chaos.reorder ? config.reorderWindowMs : 0);
    const jitter = () => (chaos.delay ? Math.random() * config.delayMaxMs : 0);
    await tx.addJob("deliver", event.id, base + jitter());
    if (chaos.duplicate) await tx.addJob("deliver", event.id, base + config.reorderWindowMs + 1 + jitter());
  }
  return event;
}

/** The `Stripe-Signature` header for `payload` at `timestamp` (seconds). */
export function signature(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

export type JobHandler = (job: { id: string; ref: string; attempt: number }) => Promise<void>;

/**
 * Runs due jobs (deliveries, refund settlement, session expiry) one at a time, waking when the next one is due or
 * when a transaction added one (`kick`). Jobs live in the database, so a restart picks up where it stopped.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly handlers: Record<string, JobHandler>,
    private readonly newestFirst: boolean,
    private readonly onError: (err: unknown) => void,
    /** Business time, for the jobs due by it (session expiry); the others are due by the wall clock. */
    private readonly clock: () => number,
  ) {}

  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.runDue()
      .catch(this.onError)
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        } else void this.arm();
      });
  }

  private async arm(): Promise<void> {
    if (this.closed) return;
    const wait = await this.store.nextWaitMs(Date.now(), this.clock()).catch(() => null);
    if (wait === null || this.closed || this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), Math.min(Math.max(0, wait), 2 ** 31 - 1));
  }

  private async runDue(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const jobs = await this.store.dueJobs(Date.now(), this.clock());
      if (jobs.length === 0) return;
      // Reordering: of the jobs due at the same moment (the events of one action), the newest goes first.
      if (this.newestFirst) jobs.sort((a, b) => a.dueMs - b.dueMs || Number(b.id) - Number(a.id));
      for (const job of jobs) {
        if (this.closed) return;
        const handler = this.handlers[job.kind];
        try {
          if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
          await handler(job);
        } catch (err) {
          // A job that throws is recorded as such, never retried in a tight loop.
          this.onError(err);
          await this.store.tx((tx) => tx.finishJob(job.id, `error: ${(err as Error).message}`, Date.now()));
        }
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
  }
}

/** The delivery job: one signed POST; a non-2xx or a network error schedules the next attempt, if any is left. */
export function deliveryHandler(store: Store, config: DeliveryConfig): JobHandler {
  return async (job) => {
    const stored = await store.tx((tx) => tx.get<Stripe.Event>(job.ref));
    if (!stored || !config.webhookUrl) {
      await store.tx((tx) => tx.finishJob(job.id, "skipped", Date.now()));
      return;
    }
    const payload = JSON.stringify(stored.data, null, 2);
    let outcome: string;
    try {
      const res = await fetch(config.webhookUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "stripe-signature": signature(payload, config.webhookSecret, Math.floor(Date.now() / 1000)),
        },
        body: payload,
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      outcome = String(res.status);
    } catch (err) {
      outcome = `network: ${(err as Error).message}`;
    }
    const ok = /^2\d\d$/.test(outcome);
    await store.tx(async (tx) => {
      await tx.finishJob(job.id, outcome, Date.now());
      const wait = config.retrySchedule[job.attempt - 1];
      if (!ok && wait !== undefined) await tx.addJob("deliver", job.ref, Date.now() + wait, job.attempt + 1);
    });
  };
}
