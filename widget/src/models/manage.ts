// The manage page's state: the booking (by its manage token), cancelling it, and moving it to another free slot of
// the same service and staff member.
import { type Booking, type CancellationQuote, type Catalog, SlotUnavailableError } from "@bookra/sdk";
import { batch, computed, signal } from "@preact/signals";
import type { WidgetEnv } from "./env.ts";
import type { Msg, MsgKey } from "./i18n.ts";
import { warn } from "./log.ts";
import { createSlotPicker, type Slot, type SlotPicker } from "./slot-picker.ts";

export type ManageView = "loading" | "view" | "confirmCancel" | "reschedule" | "error";

/**
 * What the customer should know about money for a booking in this state: a payment that lands after the hold lapsed
 * (for a time since taken) or after a cancellation cannot confirm the booking, and Bookra refunds it in full.
 */
const STATUS_NOTES: Partial<Record<Booking["status"], MsgKey>> = {
  expired: "note_expired",
  cancelled: "note_cancelled",
};

/** The note shown under a booking's status on the manage page, or null. */
export const statusNote = (status: Booking["status"]): MsgKey | null => STATUS_NOTES[status] ?? null;

export function createManage(env: WidgetEnv, bookingId: string, manageToken: string, target: () => EventTarget | null) {
  const booking = signal<Booking | null>(null);
  const catalog = signal<Catalog | null>(null);
  const view = signal<ManageView>("loading");
  const message = signal<MsgKey | null>(null);
  const failure = signal<Msg | null>(null);
  const busy = signal(false);
  /** What cancelling now would refund, fetched when the customer asks to cancel (null until then, or if it failed). */
  const quote = signal<CancellationQuote | null>(null);
  const picker = signal<SlotPicker | null>(null);
  const chosen = signal<Slot | null>(null);
  const service = computed(() => catalog.value?.services.find((s) => s.id === booking.value?.serviceId) ?? null);
  const staff = computed(() => catalog.value?.staff.find((s) => s.id === booking.value?.staffId) ?? null);
  const auth = { manageToken };

  async function act(fn: () => Promise<void>) {
    if (busy.value) return;
    busy.value = true;
    failure.value = null;
    try {
      await fn();
    } catch (e) {
      if (e instanceof SlotUnavailableError) {
        batch(() => {
          message.value = "taken";
          chosen.value = null;
        });
        await picker.value?.refresh();
      } else {
        warn("the change failed", e);
        failure.value = { key: "failed", vars: { ref: (e as { requestId?: string }).requestId ?? "" } };
      }
    } finally {
      busy.value = false;
    }
  }

  return {
    booking,
    catalog,
    view,
    message,
    failure,
    busy,
    quote,
    picker,
    chosen,
    service,
    staff,
    async start() {
      try {
        const [c, b] = await Promise.all([env.catalog(), env.api.bookings.get(bookingId, auth)]);
        batch(() => {
          catalog.value = c;
          booking.value = b;
          view.value = "view";
        });
      } catch (e) {
        warn("could not load the booking", e);
        batch(() => {
          message.value =
            (e as { status?: number }).status === 404 || (e as { status?: number }).status === 401
              ? "notFound"
              : "loadFailed";
          view.value = "error";
        });
      }
    },
    askCancel: () => {
      batch(() => {
        message.value = null;
        quote.value = null;
        view.value = "confirmCancel";
      });
      env.api.bookings.cancellationQuote(bookingId, auth).then(
        (q) => {
          quote.value = q;
        },
        (e) => warn("could not load what a cancellation refunds", e),
      );
    },
    keep: () => {
      view.value = "view";
    },
    cancel: () =>
      act(async () => {
        const b = await env.api.bookings.cancel(bookingId, auth);
        batch(() => {
          booking.value = b;
          message.value = "cancelled";
          view.value = "view";
        });
        env.emit("booking:cancelled", { booking: b }, target());
      }),
    startReschedule() {
      const b = booking.value;
      if (!b) return;
      const p = createSlotPicker(env, b.serviceId, { staffId: b.staffId });
      batch(() => {
        picker.value = p;
        chosen.value = null;
        message.value = null;
        view.value = "reschedule";
      });
      void p.start();
    },
    choose: (s: Slot) => {
      chosen.value = s;
    },
    reschedule: () =>
      act(async () => {
        const s = chosen.value;
        if (!s) return;
        const b = await env.api.bookings.reschedule(bookingId, { start: s.start }, auth);
        batch(() => {
          booking.value = b;
          chosen.value = null;
          message.value = "moved";
          view.value = "view";
        });
        env.emit("booking:rescheduled", { booking: b }, target());
      }),
  };
}

export type Manage = ReturnType<typeof createManage>;
