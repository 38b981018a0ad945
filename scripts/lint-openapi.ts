// `npm run lint:openapi`: writes the worker's OpenAPI document (built in-process, exactly as GET /openapi.json serves
// it) to a temporary file and lints it with Redocly under the repository's redocly.yaml.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadContract } from "../sdk/scripts/contract.ts";

const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "bookra-openapi-"));
const file = join(dir, "openapi.json");
try {
  writeFileSync(file, `${JSON.stringify(loadContract(), null, 2)}\n`);
  const redocly = resolve(root, "node_modules/@redocly/cli/bin/cli.js");
  const run = spawnSync(
    process.execPath,
    [redocly, "lint", file, `--config=${resolve(root, "redocly.yaml")}`, "--format=codeframe"],
    {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    },
  );
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
