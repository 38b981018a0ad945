import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type InstantSpan, normalizeRanges, overlapsAny } from "./instant-ranges";

const spanArb = fc
  .tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: -5, max: 40 }))
  .map(([startsAt, length]): InstantSpan => ({ startsAt, endsAt: startsAt + length }));

describe("normalizeRanges", () => {
  it("merges overlapping and touching ranges and drops empty ones", () => {
    expect(
      normalizeRanges([
        { startsAt: 20, endsAt: 30 },
        { startsAt: 0, endsAt: 10 },
        { startsAt: 10, endsAt: 15 },
        { startsAt: 5, endsAt: 7 },
        { startsAt: 40, endsAt: 40 },
        { startsAt: 50, endsAt: 45 },
      ]),
    ).toEqual([
      { startsAt: 0, endsAt: 15 },
      { startsAt: 20, endsAt: 30 },
    ]);
  });

  it("returns sorted ranges with gaps between them, covering exactly the same instants", () => {
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 12 }), (spans) => {
        const merged = normalizeRanges(spans);
        merged.forEach((range, i) => {
          expect(range.startsAt).toBeLessThan(range.endsAt);
          if (i > 0) expect(range.startsAt).toBeGreaterThan(merged[i - 1]?.endsAt ?? Number.NEGATIVE_INFINITY);
        });
        for (let t = -10; t < 260; t++) {
          const inInput = spans.some((s) => s.startsAt <= t && t < s.endsAt);
          expect(merged.some((s) => s.startsAt <= t && t < s.endsAt)).toBe(inInput);
        }
      }),
    );
  });
});

describe("overlapsAny", () => {
  it("treats ranges as half-open: touching is not overlapping", () => {
    const ranges = normalizeRanges([{ startsAt: 10, endsAt: 20 }]);
    expect(overlapsAny(ranges, 0, 10)).toBe(false);
    expect(overlapsAny(ranges, 20, 30)).toBe(false);
    expect(overlapsAny(ranges, 19, 30)).toBe(true);
    expect(overlapsAny(ranges, 0, 11)).toBe(true);
    expect(overlapsAny(ranges, 12, 12)).toBe(false);
    expect(overlapsAny([], 0, 100)).toBe(false);
  });

  it("agrees with a scan of the original ranges", () => {
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 12 }), spanArb, (spans, query) => {
        const expected = spans.some(
          (s) =>
            s.startsAt < s.endsAt &&
            query.startsAt < query.endsAt &&
            s.startsAt < query.endsAt &&
            query.startsAt < s.endsAt,
        );
        expect(overlapsAny(normalizeRanges(spans), query.startsAt, query.endsAt)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
