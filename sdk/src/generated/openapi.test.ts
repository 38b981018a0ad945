// Drift check: the committed contract snapshot and types must be exactly what the worker's schemas generate today.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CONTRACT_IDEMPOTENCY,
  CONTRACT_JSON,
  CONTRACT_TYPES,
  loadContract,
  renderContract,
} from "../../scripts/contract.ts";

const HINT =
  "The API changed: run `npm run generate -w @bookra/sdk` and review the SDK for the new or changed operations.";

describe("generated contract", () => {
  const contract = loadContract();
  const rendered = renderContract(contract);

  it("the committed openapi.json is the worker's current OpenAPI document", () => {
    expect(JSON.parse(readFileSync(CONTRACT_JSON, "utf8")), HINT).toEqual(contract);
  });

  it("the committed openapi.ts is what the generator makes of it", () => {
    expect(readFileSync(CONTRACT_TYPES, "utf8"), HINT).toBe(rendered.types);
    expect(readFileSync(CONTRACT_JSON, "utf8"), HINT).toBe(rendered.json);
  });

  it("the committed idempotent.ts lists exactly the operations whose contract accepts an Idempotency-Key", () => {
    expect(readFileSync(CONTRACT_IDEMPOTENCY, "utf8"), HINT).toBe(rendered.idempotency);
  });
});
