// The API reference's script as a static asset: Scalar's standalone bundle (@scalar/api-reference's classic,
// single-file build, dist/browser/standalone.js) copied into the static-assets directory, so /docs loads no script
// from a CDN. Called by the widget build, which owns that directory (wrangler.toml [assets]).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DOCS_BUNDLE_PATH } from "../../worker/src/routes/docs-bundle.ts";

/** `_headers` for the bundle: same-origin only (no CORS); a stable name, so a short max-age, then an ETag check. */
export const DOCS_BUNDLE_HEADERS = `${dirname(DOCS_BUNDLE_PATH)}/*
  Cache-Control: public, max-age=300, stale-while-revalidate=86400
  X-Content-Type-Options: nosniff
`;

/** The installed package's bundle (its `exports` name only the ES entry; the browser build sits beside it). */
export function docsBundleSource(): string {
  const entry = fileURLToPath(import.meta.resolve("@scalar/api-reference"));
  return resolve(dirname(entry), "browser/standalone.js");
}

/** Copies the bundle to `outDir` + DOCS_BUNDLE_PATH and returns where it went. The source-map comment goes (the map
 * is not shipped, and a browser's developer tools would only meet a 404 for it). */
export function writeDocsBundle(outDir: string): string {
  const target = join(outDir, DOCS_BUNDLE_PATH);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, readFileSync(docsBundleSource(), "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"));
  return target;
}
