import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applicationFee, depositFor } from "./pricing.ts";

describe("applicationFee", () => {
  it.each([
    [1000, 500, 0, 50],
    [1000, 1000, 30, 130],
    [999, 500, 0, 49], // rounded down
    [2500, 0, 20, 20],
    [15, 500, 20, 15], // never above the charge
    [0, 500, 20, 0],
  ])("%i at %i bps + %i → %i", (amount, bps, fixed, fee) => {
    expect(applicationFee(amount, bps, fixed)).toBe(fee);
  });

  it("is an integer between 0 and the charge, and grows with the charge", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (a, b, bps, fixed) => {
          const fee = applicationFee(a, bps, fixed);
          expect(Number.isInteger(fee) && fee >= 0 && fee <= a).toBe(true);
          if (a <= b) expect(fee).toBeLessThanOrEqual(applicationFee(b, bps, fixed));
        },
      ),
    );
  });
});

describe("depositFor", () => {
  it("a percent of the price, a fixed amount capped at the price, or nothing", () => {
    expect(depositFor({ priceAmount: 4000, depositPercent: 25, depositAmount: null })).toBe(1000);
    expect(depositFor({ priceAmount: 4000, depositPercent: null, depositAmount: 5000 })).toBe(4000);
    expect(depositFor({ priceAmount: 4000, depositPercent: null, depositAmount: null })).toBe(0);
  });
});
