// The API contract the SDK is generated from: the worker's own OpenAPI document, built in-process (no database, no server).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { createApp } from "../../worker/src/app.ts";
import { OPENAPI_INFO } from "../../worker/src/routes/docs.ts";
import { generateIdempotency, generateTypes, type OpenApiDocument } from "./generate-types.ts";

export const SDK_ROOT = resolve(import.meta.dirname, "..");
export const REPO_ROOT = resolve(SDK_ROOT, "..");
export const CONTRACT_JSON = resolve(SDK_ROOT, "src/generated/openapi.json");
export const CONTRACT_TYPES = resolve(SDK_ROOT, "src/generated/openapi.ts");
export const CONTRACT_IDEMPOTENCY = resolve(SDK_ROOT, "src/generated/idempotent.ts");

/** The document exactly as `GET /openapi.json` serves it, minus `servers` (which names the serving origin). */
export function loadContract(): OpenApiDocument {
  const app = createApp({
    database: () => {
      throw new Error("Building the OpenAPI document needs no database");
    },
    now: () => new Date(0),
    config: { manageTokenSecret: "contract-only-secret-0123456789abcdef", publicBaseUrl: "http://localhost" },
  });
  return withoutServers(app.getOpenAPI31Document({ ...OPENAPI_INFO }) as unknown as OpenApiDocument);
}

export function withoutServers(doc: OpenApiDocument): OpenApiDocument {
  const { servers: _servers, ...rest } = doc as OpenApiDocument & { servers?: unknown };
  return rest;
}

/** Formats with the repository's Biome settings, so the committed files are exactly what the generator prints. */
export function formatWithBiome(source: string, fileName: string): string {
  const biome = resolve(REPO_ROOT, "node_modules/@biomejs/biome/bin/biome");
  const out = spawnSync(process.execPath, [biome, "format", `--stdin-file-path=${fileName}`], {
    cwd: REPO_ROOT,
    input: source,
    encoding: "utf8",
  });
  if (out.status !== 0) throw new Error(`biome format failed: ${out.stderr}`);
  return out.stdout;
}

/** The generated files, as they must be committed. */
export function renderContract(doc: OpenApiDocument = loadContract()): {
  json: string;
  types: string;
  idempotency: string;
} {
  return {
    json: formatWithBiome(`${JSON.stringify(doc, null, 2)}\n`, CONTRACT_JSON),
    types: formatWithBiome(generateTypes(doc), CONTRACT_TYPES),
    idempotency: formatWithBiome(generateIdempotency(doc), CONTRACT_IDEMPOTENCY),
  };
}
