// `npm run generate -w @bookra/sdk`: writes the contract snapshot, the types and the idempotency table generated from
// it into sdk/src/generated.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { CONTRACT_IDEMPOTENCY, CONTRACT_JSON, CONTRACT_TYPES, renderContract } from "./contract.ts";

const { json, types, idempotency } = renderContract();
mkdirSync(dirname(CONTRACT_JSON), { recursive: true });
writeFileSync(CONTRACT_JSON, json);
writeFileSync(CONTRACT_TYPES, types);
writeFileSync(CONTRACT_IDEMPOTENCY, idempotency);
console.log(`Wrote ${CONTRACT_JSON}, ${CONTRACT_TYPES} and ${CONTRACT_IDEMPOTENCY}`);
