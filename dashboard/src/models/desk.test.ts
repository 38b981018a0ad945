import { describe, expect, it } from "vitest";
import { fieldOfCode, toMinor } from "./desk.ts";

describe("desk amounts", () => {
  it("reads major units in the currency's minor units, refusing what is not an amount", () => {
    expect([toMinor("12.50", "EUR"), toMinor("12,5", "EUR"), toMinor(" 7 ", "EUR"), toMinor("", "EUR")]).toEqual([
      1250, 1250, 700, 0,
    ]);
    expect([toMinor("1200", "JPY"), toMinor("1.5", "JPY"), toMinor("1.234", "KWD")]).toEqual([1200, null, 1234]);
    expect([toMinor("-1", "EUR"), toMinor("1.234", "EUR"), toMinor("abc", "EUR")]).toEqual([null, null, null]);
  });

  it("puts each refusal at its field", () => {
    expect(
      ["DESK_OVERPAID", "BALANCE_DUE", "TIP_EXCEEDS_PAYMENTS", "DISCOUNT_EXCEEDS_BALANCE", "CONFLICT"].map(fieldOfCode),
    ).toEqual(["cash", "cash", "tip", "discount", null]);
  });
});
