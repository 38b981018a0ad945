import { afterEach, describe, expect, it } from "vitest";
import { locale } from "./i18n.ts";
import { pageTexts } from "./page-texts.ts";

const tp = pageTexts({
  en: { title: "Bookings", count: "{n} bookings" },
  es: { title: "Reservas", count: "{n} reservas" },
  de: { title: "Buchungen", count: "{n} Buchungen" },
});

afterEach(() => {
  locale.value = "en";
});

describe("pageTexts", () => {
  it("answers in the chosen language and fills placeholders", () => {
    expect(tp("count", { n: 3 })).toBe("3 bookings");
    locale.value = "de";
    expect(tp("title")).toBe("Buchungen");
    locale.value = "es";
    expect(tp("count", { n: 2 })).toBe("2 reservas");
  });
});
