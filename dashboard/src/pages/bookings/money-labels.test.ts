// Every money state the API (or the payments table) can hold has words in every language, and a hint where the owner
// must act: the enums are read from the contract the SDK was generated from and from the database schema, so a value
// added there without a label fails here (and, through the typed maps, the typecheck).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LOCALES, type Locale, locale } from "../../models/i18n.ts";
import {
  FLAG_LABELS,
  flagLabel,
  ORIGIN_LABELS,
  originLabel,
  PAYMENT_STATUS_LABELS,
  paymentStatusLabel,
  REFUND_STATUS_LABELS,
  refundStatusLabel,
} from "./money-labels.ts";
import { type TextKey, tp } from "./texts.ts";

const root = join(import.meta.dirname, "../../../..");
type Schema = { properties?: Record<string, { enum?: (string | null)[] }>; allOf?: Schema[] };
const schemas = (
  JSON.parse(readFileSync(join(root, "sdk/src/generated/openapi.json"), "utf8")) as {
    components: { schemas: Record<string, Schema> };
  }
).components.schemas;
/** The values of an enum property of a contract schema (an `allOf` extension included), null left out. */
const contractEnum = (schema: string, prop: string): string[] => {
  const s = schemas[schema]!;
  const parts = [s, ...(s.allOf ?? [])];
  const values = parts.map((p) => p.properties?.[prop]?.enum).find(Boolean) ?? [];
  return values.filter((v): v is string => v !== null).sort();
};
/** The values the database allows in payments.status, read from its CHECK constraint. */
const paymentStatuses = (): string[] => {
  const sql = readFileSync(join(root, "migrations/schema.sql"), "utf8");
  const check = /payments_status_check CHECK \(\(status = ANY \(ARRAY\[([^\]]*)\]/.exec(sql)?.[1] ?? "";
  return [...check.matchAll(/'([^']+)'/g)].map((m) => m[1]!).sort();
};

afterEach(() => {
  locale.value = "en";
});

/** Every label and hint key of the maps, with the value they belong to. */
const everyKey = (): [string, TextKey][] => [
  ...Object.entries(FLAG_LABELS).flatMap(([v, l]) => [[`flag ${v}`, l.label] as [string, TextKey]]),
  ...Object.entries(FLAG_LABELS).flatMap(([v, l]) => (l.hint ? [[`flag hint ${v}`, l.hint] as [string, TextKey]] : [])),
  ...Object.entries(ORIGIN_LABELS).map(([v, k]) => [`origin ${v}`, k] as [string, TextKey]),
  ...Object.entries(REFUND_STATUS_LABELS).flatMap(([v, l]) =>
    [[`refund ${v}`, l.label] as [string, TextKey]].concat(l.hint ? [[`refund hint ${v}`, l.hint]] : []),
  ),
  ...Object.entries(PAYMENT_STATUS_LABELS).map(([v, l]) => [`payment ${v}`, l.label] as [string, TextKey]),
];

describe("the money states in words", () => {
  it("labels exactly the values of the contract's enums and of the payments table", () => {
    expect(Object.keys(FLAG_LABELS).sort()).toEqual(contractEnum("AdminBooking", "paymentFlag"));
    expect(Object.keys(ORIGIN_LABELS).sort()).toEqual(contractEnum("Refund", "origin"));
    expect(Object.keys(REFUND_STATUS_LABELS).sort()).toEqual(contractEnum("Refund", "status"));
    expect(Object.keys(PAYMENT_STATUS_LABELS).sort()).toEqual(paymentStatuses());
    // the readers above found something: an empty list on both sides would prove nothing
    expect(paymentStatuses()).toContain("mismatch");
    expect(contractEnum("Refund", "origin")).toContain("slot_taken");
  });

  it("has a text for every label and hint in every language, each language its own, no placeholder left", () => {
    for (const lang of Object.keys(LOCALES) as Locale[]) {
      locale.value = lang;
      const texts = new Map(everyKey().map(([what, k]) => [what, tp(k)]));
      for (const [what, text] of texts) {
        expect(text.trim(), `${lang}: ${what}`).not.toBe("");
        expect(text, `${lang}: ${what}`).not.toMatch(/\{\w+\}/);
      }
      // two different values never read the same (an owner could not tell them apart)
      const labels = everyKey()
        .filter(([what]) => !what.includes("hint"))
        .map(([what, k]) => `${what.split(" ")[0]}:${tp(k)}`);
      expect(new Set(labels).size, lang).toBe(labels.length);
    }
    // Spanish and German say each in their own words, not the English fallback
    const say = (lang: Locale) => {
      locale.value = lang;
      return everyKey().map(([, k]) => tp(k));
    };
    const english = say("en");
    for (const lang of ["es", "de"] as const)
      for (const [i, text] of say(lang).entries()) expect(text, `${lang}: ${everyKey()[i]![0]}`).not.toBe(english[i]);
  });

  it("hints only where the owner must act: a mismatched amount, an open dispute, a failed refund", () => {
    const hinted = [
      ...Object.entries(FLAG_LABELS).filter(([, l]) => l.hint),
      ...Object.entries(REFUND_STATUS_LABELS).filter(([, l]) => l.hint),
    ].map(([v]) => v);
    expect(hinted.sort()).toEqual(["amount_mismatch", "disputed", "failed"]);
    expect(tp(flagLabel("amount_mismatch")!.label)).toBe("Paid a different amount");
    expect(tp(flagLabel("amount_mismatch")!.hint!)).toMatch(/not confirmed.*refund it/i);
    expect(flagLabel("disputed")).toMatchObject({ tone: "bad" });
    expect(flagLabel("dispute_won")).toMatchObject({ hint: null, tone: "" });
  });

  it("says the automatic refunds and Stripe's own as such", () => {
    expect(tp(originLabel("stripe")!)).toBe("Refunded in Stripe's dashboard");
    expect(tp(originLabel("slot_taken")!)).toBe(
      "Paid after the hold lapsed; the time was taken — refunded automatically",
    );
    locale.value = "es";
    expect(tp(originLabel("booking_cancelled")!)).toBe(
      "Pagado después de cancelar la reserva — reembolsado automáticamente",
    );
  });

  it("gives no label to no flag, or to a value this build does not know (the caller shows it raw)", () => {
    expect(flagLabel(null)).toBeNull();
    expect(flagLabel("chargeback" as never)).toBeNull();
    expect(originLabel("toString")).toBeNull();
    expect(originLabel("goodwill")).toBeNull();
    expect(paymentStatusLabel(null)).toBeNull();
    expect(paymentStatusLabel("constructor")).toBeNull();
    expect(refundStatusLabel("cancelled")).toBeNull();
    expect(refundStatusLabel("failed")).toMatchObject({ label: "refund.failed", tone: "bad" });
  });
});
