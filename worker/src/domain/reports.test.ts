import { describe, expect, it } from "vitest";
import {
  type AccountSums,
  decimalOf,
  exponentOf,
  figuresOf,
  periodKey,
  periodKeys,
  periodProblem,
  SUMMARY_FIGURES,
  safeText,
  toCsv,
} from "./reports.ts";

const s = (account: string, debits: number, credits: number): AccountSums => ({
  account,
  currency: "GBP",
  debits,
  credits,
});

describe("figures", () => {
  it("each figure sums the accounts it names, income and costs shown positive, net their difference", () => {
    const f = figuresOf(SUMMARY_FIGURES, [
      s("service_revenue", 0, -10_000),
      s("cancellation_fees", 0, -1_000),
      s("refunds_given", 700, 0),
      s("discounts", 300, 0),
      s("tips_payable:stf_a", 200, -500),
      s("tips_payable:stf_b", 0, -100),
      s("stripe_fees", 250, 0),
      s("platform_fees", 100, -20),
      s("dispute_fees", 1_500, -1_500),
      s("dispute_losses", 2_000, 0),
      s("commission_expense", 3_000, -210),
      s("customer_deposits", 4_000, -9_000),
      s("stripe_balance", 12_000, -3_000),
      s("bank", 3_000, 0),
    ]);
    expect(f).toEqual({
      grossTakings: 11_000,
      serviceRevenue: 10_000,
      cancellationFees: 1_000,
      refunds: 700,
      discounts: 300,
      tips: 600,
      stripeFees: 250,
      platformFees: 80,
      disputeCosts: 2_000,
      commissions: 2_790,
      net: 11_000 - 700 - 300 - 250 - 80 - 2_000 - 2_790,
      depositsHeld: 5_000,
      stripeOwes: 9_000,
    });
  });

  it("no lines: every figure is 0 (never -0)", () => {
    for (const v of Object.values(figuresOf(SUMMARY_FIGURES, []))) expect(Object.is(v, 0)).toBe(true);
  });
});

describe("periods", () => {
  it("refuses from after to, more than 366 days and non-dates", () => {
    expect(periodProblem("2027-03-01", "2027-03-01")).toBeNull();
    expect(periodProblem("2028-01-01", "2028-12-31")).toBeNull(); // 366 days, a leap year
    expect(periodProblem("2027-03-02", "2027-03-01")).toMatch(/after/);
    expect(periodProblem("2027-01-01", "2028-01-02")).toMatch(/366/);
    expect(periodProblem("x", "2027-01-01")).toMatch(/dates/);
  });

  it("keys a day by its date, a week by its Monday, a month by YYYY-MM, and lists every key in order", () => {
    expect(periodKey("2027-03-28", "week")).toBe("2027-03-22"); // a Sunday
    expect(periodKey("2027-03-29", "week")).toBe("2027-03-29"); // a Monday
    expect(periodKey("2027-03-28", "month")).toBe("2027-03");
    expect(periodKeys("2027-03-27", "2027-03-30", "day")).toEqual([
      "2027-03-27",
      "2027-03-28",
      "2027-03-29",
      "2027-03-30",
    ]);
    expect(periodKeys("2027-03-27", "2027-04-05", "week")).toEqual(["2027-03-22", "2027-03-29", "2027-04-05"]);
    expect(periodKeys("2027-01-31", "2027-03-01", "month")).toEqual(["2027-01", "2027-02", "2027-03"]);
  });
});

describe("money as text", () => {
  it("writes minor units in the currency's exponent", () => {
    expect([exponentOf("GBP"), exponentOf("JPY"), exponentOf("BHD")]).toEqual([2, 0, 3]);
    expect(decimalOf(12_345, 2)).toBe("123.45");
    expect(decimalOf(-5, 2)).toBe("-0.05");
    expect(decimalOf(0, 2)).toBe("0.00");
    expect(decimalOf(500, 0)).toBe("500");
    expect(decimalOf(1_234, 3)).toBe("1.234");
    expect(decimalOf(-7, 3)).toBe("-0.007");
  });
});

describe("CSV", () => {
  it("neutralises text cells a spreadsheet would run as formulas", () => {
    for (const bad of ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
      expect(safeText(bad)).toBe(`'${bad}`);
    expect(safeText("Cut & colour")).toBe("Cut & colour");
  });

  it("quotes by RFC 4180, ends lines with CRLF, and writes amounts as decimals (negative ones unquoted)", () => {
    const csv = toCsv(
      ["name", "amount"],
      [
        [{ text: '=HYPERLINK("x")' }, { amount: -150, exponent: 2 }],
        [{ text: "a, b" }, { amount: 5, exponent: 0 }],
      ],
    );
    expect(csv).toBe('name,amount\r\n"\'=HYPERLINK(""x"")",-1.50\r\n"a, b",5\r\n');
  });
});
