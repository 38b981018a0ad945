// `npm run generate -w @bookra/sdk`: writes the contract snapshot and the types generated from it into sdk/src/generated.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { CONTRACT_JSON, CONTRACT_TYPES, renderContract } from "./contract.ts";

const { json, types } = renderContract();
mkdirSync(dirname(CONTRACT_JSON), { recursive: true });
writeFileSync(CONTRACT_JSON, json);
writeFileSync(CONTRACT_TYPES, types);
console.log(`Wrote ${CONTRACT_JSON} and ${CONTRACT_TYPES}`);
