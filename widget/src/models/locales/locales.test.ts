// Every locale has exactly English's keys (the type says so; this says it for the files as shipped) and, for each
// key, the same placeholders: a text moved to the wrong key usually shows up as a placeholder that does not fit.
import { describe, expect, it } from "vitest";
import { createI18n } from "../i18n.ts";
import { messages as de } from "./de.ts";
import { messages as en, type Messages } from "./en.ts";
import { messages as es } from "./es.ts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each([
  ["es", es],
  ["de", de],
])("%s", (_, messages) => {
  it("has every English key and no other", () => {
    expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
  });

  it("uses the same placeholders as English in every text", () => {
    for (const key of Object.keys(en) as (keyof Messages)[])
      expect(placeholders(messages[key]), key).toEqual(placeholders(en[key]));
  });
});

it("a locale missing a key does not compile", () => {
  const { whatsapp: _, ...rest } = en;
  // @ts-expect-error: `whatsapp` is missing
  const broken: Messages = { ...rest };
  expect(Object.keys(broken)).not.toContain("whatsapp");
});

it("fills placeholders from the keyed texts", () => {
  expect(createI18n("de-DE", de).t("freeTimes", { n: 3, date: "Montag" })).toBe("3 freie Zeiten am Montag");
  expect(createI18n("en", en).t("holdLeft", { left: "4:59" })).toBe("Held for 4:59");
});
