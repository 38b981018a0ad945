import { describe, expect, it } from "vitest";
import { fieldErrors } from "./field-errors.ts";

const FIELDS = ["slug", "ownerEmail", "ownerPassword"];

describe("fieldErrors", () => {
  it("puts each issue at the field its path ends in, the first message per field", () => {
    const cause = {
      status: 400,
      issues: [
        { path: ["slug"], message: "Reserved" },
        { path: ["body", "ownerEmail"], message: "Invalid e-mail" },
        { path: ["ownerEmail"], message: "second message" },
      ],
    };
    expect(fieldErrors(cause, FIELDS, "Validation failed")).toEqual({
      slug: "Reserved",
      ownerEmail: "Invalid e-mail",
    });
  });

  it("sends issues about unknown fields, and errors without issues, to the form", () => {
    expect(fieldErrors({ status: 400, issues: [{ path: ["extra"], message: "Unknown key" }] }, FIELDS, "x")).toEqual({
      form: "Unknown key",
    });
    expect(fieldErrors({ status: 429 }, FIELDS, "Too many requests")).toEqual({ form: "Too many requests" });
    expect(fieldErrors(new Error("offline"), FIELDS, "We could not reach the server")).toEqual({
      form: "We could not reach the server",
    });
  });

  it("puts a 409 at the conflicting field when the form names one (a taken slug at the slug)", () => {
    expect(fieldErrors({ status: 409 }, FIELDS, "That address is taken", "slug")).toEqual({
      slug: "That address is taken",
    });
    expect(fieldErrors({ status: 409 }, FIELDS, "Conflict")).toEqual({ form: "Conflict" });
  });
});
