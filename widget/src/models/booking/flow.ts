// The booking flow: the state machine (machine.ts) and the verbs that move it, one group per step. Components read
// `state` and the shared signals (the catalog, the customer's details) and call these verbs; a slot taken meanwhile
// sends the customer back to fresh times with a message. The payment step's code is a chunk of its own.
import { type BookingCreated, type Catalog, SlotUnavailableError } from "@bookra/sdk";
import { computed, signal } from "@preact/signals";
import type { WidgetEnv } from "../env.ts";
import type { MsgKey } from "../i18n.ts";
import { warn } from "../log.ts";
import { createSlotPicker, type Slot } from "../slot-picker.ts";
import type { CustomerDraft } from "../validate.ts";
import { createDetails } from "./details.ts";
import { createMachine, type StateOf } from "./machine.ts";

export interface OpenOptions {
  service?: string;
  staff?: string;
  prefill?: Partial<CustomerDraft>;
}

/** The payment step's model, fetched when a service with a deposit is chosen (and again, cached, when needed). */
const loadPayment = () => import("./payment.ts");

export function createBookingFlow(env: WidgetEnv, opts: OpenOptions, target: () => EventTarget | null) {
  const { state, go } = createMachine({ step: "loading" });
  const catalog = signal<Catalog | null>(null);
  const details = createDetails(opts.prefill);
  const service = computed(() => {
    const s = state.value;
    const id = "picker" in s ? s.picker.serviceId : opts.service;
    return catalog.value?.services.find((x) => x.id === id) ?? null;
  });
  const staffFor = computed(() => catalog.value?.staff.filter((s) => service.value?.staffIds.includes(s.id)) ?? []);

  // loading and service → time
  function toTimes(from: StateOf<"loading" | "service">, serviceId: string, staffId?: string) {
    const picker = createSlotPicker(env, serviceId, { staffId: staffId ?? null });
    if (go(from, { step: "time", picker, notice: null })) void picker.start();
  }

  function fail(reason: MsgKey) {
    const s = state.peek();
    if (s.step === "loading" || s.step === "time") go(s, { step: "error", reason });
  }

  async function start(): Promise<void> {
    const loading = state.peek();
    if (loading.step !== "loading") return;
    // The month's availability does not need the catalog: both requests leave at once.
    if (opts.service) toTimes(loading, opts.service, opts.staff);
    try {
      catalog.value = await env.catalog();
    } catch (e) {
      warn("could not load the catalog", e);
      return fail("loadFailed");
    }
    if (opts.service && !service.value) {
      warn(`unknown service "${opts.service}"`);
      fail("unknownService");
    } else if (!opts.service) go(loading, { step: "service" });
  }

  // details (or payment) → done
  function confirmed(from: StateOf<"details" | "payment">, created: BookingCreated) {
    if (from.step === "payment") from.hold.dispose();
    if (go(from, { step: "done", picker: from.picker, created }))
      env.emit("booking:confirmed", { booking: created.booking }, target());
  }

  // details → payment: the checkout tab (opened in the customer's click) goes to the checkout at once
  async function toPayment(from: StateOf<"details">, created: BookingCreated, tab: Window | null) {
    try {
      if (tab) {
        tab.opener = null;
        tab.location.href = created.checkout!.url;
      }
    } catch {
      // the customer closed it meanwhile: the payment step's link remains
    }
    const { watchHold } = await loadPayment();
    const hold = watchHold(env, created, (booking) => confirmed(next, { ...created, booking }));
    const next = { step: "payment", picker: from.picker, created, hold } as const;
    if (!go(from, next)) hold.dispose();
  }

  // details → payment, done, or back to time (the slot was taken); a business that cannot take the deposit yet is
  // said so politely in the form
  async function submit(): Promise<boolean> {
    const s = state.peek();
    if (s.step !== "details" || details.submitting.peek() || !details.validate()) return false;
    // The payment page opens in a new tab in the customer's own click (a window opened after the request would be
    // blocked) and goes to the checkout once the booking answers; blocked or closed, the payment step links there.
    let tab: Window | null = null;
    try {
      if (service.value?.deposit) tab = window.open();
    } catch {
      // a host page that replaced window.open: the payment step's link remains
    }
    details.submitting.value = true;
    try {
      const created = await env.api.bookings.create(details.request(s.picker, s.slot));
      if (created.booking.status === "pending_payment" && created.checkout) await toPayment(s, created, tab);
      else {
        tab?.close();
        confirmed(s, created);
      }
      return true;
    } catch (e) {
      tab?.close();
      const code = (e as { code?: string }).code ?? "NETWORK_ERROR";
      env.emit("booking:failed", { code, message: (e as Error).message }, target());
      if (e instanceof SlotUnavailableError) {
        if (go(s, { step: "time", picker: s.picker, notice: "taken" })) await s.picker.refresh();
      } else if (code === "PAYMENTS_NOT_READY") {
        // The service asks for a deposit the business cannot take online yet: nothing to retry, they book directly.
        details.formError.value = { key: "paymentsNotReady" };
      } else {
        warn("the booking failed", e);
        details.formError.value = { key: "failed", vars: { ref: (e as { requestId?: string }).requestId ?? code } };
      }
      return false;
    } finally {
      details.submitting.value = false;
    }
  }

  return {
    env,
    state,
    catalog,
    service,
    staffFor,
    details,
    start,
    submit,
    /** False when the embed named the service (a service button or link): no way back to the list. */
    canChooseService: !opts.service,
    chooseService(id: string) {
      const s = state.peek();
      if (s.step === "service") toTimes(s, id);
    },
    chooseSlot(slot: Slot) {
      const s = state.peek();
      if (s.step !== "time" || !go(s, { step: "details", picker: s.picker, slot })) return;
      if (service.peek()?.deposit) loadPayment().catch(() => {}); // ready before the booking answers
    },
    back() {
      const s = state.peek();
      if (s.step === "details") go(s, { step: "time", picker: s.picker, notice: null });
      else if (s.step === "time" && !opts.service) go(s, { step: "service" });
    },
    /** The hold lapsed: back to fresh times, the details kept. */
    again() {
      const s = state.peek();
      if (s.step !== "payment") return;
      s.hold.dispose();
      if (go(s, { step: "time", picker: s.picker, notice: null })) void s.picker.refresh();
    },
    dispose() {
      const s = state.peek();
      if (s.step === "payment") s.hold.dispose();
    },
  };
}

export type BookingFlow = ReturnType<typeof createBookingFlow>;
