// The booking flow's states and the moves allowed between them: service → time → details → (payment) → done, with
// the ways back (a slot taken, a hold lapsed). Every move names the state it leaves: a late answer (a poll, a failed
// request) for a state the customer has already left changes nothing.
import type { BookingCreated } from "@bookra/sdk";
import { type Signal, signal } from "@preact/signals";
import type { MsgKey } from "../i18n.ts";
import { warn } from "../log.ts";
import type { Slot, SlotPicker } from "../slot-picker.ts";
import type { Hold } from "./payment.ts";

export type BookingState =
  /** The catalog is on its way (and, with a named service, the month's times). */
  | { step: "loading" }
  /** Nothing can be booked here: the catalog failed, or the embed named an unknown service. */
  | { step: "error"; reason: MsgKey }
  | { step: "service" }
  /** `notice`: why the customer is back here (the chosen time was just taken). */
  | { step: "time"; picker: SlotPicker; notice: MsgKey | null }
  | { step: "details"; picker: SlotPicker; slot: Slot }
  /** Held, awaiting the deposit (the payment step's own chunk holds `Hold`). */
  | { step: "payment"; picker: SlotPicker; created: BookingCreated; hold: Hold }
  | { step: "done"; picker: SlotPicker; created: BookingCreated };

export type Step = BookingState["step"];
export type StateOf<S extends Step> = Extract<BookingState, { step: S }>;

/** Where each step may go next; `go` refuses anything else, the type checker first. */
export const TRANSITIONS = {
  // a named service goes straight to its times, before the catalog has answered; the catalog can still fail
  loading: ["service", "time", "error"],
  service: ["time"],
  time: ["service", "details", "error"],
  details: ["time", "payment", "done"],
  payment: ["done", "time"],
  done: [],
  error: [],
} as const satisfies { [S in Step]: readonly Step[] };

export type Next<S extends Step> = (typeof TRANSITIONS)[S][number];

export interface Machine {
  state: Signal<BookingState>;
  /** Moves from `from` (the state the caller acted in) to `to`; false, and nothing changes, when the flow has left
   * `from` meanwhile or the move is not allowed. */
  go<S extends Step>(from: StateOf<S>, to: StateOf<Next<S>>): boolean;
}

export function createMachine(initial: BookingState): Machine {
  const state = signal<BookingState>(initial);
  return {
    state,
    go(from, to) {
      const next: BookingState = to;
      if (state.peek() !== from) return false;
      if (!(TRANSITIONS[from.step] as readonly Step[]).includes(next.step)) {
        warn(`no move from ${from.step} to ${next.step}`);
        return false;
      }
      state.value = next;
      return true;
    },
  };
}
