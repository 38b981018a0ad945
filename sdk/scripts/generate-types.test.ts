// The JSON Schema → TypeScript mapping on the shapes zod-openapi emits.
import { describe, expect, it } from "vitest";
import { typeOf } from "./generate-types.ts";

describe("typeOf", () => {
  it.each([
    [{ type: "string" }, "string"],
    [{ type: ["string", "null"] }, "string | null"],
    [{ type: "integer" }, "number"],
    [{ type: "string", enum: ["a", "b"] }, '"a" | "b"'],
    [{ $ref: "#/components/schemas/Money" }, "Money"],
    [{ $ref: "#/components/schemas/Error" }, "ErrorResponse"],
    [{ allOf: [{ $ref: "#/components/schemas/Money" }, { type: ["object", "null"] }] }, "Money | null"],
    [{ anyOf: [{ type: "string" }, { type: "number" }] }, "string | number"],
    [{ type: "array", items: { anyOf: [{ type: "string" }, { type: "number" }] } }, "(string | number)[]"],
    [{ type: "array", items: { $ref: "#/components/schemas/Staff" } }, "Staff[]"],
    [{ type: "object" }, "Record<string, unknown>"],
  ])("%j → %s", (schema, expected) => {
    expect(typeOf(schema)).toBe(expected);
  });

  it("marks optional properties and documents defaults", () => {
    const out = typeOf({
      type: "object",
      properties: { a: { type: "string" }, b: { type: "integer", default: 50 } },
      required: ["a"],
    });
    expect(out).toContain("a: string;");
    expect(out).toContain("b?: number;");
    expect(out).toContain("@default 50");
  });
});
