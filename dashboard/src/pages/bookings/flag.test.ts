// The flag badge and note as Preact renders them (their virtual DOM: what they say, their hint, their tone), with no
// browser: a flagged booking shows its badge in the list, and the owner reads what to do on the booking's page.
import type { VNode } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { locale } from "../../models/i18n.ts";
import { FlagBadge, FlagNote } from "./flag.tsx";

type Node = VNode<Record<string, unknown>> | string | number | boolean | null | undefined | Node[];
/** The text a node would show: its strings and numbers, depth first. */
const textOf = (n: Node): string =>
  Array.isArray(n)
    ? n.map(textOf).join("")
    : typeof n === "string" || typeof n === "number"
      ? String(n)
      : n && typeof n === "object"
        ? textOf(n.props.children as Node)
        : "";
/** Every element of the tree, the node itself first. */
const elements = (n: Node): VNode<Record<string, unknown>>[] =>
  Array.isArray(n) ? n.flatMap(elements) : n && typeof n === "object" ? [n, ...elements(n.props.children as Node)] : [];

afterEach(() => {
  locale.value = "en";
});

describe("a flagged booking's badge", () => {
  it("says a mismatched payment in the bad tone, its hint as the tooltip", () => {
    const badge = FlagBadge({ flag: "amount_mismatch" }) as VNode<Record<string, unknown>>;
    expect(textOf(badge)).toBe("Paid a different amount");
    expect(badge.props).toMatchObject({ class: "badge flag bad", "data-flag": "amount_mismatch" });
    expect(badge.props.title).toMatch(/^Not confirmed by this payment; refund it/);
    locale.value = "de";
    expect(textOf(FlagBadge({ flag: "disputed" }) as Node)).toBe("Zahlung angefochten");
  });

  it("is absent for a booking without a flag; a closed dispute has no hint", () => {
    expect(FlagBadge({ flag: null })).toBeNull();
    const won = FlagBadge({ flag: "dispute_won" }) as VNode<Record<string, unknown>>;
    expect(textOf(won)).toBe("Dispute won");
    expect(won.props.title).toBeUndefined();
    expect(won.props.class).toBe("badge flag");
  });
});

describe("the money panel's flag note", () => {
  it("tells the owner what to do, as an alert", () => {
    const note = FlagNote({ flag: "disputed", owner: true }) as VNode<Record<string, unknown>>;
    expect(note.props.role).toBe("alert");
    expect(elements(note).map((e) => e.type)).toEqual(["div", "strong", "p"]);
    expect(textOf(note)).toBe(
      "Payment disputedThe customer disputed the payment with their bank: answer the dispute in Stripe's dashboard before its deadline.",
    );
  });

  it("gives a staff member the state without the owner's action, and nothing without a flag", () => {
    const note = FlagNote({ flag: "amount_mismatch", owner: false }) as Node;
    expect(textOf(note)).toBe("Paid a different amount");
    expect(elements(note).some((e) => e.type === "p")).toBe(false);
    expect(FlagNote({ flag: null, owner: true })).toBeNull();
    const lost = FlagNote({ flag: "dispute_lost", owner: true }) as VNode<Record<string, unknown>>;
    expect(lost.props.role).toBeUndefined();
    expect(textOf(lost)).toBe("Dispute lost");
  });
});
