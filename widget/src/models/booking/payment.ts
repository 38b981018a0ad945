// The payment step (its own chunk, fetched only for a service with a deposit): the hold's countdown, and asking for
// the booking's state (every few seconds, and at once when the customer comes back from the payment tab) until the
// payment webhook confirms it. The server's answer wins over the countdown (a hold lapsed or released there ends
// it), and the countdown's end asks once more: a last-second payment confirms.
import type { Booking, BookingCreated } from "@bookra/sdk";
import { computed, type ReadonlySignal, signal } from "@preact/signals";
import type { WidgetEnv } from "../env.ts";
import { warn } from "../log.ts";

const POLL_MS = 4000;

export interface Hold {
  /** What the countdown shows; 0 once the hold's time is up. */
  leftMs: ReadonlySignal<number>;
  /** The hold lapsed (here or on the server): the time is gone, the customer may choose another. */
  expired: ReadonlySignal<boolean>;
  dispose(): void;
}

export function watchHold(env: WidgetEnv, created: BookingCreated, onConfirmed: (b: Booking) => void): Hold {
  const now = signal(Date.now());
  const holdExpiresAt = signal(created.booking.holdExpiresAt);
  const leftMs = computed(() => (holdExpiresAt.value ? Math.max(0, Date.parse(holdExpiresAt.value) - now.value) : 0));
  const expired = signal(false);
  let ticks = 0;
  /** The flow left the payment step (or the widget went away): answers still in flight are dropped. */
  let disposed = false;

  const stop = () => {
    clearInterval(timer);
    removeEventListener("focus", onFocus);
  };
  const lapse = () => {
    stop();
    expired.value = true;
  };
  const check = async (over?: boolean) => {
    try {
      const b = await env.api.bookings.get(created.booking.id, { manageToken: created.manageToken });
      if (disposed) return;
      if (b.status === "confirmed") {
        stop();
        return onConfirmed(b);
      }
      holdExpiresAt.value = b.holdExpiresAt;
      if (over || b.status !== "pending_payment" || leftMs.value <= 0) lapse();
    } catch (e) {
      warn("could not check the payment", e);
      if (over && !disposed) lapse();
    }
  };
  const onFocus = () => void check();
  addEventListener("focus", onFocus);
  const timer = setInterval(() => {
    now.value = Date.now();
    const over = leftMs.value <= 0;
    if (over) stop();
    if (over || ++ticks % (POLL_MS / 1000) === 0) void check(over);
  }, 1000);

  return {
    leftMs,
    expired,
    dispose() {
      disposed = true;
      stop();
    },
  };
}
