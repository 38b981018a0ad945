// `npm run build -w @bookra/sdk` (and `npm pack`, on prepack): ESM bundles per entry point (shared code split into chunks, so importing two
// entries never duplicates a class) plus .d.ts files, into sdk/dist. Node built-ins are refused by the neutral platform.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const SDK = resolve(import.meta.dirname, "..");
export const ENTRY_POINTS = ["index", "admin", "webhooks"] as const;

export async function buildSdk(outdir = resolve(SDK, "dist")): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: ENTRY_POINTS.map((e) => resolve(SDK, `src/${e}.ts`)),
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    chunkNames: "chunks/[name]-[hash]",
    legalComments: "none",
    logLevel: "warning",
  });
  const tsc = resolve(SDK, "../node_modules/typescript/bin/tsc");
  // tsc reports on stdout; send it to stderr so `npm pack --json` (which runs this on prepack) prints only its JSON.
  execFileSync(process.execPath, [tsc, "-p", resolve(SDK, "tsconfig.build.json"), "--outDir", outdir], {
    stdio: ["ignore", process.stderr, process.stderr],
  });
  rewriteDeclarationSpecifiers(outdir);
}

/** The sources import `./x.ts` (the repository's convention); published declarations must point at `./x.js`. */
function rewriteDeclarationSpecifiers(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) rewriteDeclarationSpecifiers(path);
    else if (name.endsWith(".d.ts"))
      writeFileSync(path, readFileSync(path, "utf8").replace(/(from\s+["']\.{1,2}\/[^"']*?)\.ts(["'])/g, "$1.js$2"));
  }
}

if (import.meta.main || process.argv[1] === import.meta.filename) {
  await buildSdk();
  console.error("Built sdk/dist");
}
