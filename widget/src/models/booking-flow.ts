// The booking flow's state machine: service → staff/time → details → (payment) → done. Components only read these
// signals and call these verbs; a slot taken meanwhile sends the customer back to fresh times with a message.
import { type BookingCreated, type Catalog, SlotUnavailableError } from "@bookra/sdk";
import { batch, computed, signal } from "@preact/signals";
import { type CalendarEvent, googleCalendarUrl, icsDataUrl } from "./calendar-links.ts";
import { type WidgetEnv, warn } from "./env.ts";
import type { MsgKey } from "./i18n.ts";
import { createSlotPicker, type Slot, type SlotPicker } from "./slot-picker.ts";
import { type CustomerDraft, type FieldErrors, validateCustomer } from "./validate.ts";

export interface OpenOptions {
  service?: string;
  staff?: string;
  prefill?: Partial<CustomerDraft>;
}

export type Step = "loading" | "service" | "time" | "details" | "payment" | "done" | "error";

const POLL_MS = 4000;

export function createBookingFlow(env: WidgetEnv, opts: OpenOptions, target: () => EventTarget | null) {
  const catalog = signal<Catalog | null>(null);
  const step = signal<Step>("loading");
  const fatal = signal<MsgKey | null>(null);
  const picker = signal<SlotPicker | null>(null);
  const serviceId = signal<string | null>(opts.service ?? null);
  const service = computed(() => catalog.value?.services.find((s) => s.id === serviceId.value) ?? null);
  const staffFor = computed(() => catalog.value?.staff.filter((s) => service.value?.staffIds.includes(s.id)) ?? []);
  const slot = signal<Slot | null>(null);
  const draft = signal<CustomerDraft>({ name: "", email: "", phone: "", ...opts.prefill });
  /** The customer agreed to WhatsApp messages (only sent with a phone number; the API sends none without it). */
  const whatsappOptIn = signal(false);
  const errors = signal<FieldErrors>({});
  const formError = signal<string | null>(null);
  const notice = signal<MsgKey | null>(null);
  const submitting = signal(false);
  const result = signal<BookingCreated | null>(null);
  const now = signal(Date.now());
  const holdLeftMs = computed(() => {
    const at = result.value?.booking.holdExpiresAt;
    return at ? Math.max(0, Date.parse(at) - now.value) : 0;
  });
  const holdExpired = signal(false);
  let timer: ReturnType<typeof setInterval> | undefined;
  let onFocus: (() => void) | undefined;

  function pick(id: string, staff?: string | null, tz?: string) {
    const p = createSlotPicker(env, id, { staffId: staff ?? null, ...(tz ? { tz } : {}) });
    batch(() => {
      serviceId.value = id;
      picker.value = p;
      step.value = "time";
    });
    void p.start();
  }

  async function start(): Promise<void> {
    // The month's availability does not need the catalog: both requests leave at once.
    if (opts.service) pick(opts.service, opts.staff);
    try {
      catalog.value = await env.catalog();
    } catch (e) {
      warn("could not load the catalog", e);
      batch(() => {
        fatal.value = "loadFailed";
        step.value = "error";
      });
      return;
    }
    if (opts.service && !service.value) {
      warn(`unknown service "${opts.service}"`);
      batch(() => {
        fatal.value = "unknownService";
        step.value = "error";
      });
    } else if (!opts.service) step.value = "service";
  }

  function calendarEvent(): CalendarEvent | null {
    const r = result.value;
    if (!r) return null;
    const name = catalog.value?.tenant.name ?? "";
    const manage = `${env.base}/manage/${env.tenant}/${r.booking.id}?token=${r.manageToken}`;
    return {
      title: `${service.value?.name ?? ""} · ${name}`,
      start: r.booking.start,
      end: r.booking.end,
      details: manage,
      uid: `${r.booking.id}@bookra`,
    };
  }

  function stopTimers() {
    clearInterval(timer);
    timer = undefined;
    if (onFocus) removeEventListener("focus", onFocus);
  }

  function confirmed(r: BookingCreated) {
    stopTimers();
    step.value = "done";
    env.emit("booking:confirmed", { booking: r.booking }, target());
  }

  /** Counts the hold down and asks for the booking's state (every few seconds, and at once when the customer comes
   * back from the payment tab) until the payment webhook confirms it. The server's answer wins over the countdown (a
   * hold lapsed or released there ends it), and the countdown's end asks once more: a last-second payment confirms. */
  function awaitPayment(r: BookingCreated) {
    let ticks = 0;
    const check = async (over?: boolean) => {
      try {
        const b = await env.api.bookings.get(r.booking.id, { manageToken: r.manageToken });
        if (step.value !== "payment" || result.value?.manageToken !== r.manageToken) return;
        if (b.status === "confirmed") return confirmed({ ...r, booking: b });
        result.value = { ...r, booking: b };
        if (over || b.status !== "pending_payment" || holdLeftMs.value <= 0) lapse();
      } catch (e) {
        warn("could not check the payment", e);
        if (over) lapse();
      }
    };
    onFocus = () => void check();
    addEventListener("focus", onFocus);
    timer = setInterval(() => {
      now.value = Date.now();
      const over = holdLeftMs.value <= 0;
      if (over) stopTimers();
      if (over || ++ticks % (POLL_MS / 1000) === 0) void check(over);
    }, 1000);
  }

  function lapse() {
    stopTimers();
    holdExpired.value = true;
  }

  async function submit(): Promise<boolean> {
    const found = validateCustomer(draft.value);
    errors.value = found;
    formError.value = null;
    if (Object.keys(found).length) {
      formError.value = env.i18n.t("fixErrors");
      return false;
    }
    const s = slot.value;
    const p = picker.value;
    if (!s || !p || submitting.value) return false;
    // The payment page opens in a new tab in the customer's own click (a window opened after the request would be
    // blocked) and goes to the checkout once the booking answers; blocked or closed, the payment step links there.
    let tab: Window | null = null;
    try {
      if (service.value?.deposit) tab = window.open();
    } catch {
      // a host page that replaced window.open: the payment step's link remains
    }
    batch(() => {
      submitting.value = true;
      formError.value = null;
    });
    const { name, email, phone } = draft.value;
    try {
      const r = await env.api.bookings.create({
        serviceId: p.serviceId,
        ...(p.staffId.value ? { staffId: p.staffId.value } : {}),
        start: s.start,
        customer: {
          name: name.trim(),
          email: email.trim(),
          ...(phone.trim() ? { phone: phone.trim(), ...(whatsappOptIn.value ? { whatsappOptIn: true } : {}) } : {}),
        },
      });
      result.value = r;
      if (r.booking.status === "pending_payment" && r.checkout) {
        batch(() => {
          step.value = "payment";
          now.value = Date.now();
        });
        awaitPayment(r);
        try {
          if (tab) {
            tab.opener = null;
            tab.location.href = r.checkout.url;
          }
        } catch {
          // the customer closed it meanwhile: the payment step's link remains
        }
      } else {
        tab?.close();
        confirmed(r);
      }
      return true;
    } catch (e) {
      tab?.close();
      const code = (e as { code?: string }).code ?? "NETWORK_ERROR";
      env.emit("booking:failed", { code, message: (e as Error).message }, target());
      if (e instanceof SlotUnavailableError) {
        batch(() => {
          notice.value = "taken";
          slot.value = null;
          step.value = "time";
        });
        await p.refresh();
      } else {
        warn("the booking failed", e);
        formError.value = env.i18n.t("failed", { ref: (e as { requestId?: string }).requestId ?? code });
      }
      return false;
    } finally {
      submitting.value = false;
    }
  }

  return {
    env,
    catalog,
    step,
    fatal,
    picker,
    service,
    staffFor,
    slot,
    draft,
    whatsappOptIn,
    errors,
    formError,
    notice,
    submitting,
    result,
    holdLeftMs,
    holdExpired,
    start,
    submit,
    /** False when the embed named the service (a service button or link): no way back to the list. */
    canChooseService: !opts.service,
    chooseService: (id: string) => pick(id),
    chooseSlot(s: Slot) {
      batch(() => {
        slot.value = s;
        notice.value = null;
        step.value = "details";
      });
    },
    back() {
      const from = step.value;
      if (from === "details") step.value = "time";
      else if (from === "time" && !opts.service) step.value = "service";
    },
    again() {
      stopTimers();
      batch(() => {
        holdExpired.value = false;
        result.value = null;
        slot.value = null;
        step.value = "time";
      });
      void picker.value?.refresh();
    },
    setField(field: keyof CustomerDraft, value: string) {
      draft.value = { ...draft.value, [field]: value };
      if (errors.value[field]) {
        const rest = { ...errors.value, [field]: undefined };
        errors.value = rest;
        if (!Object.values(rest).some(Boolean)) formError.value = null;
      }
    },
    links() {
      const e = calendarEvent();
      return e ? { google: googleCalendarUrl(e), ics: icsDataUrl(e) } : null;
    },
    manageUrl: () => {
      const r = result.value;
      return r ? `${env.base}/manage/${env.tenant}/${r.booking.id}?token=${encodeURIComponent(r.manageToken)}` : "";
    },
    dispose: stopTimers,
  };
}

export type BookingFlow = ReturnType<typeof createBookingFlow>;
