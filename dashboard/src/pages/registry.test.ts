import { expect, it } from "vitest";
import { PAGES, pagesFor } from "./registry.ts";

it("lists every page once; staff see Today, Calendar, Bookings and Money (their statement), managers all but Money", () => {
  expect(PAGES.map((p) => p.name)).toEqual([
    "today",
    "calendar",
    "bookings",
    "customers",
    "money",
    "setup",
    "developers",
  ]);
  expect(pagesFor("owner").map((p) => p.name)).toEqual(PAGES.map((p) => p.name));
  expect(pagesFor("manager").map((p) => p.name)).toEqual(PAGES.map((p) => p.name).filter((n) => n !== "money"));
  expect(pagesFor("staff").map((p) => p.name)).toEqual(["today", "calendar", "bookings", "money"]);
});
