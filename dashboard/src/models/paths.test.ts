import { describe, expect, it } from "vitest";
import { parseRoute, returnPath, subPath } from "./paths.ts";

describe("dashboard paths", () => {
  it("reads the page and the query under /app/", () => {
    const r = parseRoute("/app/calendar/extra", "?view=week&date=2027-03-01");
    expect([r.page, r.path, r.query.get("view")]).toEqual([
      "calendar",
      "/calendar/extra?view=week&date=2027-03-01",
      "week",
    ]);
    expect(parseRoute("/app/", "").page).toBe("");
    expect(parseRoute("/app", "").path).toBe("/");
  });

  it("returns after sign-in only to a page of the app, never to another origin", () => {
    expect(returnPath("/calendar?view=day&date=2027-03-02&staff=stf_0")).toBe(
      "/calendar?view=day&date=2027-03-02&staff=stf_0",
    );
    for (const evil of [
      "//evil.example/app",
      "/\\evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "/sign-in?next=/today",
      "/today\nSet-Cookie: x",
      "",
      null,
    ])
      expect(returnPath(evil), String(evil)).toBe("/today");
  });

  it("reads the segment after the page's own (a booking's or a customer's id)", () => {
    expect(subPath("/bookings/bkg_1?q=ana")).toBe("bkg_1");
    expect(subPath("/bookings?q=a/b")).toBe(null);
    expect(subPath("/bookings/")).toBe(null);
    expect(subPath("/customers/cus%5F1")).toBe("cus_1");
    expect(subPath("/customers/%E0")).toBe("%E0");
  });
});
