import { describe, expect, it } from "vitest";
import { fieldOfCode, toMajorText, toMinor } from "./desk.ts";

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

  it("writes minor units as the refund form's default amount, which reads back as the same minor units", () => {
    expect(toMajorText(1250, "EUR")).toBe("12.50");
    expect(toMajorText(5, "EUR")).toBe("0.05");
    expect(toMajorText(1200, "JPY")).toBe("1200");
    expect(toMajorText(1234, "KWD")).toBe("1.234");
    for (const [n, c] of [
      [1250, "EUR"],
      [1, "GBP"],
      [99_999, "JPY"],
      [7, "KWD"],
    ] as const)
      expect(toMinor(toMajorText(n, c), c)).toBe(n);
  });
});
