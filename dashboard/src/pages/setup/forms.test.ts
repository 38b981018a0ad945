import { describe, expect, it } from "vitest";
import { bpsToPercent, fieldErrors, fromMinor, percentToBps, textOn, toInt, toMinor } from "./forms.ts";

describe("fieldErrors", () => {
  it("puts each issue on the field its path names, the first message per field", () => {
    const cause = {
      issues: [
        { path: ["profile", "phone"], message: "A phone number" },
        { path: ["profile", "phone"], message: "second" },
        { path: ["price", "amount"], message: "Too big" },
      ],
    };
    expect(fieldErrors(cause, "failed")).toEqual({ "profile.phone": "A phone number", "price.amount": "Too big" });
  });

  it("renames keys to the fields that show them; unknown ones and errors without issues go to the form", () => {
    const rename = (k: string) => (k.startsWith("weeklyHours.") ? `hours.${k.split(".")[1]}` : null);
    expect(
      fieldErrors({ issues: [{ path: ["weeklyHours", 3], message: "start must be before end" }] }, "x", rename),
    ).toEqual({ "hours.3": "start must be before end" });
    expect(fieldErrors({ issues: [{ path: ["other"], message: "m" }] }, "x", rename)).toEqual({ form: "m" });
    expect(fieldErrors(new Error("boom"), "The request failed")).toEqual({ form: "The request failed" });
  });
});

describe("money in major units", () => {
  it("reads amounts with the currency's decimals, with a point or a comma", () => {
    expect(toMinor("45.5", "EUR")).toBe(4550);
    expect(toMinor("45,05", "EUR")).toBe(4505);
    expect(toMinor("45", "EUR")).toBe(4500);
    expect(toMinor("1500", "JPY")).toBe(1500);
    expect(toMinor("1.234", "KWD")).toBe(1234);
  });

  it("refuses negatives, too many decimals and text", () => {
    expect(toMinor("-1", "EUR")).toBeNull();
    expect(toMinor("1.234", "EUR")).toBeNull();
    expect(toMinor("1.5", "JPY")).toBeNull();
    expect(toMinor("ten", "EUR")).toBeNull();
    expect(toMinor("", "EUR")).toBeNull();
  });

  it("writes minor units back for an input", () => {
    expect(fromMinor(4550, "EUR")).toBe("45.50");
    expect(fromMinor(5, "EUR")).toBe("0.05");
    expect(fromMinor(1500, "JPY")).toBe("1500");
    expect(toMinor(fromMinor(123456, "USD"), "USD")).toBe(123456);
  });

  it("reads whole numbers only", () => {
    expect(toInt(" 15 ")).toBe(15);
    expect(toInt("1.5")).toBeNull();
    expect(toInt("")).toBeNull();
  });
});

describe("textOn", () => {
  it("picks white on dark colours and near-black on light ones", () => {
    expect(textOn("#0b57d0")).toBe("#fff");
    expect(textOn("#ffe066")).toBe("#111");
    expect(textOn("#000000")).toBe("#fff");
  });
});

describe("commission in percent", () => {
  it("reads percent into basis points and back", () => {
    expect(percentToBps("40")).toBe(4000);
    expect(percentToBps("12,5")).toBe(1250);
    expect(percentToBps("0.05")).toBe(5);
    expect(percentToBps("101")).toBeNull();
    expect(percentToBps("1.234")).toBeNull();
    expect(bpsToPercent(1250)).toBe("12.5");
  });
});
