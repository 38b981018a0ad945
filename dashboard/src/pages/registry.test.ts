import { expect, it } from "vitest";
import { PAGES, pagesFor } from "./registry.ts";

it("lists every page once, and shows staff only Today, Calendar and Bookings", () => {
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
  expect(pagesFor("manager").map((p) => p.name)).toEqual(PAGES.map((p) => p.name));
  expect(pagesFor("staff").map((p) => p.name)).toEqual(["today", "calendar", "bookings"]);
});
