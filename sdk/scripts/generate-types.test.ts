// The JSON Schema → TypeScript mapping on the shapes zod-openapi emits.
import { describe, expect, it } from "vitest";
import { generateIdempotency, generateTypes, type OpenApiDocument, typeOf } from "./generate-types.ts";

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

describe("generateIdempotency", () => {
  const key = { name: "Idempotency-Key", in: "header", schema: { type: "string" } } as const;
  const document = {
    openapi: "3.1.0",
    info: {},
    components: { parameters: { Key: { ...key, name: "idempotency-key" } } },
    paths: {
      "/v1/public/{tenant}/bookings": {
        post: { operationId: "renamedAtWill", parameters: [key], responses: {} },
        get: { parameters: [{ name: "tenant", in: "path", schema: { type: "string" } }], responses: {} },
      },
      "/v1/admin/staff": { post: { parameters: [{ $ref: "#/components/parameters/Key" }], responses: {} } },
      "/v1/admin/things/{id}": {
        parameters: [key],
        patch: { responses: {} },
        delete: { parameters: [{ ...key, in: "query" }], responses: {} },
      },
      "/v1/admin/other": { post: { parameters: [{ name: "x-idempotency-key", in: "header" }], responses: {} } },
    },
  } as unknown as OpenApiDocument;

  it("lists by method and path the operations with an Idempotency-Key header: inline, $ref or path-level", () => {
    const out = generateIdempotency(document);
    const [publicTable, allTable] = out.split("export const IDEMPOTENT_OPERATIONS");
    const keys = (s: string) => [...s.matchAll(/^ {2}("[A-Z]+ [^"]+"),$/gm)].map((m) => JSON.parse(m[1]!));
    expect(keys(publicTable!)).toEqual(["POST /v1/public/{tenant}/bookings"]);
    expect(keys(allTable!)).toEqual([
      "POST /v1/public/{tenant}/bookings",
      "POST /v1/admin/staff",
      "PATCH /v1/admin/things/{id}",
      "DELETE /v1/admin/things/{id}",
    ]);
    expect(out).not.toContain("renamedAtWill");
  });

  it("refuses a parameter reference it cannot resolve rather than dropping the header", () => {
    const broken = {
      ...document,
      paths: { "/x": { post: { parameters: [{ $ref: "#/components/parameters/Nope" }], responses: {} } } },
    } as unknown as OpenApiDocument;
    expect(() => generateIdempotency(broken)).toThrow(/Nope/);
  });
});

describe("generateTypes with references", () => {
  it("follows $refs to shared parameters, request bodies and responses instead of dropping them", () => {
    const document = {
      openapi: "3.1.0",
      info: {},
      components: {
        parameters: { Id: { name: "id", in: "path", required: true, schema: { type: "string" } } },
        requestBodies: { Note: { required: true, content: { "application/json": { schema: { type: "string" } } } } },
        responses: { Count: { content: { "application/json": { schema: { type: "integer" } } } } },
      },
      paths: {
        "/things/{id}": {
          parameters: [{ $ref: "#/components/parameters/Id" }],
          post: {
            requestBody: { $ref: "#/components/requestBodies/Note" },
            responses: { "200": { $ref: "#/components/responses/Count" } },
          },
        },
      },
    } as unknown as OpenApiDocument;
    const out = generateTypes(document).replace(/\s+/g, " ");
    expect(out).toContain('"POST /things/{id}": { path: { id: string; }; body: string; response: number; };');
  });
});
