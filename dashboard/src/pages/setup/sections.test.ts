import { describe, expect, it } from "vitest";
import { sectionOf } from "./sections.ts";

describe("sectionOf", () => {
  it("reads the section and the item from the path, Business by default", () => {
    expect(sectionOf("/setup")).toEqual({ section: "business", sub: undefined });
    expect(sectionOf("/setup/staff")).toEqual({ section: "staff", sub: undefined });
    expect(sectionOf("/setup/staff/stf_1?tab=x")).toEqual({ section: "staff", sub: "stf_1" });
    expect(sectionOf("/setup/services/new")).toEqual({ section: "services", sub: "new" });
    expect(sectionOf("/setup/nonsense/stf_1")).toEqual({ section: "business", sub: undefined });
  });
});
