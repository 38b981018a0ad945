// `npm run build:widget`: the embed loader (widget.js, a minified IIFE) and the app (an ES module entry,
// widget-app.<hash>.js, with Preact, signals and the SDK inlined, plus its lazy chunks widget-app.<name>.<hash>.js:
// the Spanish and German texts, the payment step, the manage page) into widget/dist, with the Workers static-assets
// `_headers` (CORS, caching) and a manifest of the min+gzip sizes. The SDK comes from its source (sdk/src). The
// API reference's bundle (scripts/lib/docs-bundle.ts) is copied in beside them.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type InlineConfig, type Rolldown } from "vite";
import { DOCS_BUNDLE_HEADERS, writeDocsBundle } from "../../scripts/lib/docs-bundle.ts";

export const WIDGET = resolve(import.meta.dirname, "..");
const SDK_SRC = resolve(WIDGET, "../sdk/src/index.ts");

interface Size {
  min: number;
  gzip: number;
}

export interface WidgetBuild {
  loaderFile: "widget.js";
  /** The app's entry, which the loader injects. */
  appFile: string;
  /** Every file of the app: `lazy` ones are fetched only when needed (a locale, the payment step, the manage page). */
  chunks: ({ file: string; lazy: boolean; modules: string[] } & Size)[];
  /** What an English page fetches before its first slot shows: the loader, the entry and what it imports statically. */
  firstLoad: { files: string[]; gzip: number };
  sizes: { loader: Size; app: Size };
}

// Every app file, lazy chunks included, is named widget-app.*: the widget runs on other origins, so each needs CORS
// (an ES module is fetched in cors mode), and each is content-hashed, so it can be cached for good.
const HEADERS = `/widget.js
  Access-Control-Allow-Origin: *
  Cache-Control: public, max-age=300, stale-while-revalidate=86400
  X-Content-Type-Options: nosniff
/widget-app.*
  Access-Control-Allow-Origin: *
  Cache-Control: public, max-age=31536000, immutable
  X-Content-Type-Options: nosniff
`;

function config(app: boolean, entry: string, define: Record<string, string>): InlineConfig {
  return {
    configFile: false,
    envDir: false,
    publicDir: false,
    // explicit: under vitest NODE_ENV is "test", and Vite would build a development bundle
    mode: "production",
    logLevel: "warn",
    root: WIDGET,
    resolve: { alias: { "@bookra/sdk": SDK_SRC }, conditions: ["module", "browser", "production"] },
    // Size (the budget in size.test.ts): classic `h(type, props, ...children)` calls are smaller than the automatic
    // runtime's `jsx(type, { …, children: [...] })` and skip preact/jsx-runtime; Preact's createElement handles
    // `key` and `ref` the same way. Aliased so that they never clash with a module's own imports; injected for the
    // app only (Vite injects into every module, and the loader must not pull Preact in).
    oxc: {
      jsx: { runtime: "classic", pragma: "__h", pragmaFrag: "__Fragment", development: false },
      ...(app ? { jsxInject: 'import { h as __h, Fragment as __Fragment } from "preact"' } : {}),
    },
    define: { "process.env.NODE_ENV": '"production"', ...define },
    build: {
      write: false,
      target: "es2020",
      minify: true,
      sourcemap: false,
      // Library mode: no preload helper around the dynamic imports (each lazy chunk only imports the entry, which
      // is already there; the helper would resolve paths against the host page).
      lib: app
        ? { entry, formats: ["es"], fileName: () => "widget-app.[hash].js" }
        : { entry, formats: ["iife"], name: "BookraWidget", fileName: () => "widget.js" },
      rolldownOptions: {
        ...(app ? { preserveEntrySignatures: false } : {}),
        output: app
          ? {
              chunkFileNames: "widget-app.[name].[hash].js",
              // library mode keeps whitespace in ES output (for other bundlers); this is for browsers
              minify: true,
              hashCharacters: "hex",
              // Everything an entry loads statically stays in the entry: rolldown otherwise emits modules shared with
              // the lazy chunks (Preact) as chunks of their own, one more request before the first render
              // (rolldown/rolldown#10731).
              codeSplitting: { groups: [{ name: "widget-app", tags: ["$initial"] }] },
            }
          : {},
        // Lowering the SDK's error classes' fields to es2020 otherwise goes through defineProperty helpers; plain
        // assignments behave the same for them (no setters anywhere in their prototype chains).
        transform: { assumptions: { setPublicClassFields: true } },
      },
    },
  };
}

async function bundle(
  app: boolean,
  entry: string,
  define: Record<string, string> = {},
): Promise<Rolldown.OutputChunk[]> {
  const out = (await build(config(app, entry, define))) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const chunks = (Array.isArray(out) ? out[0]! : out).output.filter((o) => o.type === "chunk");
  if (!chunks.length) throw new Error(`no output for ${entry}`);
  return chunks;
}

const size = (code: string): Size => ({ min: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length });

export async function buildWidget(outDir = resolve(WIDGET, "dist")): Promise<WidgetBuild> {
  const app = await bundle(true, resolve(WIDGET, "src/app/main.tsx"));
  const entry = app.find((c) => c.isEntry)!;
  const [loader] = await bundle(false, resolve(WIDGET, "src/loader.ts"), {
    __APP_FILE__: JSON.stringify(entry.fileName),
  });
  // the first load: the entry and, transitively, its static imports (dynamic imports are the lazy chunks)
  const eager = new Set<string>();
  const visit = (file: string) => {
    if (eager.has(file)) return;
    eager.add(file);
    for (const f of app.find((c) => c.fileName === file)!.imports) visit(f);
  };
  visit(entry.fileName);

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const c of app) writeFileSync(resolve(outDir, c.fileName), c.code);
  writeFileSync(resolve(outDir, "widget.js"), loader!.code);
  // widget/dist is copied into the worker's static-assets directory (scripts/build-assets.ts): the API reference's
  // self-hosted bundle goes there too.
  writeDocsBundle(outDir);
  writeFileSync(resolve(outDir, "_headers"), HEADERS + DOCS_BUNDLE_HEADERS);
  writeFileSync(resolve(outDir, ".assetsignore"), "manifest.json\n");
  const chunks = app.map((c) => ({
    file: c.fileName,
    lazy: !eager.has(c.fileName),
    modules: Object.keys(c.modules).map((m) => m.replace(`${resolve(WIDGET, "..")}/`, "")),
    ...size(c.code),
  }));
  const loaderSize = size(loader!.code);
  const firstLoad = {
    files: ["widget.js", ...eager],
    gzip: loaderSize.gzip + chunks.filter((c) => !c.lazy).reduce((n, c) => n + c.gzip, 0),
  };
  const result: WidgetBuild = {
    loaderFile: "widget.js",
    appFile: entry.fileName,
    chunks,
    firstLoad,
    sizes: { loader: loaderSize, app: size(entry.code) },
  };
  writeFileSync(resolve(outDir, "manifest.json"), JSON.stringify(result, null, 2));
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const started = performance.now();
  const r = await buildWidget();
  const kb = (n: number) => `${(n / 1000).toFixed(2)} kB`;
  console.log(`widget built in ${Math.round(performance.now() - started)} ms (min+gzip):`);
  console.log(
    `  first load ${kb(r.firstLoad.gzip)}: widget.js ${kb(r.sizes.loader.gzip)}, ${r.appFile} ${kb(r.sizes.app.gzip)}`,
  );
  for (const c of r.chunks.filter((c) => c.lazy)) console.log(`  lazy ${c.file} ${kb(c.gzip)}`);
}
