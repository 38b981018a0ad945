import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applicationFeeRefund, processingFee } from "./fees.ts";

describe("fee model", () => {
  it("charges 1.5 % rounded half up plus 20 minor units", () => {
    expect(processingFee(5000)).toBe(95);
    expect(processingFee(100)).toBe(22); // 1.5 → 2
    expect(processingFee(99)).toBe(21); // 1.485 → 1
    expect(processingFee(0)).toBe(20);
  });

  it("returns the application fee in proportion, and exactly all of it over refunds that add up to the charge", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 100 }),
        (charged, weights, feePercent) => {
          const fee = Math.floor((charged * feePercent) / 100);
          // Split the charge into refunds proportional to the weights (the last takes the remainder).
          const total = weights.reduce((a, b) => a + b, 0);
          const parts = weights.map((w) => Math.floor((charged * w) / total));
          parts[parts.length - 1]! += charged - parts.reduce((a, b) => a + b, 0);
          let refunded = 0;
          let returned = 0;
          for (const part of parts) {
            const back =
              applicationFeeRefund(fee, refunded + part, charged) - applicationFeeRefund(fee, refunded, charged);
            expect(back).toBeGreaterThanOrEqual(0);
            refunded += part;
            returned += back;
          }
          expect(returned).toBe(fee);
        },
      ),
    );
  });
});
