// The Cache-Status response header (RFC 9211) of the two cached public reads: whether the edge cache served the
// database data (the response itself is always computed for the request).

import type { PublicReadOutcome } from "../../services/catalog/read-cache.ts";

export const CACHE_STATUS_HEADER = "Cache-Status";

export function cacheStatusOf(outcome: PublicReadOutcome): string {
  if (outcome === "hit") return "bookra-edge; hit";
  return outcome === "stale" ? "bookra-edge; fwd=stale" : "bookra-edge; fwd=uri-miss";
}

/** The header as the OpenAPI document declares it. */
export const cacheStatusHeaders = {
  [CACHE_STATUS_HEADER]: {
    description:
      "RFC 9211: `bookra-edge; hit` when the edge cache's copy of the database data was still current (checked on " +
      "every request against the business's versions); `bookra-edge; fwd=stale` (the versions had moved on) or " +
      "`bookra-edge; fwd=uri-miss` (no entry) when the data was read from the database. The slots are always " +
      "computed for the request's own time.",
    schema: { type: "string" as const },
  },
};
