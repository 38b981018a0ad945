import { describe, expect, it } from "vitest";
import { NOTES_MAX, normalizeNotes, notesState } from "./notes.ts";

describe("customer notes", () => {
  it("counts what is left of the 5,000 characters, and says when over", () => {
    expect(notesState("abc", null)).toEqual({ length: 3, remaining: NOTES_MAX - 3, over: false, unchanged: false });
    expect(notesState("x".repeat(5000), null).over).toBe(false);
    expect(notesState("x".repeat(5001), null)).toMatchObject({ remaining: -1, over: true });
  });

  it("counts as the API does (UTF-16 units: an emoji is two)", () => {
    expect(notesState("👍", null).length).toBe(2);
  });

  it("blank notes clear them; unchanged text needs no save", () => {
    expect(normalizeNotes("  \n ")).toBe(null);
    expect(notesState("", null).unchanged).toBe(true);
    expect(notesState("Prefers mornings", "Prefers mornings").unchanged).toBe(true);
    expect(notesState("Prefers mornings.", "Prefers mornings").unchanged).toBe(false);
  });
});
