// Sorted, disjoint sets of half-open instant ranges, so that "does [from, to) overlap anything?" is one
// binary search instead of a scan over every booking or absence.

export interface InstantSpan {
  startsAt: number;
  endsAt: number;
}

/**
 * Sorts and merges ranges into disjoint ones; empty ranges are dropped because they contain no instant.
 * Merging touching ranges is exact: half-open overlap is set intersection, which a union preserves.
 */
export function normalizeRanges(ranges: readonly InstantSpan[]): InstantSpan[] {
  const sorted = ranges
    .filter((range) => range.startsAt < range.endsAt)
    .map((range) => ({ startsAt: range.startsAt, endsAt: range.endsAt }))
    .sort((a, b) => a.startsAt - b.startsAt);
  const merged: InstantSpan[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.startsAt <= last.endsAt) last.endsAt = Math.max(last.endsAt, range.endsAt);
    else merged.push(range);
  }
  return merged;
}

/** Whether `[from, to)` shares an instant with any of `disjoint` (sorted, as `normalizeRanges` returns). */
export function overlapsAny(disjoint: readonly InstantSpan[], from: number, to: number): boolean {
  if (from >= to) return false;
  // Because the ranges are disjoint and sorted, their ends are sorted too: find the first one ending after `from`.
  let low = 0;
  let high = disjoint.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((disjoint[mid]?.endsAt ?? Number.POSITIVE_INFINITY) > from) high = mid;
    else low = mid + 1;
  }
  const candidate = disjoint[low];
  return candidate !== undefined && candidate.startsAt < to;
}
