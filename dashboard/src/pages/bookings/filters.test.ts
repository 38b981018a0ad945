import { describe, expect, it } from "vitest";
import { EMPTY, filtersFromQuery, filtersToApi, filtersToQuery, isDate, rangeInverted } from "./filters.ts";

const read = (qs: string) => filtersFromQuery(new URLSearchParams(qs));

describe("bookings filters ↔ URL query", () => {
  it("round-trips every filter through the URL", () => {
    const f = {
      q: "+44 20 7946",
      status: ["confirmed", "no_show"] as const,
      staffId: "stf_ab-1",
      serviceId: "svc_9",
      customerId: "cus_7",
      from: "2027-03-01",
      to: "2027-03-07",
    };
    const qs = filtersToQuery({ ...f, status: [...f.status] });
    expect(qs).toBe(
      "q=%2B44+20+7946&status=confirmed%2Cno_show&staff=stf_ab-1&service=svc_9&customer=cus_7&from=2027-03-01&to=2027-03-07",
    );
    expect(read(qs)).toEqual({ ...f, status: [...f.status] });
  });

  it("an empty filter is an empty query, and an empty query no filter", () => {
    expect(filtersToQuery(EMPTY)).toBe("");
    expect(read("")).toEqual(EMPTY);
    expect(filtersToApi(EMPTY)).toEqual({});
  });

  it("reads statuses comma-separated or repeated, once each, in a fixed order; unknown ones are dropped", () => {
    expect(read("status=completed&status=confirmed,bogus,completed").status).toEqual(["confirmed", "completed"]);
  });

  it("drops what a hand-edited link gets wrong instead of sending it", () => {
    const f = read(`from=2027-02-30&to=07-03-2027&staff=a%20b&service=${"x".repeat(65)}&q=${"a".repeat(150)}`);
    expect(f.from).toBe("");
    expect(f.to).toBe("");
    expect(f.staffId).toBe("");
    expect(f.serviceId).toBe("");
    expect(f.q).toHaveLength(100);
  });

  it("asks the API with local dates and the statuses as a list", () => {
    expect(filtersToApi({ ...EMPTY, q: "  ana ", status: ["cancelled", "confirmed"], from: "2027-03-01" })).toEqual({
      q: "ana",
      status: ["confirmed", "cancelled"],
      from: "2027-03-01",
    });
  });

  it("knows real dates and an inverted range", () => {
    expect(isDate("2028-02-29")).toBe(true);
    expect(isDate("2027-02-29")).toBe(false);
    expect(rangeInverted({ ...EMPTY, from: "2027-03-02", to: "2027-03-01" })).toBe(true);
    expect(rangeInverted({ ...EMPTY, from: "2027-03-01", to: "2027-03-01" })).toBe(false);
  });
});
