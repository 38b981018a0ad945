// The booking flow's state machine: only the listed moves, and only from the state the caller acted in.
import { describe, expect, it } from "vitest";
import type { SlotPicker } from "../slot-picker.ts";
import { type BookingState, createMachine, type StateOf, TRANSITIONS } from "./machine.ts";

const picker = { serviceId: "svc_1" } as SlotPicker;
const slot = { start: "2027-03-01T09:00:00.000Z", end: "2027-03-01T09:30:00.000Z" } as StateOf<"details">["slot"];

describe("go", () => {
  it("moves along an allowed transition", () => {
    const m = createMachine({ step: "loading" });
    const loading = m.state.value as StateOf<"loading">;
    expect(m.go(loading, { step: "service" })).toBe(true);
    expect(m.state.value).toEqual({ step: "service" });
  });

  it("ignores a move from a state the flow has already left (a late answer)", () => {
    const m = createMachine({ step: "time", picker, notice: null });
    const time = m.state.value as StateOf<"time">;
    const details: StateOf<"details"> = { step: "details", picker, slot };
    expect(m.go(time, details)).toBe(true);
    // e.g. a second click on a slot handled after the first one moved on
    expect(m.go(time, { step: "details", picker, slot: { ...slot, start: "2027-03-01T10:00:00.000Z" } })).toBe(false);
    expect(m.state.value).toBe(details);
  });

  it("refuses a move that is not listed, and the type checker refuses it first", () => {
    const m = createMachine({ step: "service" });
    const service = m.state.value as StateOf<"service">;
    // @ts-expect-error: service → details skips the time step
    expect(m.go(service, { step: "details", picker, slot })).toBe(false);
    expect(m.state.value).toEqual({ step: "service" });
  });

  it("ends in done and error: no way out of either", () => {
    expect(TRANSITIONS.done).toEqual([]);
    expect(TRANSITIONS.error).toEqual([]);
    const steps = Object.keys(TRANSITIONS) as BookingState["step"][];
    for (const s of steps) for (const to of TRANSITIONS[s]) expect(steps).toContain(to);
  });
});
