// `npm run build` builds the dashboard with Vite (@preact/preset-vite) into dashboard/dist: index.html and hashed
// files under assets/, for the URL base /app/ (the worker serves them from the combined static-assets folder, see
// scripts/build-assets.ts). Returns the min+gzip size of each chunk and what the shell and the Today page load.
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import preact from "@preact/preset-vite";
import { build, type Rolldown } from "vite";

export const DASHBOARD = resolve(import.meta.dirname, "..");
const SDK_ADMIN_SRC = resolve(DASHBOARD, "../sdk/src/admin.ts");

export interface DashboardChunk {
  file: string;
  modules: string[];
  isEntry: boolean;
  /** Files this chunk imports statically (fetched with it). */
  imports: string[];
  gzip: number;
}

export interface DashboardBuild {
  outDir: string;
  chunks: DashboardChunk[];
  /** The CSS files index.html links, with their min+gzip size. */
  css: { file: string; gzip: number }[];
  /** What a signed-in owner's Today page fetches: entry + static imports + CSS + the Today chunk and its imports. */
  shellAndToday: { files: string[]; gzip: number };
}

export async function buildDashboard(outDir = resolve(DASHBOARD, "dist")): Promise<DashboardBuild> {
  const out = (await build({
    configFile: false,
    envDir: false,
    publicDir: false,
    root: DASHBOARD,
    base: "/app/",
    // explicit: under vitest NODE_ENV is "test", and Vite would build a development bundle
    mode: "production",
    logLevel: "warn",
    plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false, reactAliasesEnabled: false })],
    resolve: { alias: { "@bookra/sdk/admin": SDK_ADMIN_SRC } },
    define: { "process.env.NODE_ENV": '"production"' },
    build: {
      outDir,
      emptyOutDir: true,
      target: "es2022",
      sourcemap: false,
      // no inline <script> or data: URL: the page's CSP allows only this origin's files
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
      rolldownOptions: { output: { hashCharacters: "hex" } },
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const output = (Array.isArray(out) ? out[0]! : out).output;
  const root = `${resolve(DASHBOARD, "..")}/`;
  const chunks: DashboardChunk[] = output
    .filter((o): o is Rolldown.OutputChunk => o.type === "chunk")
    .map((c) => ({
      file: c.fileName,
      modules: Object.keys(c.modules).map((m) => m.replace(root, "")),
      isEntry: c.isEntry,
      imports: c.imports,
      gzip: gzipSync(c.code, { level: 9 }).length,
    }));
  const css = output
    .filter((o): o is Rolldown.OutputAsset => o.type === "asset" && o.fileName.endsWith(".css"))
    .map((a) => ({ file: a.fileName, gzip: gzipSync(a.source, { level: 9 }).length }));
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const f of chunks.find((c) => c.file === file)?.imports ?? []) visit(f);
  };
  for (const c of chunks.filter((c) => c.isEntry)) visit(c.file);
  const today = chunks.find((c) => c.modules.some((m) => m.endsWith("pages/today/index.tsx")));
  if (today) visit(today.file);
  const gzip =
    [...files].reduce((n, f) => n + (chunks.find((c) => c.file === f)?.gzip ?? 0), 0) +
    css.reduce((n, c) => n + c.gzip, 0);
  return { outDir, chunks, css, shellAndToday: { files: [...files, ...css.map((c) => c.file)], gzip } };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const r = await buildDashboard();
  console.log(`dashboard built: shell + Today ${(r.shellAndToday.gzip / 1000).toFixed(2)} kB min+gzip`);
  for (const c of r.chunks)
    console.log(`  ${c.isEntry ? "entry" : "lazy "} ${c.file} ${(c.gzip / 1000).toFixed(2)} kB`);
}
