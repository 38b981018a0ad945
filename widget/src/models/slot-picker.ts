// The date-and-time step's state: the visible month, its slots grouped by the customer's calendar date, the chosen
// date and the customer's zone. One request per visible month; late answers of an older request are dropped.
import type { Availability } from "@bookra/sdk";
import { batch, computed, signal } from "@preact/signals";
import type { WidgetEnv } from "./env.ts";
import { warn } from "./log.ts";
import { dateKeyIn, daysInMonth, guessZone, type Month, monthOf, sameMonth, toKey } from "./time.ts";

export type Slot = Availability["slots"][number];

export function createSlotPicker(
  env: WidgetEnv,
  serviceId: string,
  opts: { staffId?: string | null; tz?: string } = {},
) {
  const tz = signal(opts.tz ?? guessZone());
  const staffId = signal<string | null>(opts.staffId ?? null);
  const today = () => dateKeyIn(new Date(), tz.value);
  const month = signal<Month>(monthOf(today()));
  const slots = signal<Slot[]>([]);
  const loading = signal(true);
  const failed = signal(false);
  const selectedDate = signal<string | null>(null);
  /** The calendar's roving focus (keyboard position), kept apart from the selection. */
  const focusDate = signal(today());
  const byDay = computed(() => {
    const map = new Map<string, Slot[]>();
    for (const s of slots.value) {
      const key = dateKeyIn(s.start, tz.value);
      const list = map.get(key);
      if (list) list.push(s);
      else map.set(key, [s]);
    }
    return map;
  });
  const daySlots = computed(() => (selectedDate.value ? (byDay.value.get(selectedDate.value) ?? []) : []));
  let seq = 0;
  let controller: AbortController | undefined;

  async function load(opts: { advanceIfEmpty?: boolean; moveFocus?: boolean } = {}): Promise<void> {
    const mine = ++seq;
    controller?.abort();
    controller = new AbortController();
    const m = month.value;
    const t = today();
    const last = toKey(m.y, m.m, daysInMonth(m));
    const first = toKey(m.y, m.m, 1);
    loading.value = true;
    failed.value = false;
    try {
      const res =
        last < t
          ? { slots: [] }
          : await env.api.availability.list(
              {
                serviceId,
                from: [first, t].sort()[1]!, // the later of the two; YYYY-MM-DD sorts as dates do
                to: last,
                timezone: tz.value,
                ...(staffId.value ? { staffId: staffId.value } : {}),
              },
              { signal: controller.signal },
            );
      if (mine !== seq) return;
      if (res.slots.length === 0 && opts.advanceIfEmpty) {
        month.value = { y: m.m === 12 ? m.y + 1 : m.y, m: (m.m % 12) + 1 };
        return load({ moveFocus: true });
      }
      batch(() => {
        slots.value = res.slots;
        const sel = selectedDate.value;
        if (!sel || !sameMonth(monthOf(sel), m) || !byDay.value.has(sel)) {
          selectedDate.value = byDay.value.keys().next().value ?? null;
        }
        if (opts.moveFocus) focusDate.value = selectedDate.value ?? first;
        loading.value = false;
      });
    } catch (e) {
      if (mine !== seq || (e as Error)?.name === "AbortError") return;
      warn("could not load availability", e);
      batch(() => {
        slots.value = [];
        failed.value = true;
        loading.value = false;
      });
    }
  }

  return {
    serviceId,
    tz,
    staffId,
    month,
    slots,
    loading,
    failed,
    selectedDate,
    focusDate,
    byDay,
    daySlots,
    today,
    load,
    /** The first load: a month without free times moves on to the next one (end of the month, a full week). */
    start: () => load({ advanceIfEmpty: true, moveFocus: true }),
    /** Fresh times after a time was taken or a hold lapsed; like the first load, an emptied month moves on (on the
     * month's last day, the time just lost may have been its last). */
    refresh: () => load({ advanceIfEmpty: true }),
    showMonth(m: Month, focus?: string) {
      month.value = m;
      focusDate.value = focus ?? toKey(m.y, m.m, 1);
      void load({ moveFocus: !focus });
    },
    selectDate(key: string) {
      batch(() => {
        selectedDate.value = key;
        focusDate.value = key;
      });
    },
    setZone(zone: string) {
      tz.value = zone;
      void load();
    },
    /** Another person's times; in the current month, one with none left for them moves on as the first load does. */
    setStaff(id: string | null) {
      staffId.value = id;
      void load({ advanceIfEmpty: sameMonth(month.value, monthOf(today())) });
    },
  };
}

export type SlotPicker = ReturnType<typeof createSlotPicker>;
