// `npm run secrets:reencrypt`: re-encrypts every stored secret under the first key of DATA_ENCRYPTION_KEYS (the last
// step of a key rotation, before the old key is removed). DATABASE_URL: a role that bypasses row-level security.
import { parseDataKeys } from "../worker/src/lib/encryption.ts";
import { reencryptSecrets } from "./lib/reencrypt.ts";

const url = process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL;
const keys = parseDataKeys(process.env.DATA_ENCRYPTION_KEYS);
if (!url || !keys) {
  console.error(
    "Set DATABASE_URL (or MIGRATION_DATABASE_URL; an owner role) and DATA_ENCRYPTION_KEYS (as the worker has it).",
  );
  process.exit(2);
}
const result = await reencryptSecrets(url, keys);
for (const [table, n] of Object.entries(result.rewritten)) console.log(`${table}: ${n} rewritten`);
console.log(
  result.remaining === 0
    ? `every secret is under key ${keys.primaryKid}: older keys may be removed from DATA_ENCRYPTION_KEYS`
    : `${result.remaining} rows changed meanwhile: run again`,
);
process.exit(result.remaining === 0 ? 0 : 1);
