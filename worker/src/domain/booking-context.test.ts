import { describe, expect, it } from "vitest";
import { formatMoney, formatWhen } from "./booking-context.ts";

describe("formatMoney", () => {
  // The currency's own minor unit decides the decimals (symbols vary with the ICU data, the amount does not).
  it.each([
    [4550, "EUR", /^€45\.50$/],
    [4550, "JPY", /¥4,550$/],
    [12345, "KWD", /^KWD\s12\.345$/],
    [0, "GBP", /^£0\.00$/],
  ])("%i minor units of %s", (amount, currency, pattern) => {
    expect(formatMoney(amount, currency)).toMatch(pattern);
  });
});

describe("formatWhen", () => {
  it("shows the business's wall clock across a DST change, labelled with its zone", () => {
    expect(formatWhen(new Date("2027-03-29T08:00:00Z"), "Europe/London")).toMatch(
      /29 March 2027 at 09:00 \(Europe\/London\)$/,
    );
    expect(formatWhen(new Date("2027-03-27T09:00:00Z"), "Europe/London")).toMatch(
      /27 March 2027 at 09:00 \(Europe\/London\)$/,
    );
  });
});
