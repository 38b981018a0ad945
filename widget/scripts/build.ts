// `npm run build:widget`: the embed loader (widget.js) and the app bundle (widget-app.<hash>.js, Preact, signals and
// the SDK inlined) as minified IIFEs into widget/dist, plus the Workers static-assets `_headers` (CORS, caching) and
// a manifest with the min+gzip sizes. The SDK comes from its source (sdk/src), not from its build.
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type InlineConfig, type Rolldown } from "vite";

export const WIDGET = resolve(import.meta.dirname, "..");
const SDK_SRC = resolve(WIDGET, "../sdk/src/index.ts");

export interface WidgetBuild {
  loaderFile: "widget.js";
  appFile: string;
  sizes: { loader: { min: number; gzip: number }; app: { min: number; gzip: number } };
}

const HEADERS = `/widget.js
  Access-Control-Allow-Origin: *
  Cache-Control: public, max-age=300, stale-while-revalidate=86400
  X-Content-Type-Options: nosniff
/widget-app.*
  Access-Control-Allow-Origin: *
  Cache-Control: public, max-age=31536000, immutable
  X-Content-Type-Options: nosniff
`;

async function bundle(entry: string, app: boolean, define: Record<string, string> = {}): Promise<string> {
  const config: InlineConfig = {
    configFile: false,
    envDir: false,
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
      lib: { entry, formats: ["iife"], name: "BookraWidget", fileName: () => "out.js" },
      // Lowering the SDK's error classes' fields to es2020 otherwise goes through defineProperty helpers; plain
      // assignments behave the same for them (no setters anywhere in their prototype chains).
      rolldownOptions: { transform: { assumptions: { setPublicClassFields: true } } },
    },
  };
  const out = (await build(config)) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const chunk = (Array.isArray(out) ? out[0]! : out).output.find((o) => o.type === "chunk");
  if (chunk?.type !== "chunk") throw new Error(`no output for ${entry}`);
  return chunk.code;
}

const size = (code: string) => ({ min: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length });

export async function buildWidget(outDir = resolve(WIDGET, "dist")): Promise<WidgetBuild> {
  const app = await bundle(resolve(WIDGET, "src/app/main.tsx"), true);
  const appFile = `widget-app.${createHash("sha256").update(app).digest("hex").slice(0, 10)}.js`;
  const loader = await bundle(resolve(WIDGET, "src/loader.ts"), false, { __APP_FILE__: JSON.stringify(appFile) });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(resolve(outDir, appFile), app);
  writeFileSync(resolve(outDir, "widget.js"), loader);
  writeFileSync(resolve(outDir, "_headers"), HEADERS);
  writeFileSync(resolve(outDir, ".assetsignore"), "manifest.json\n");
  const result: WidgetBuild = { loaderFile: "widget.js", appFile, sizes: { loader: size(loader), app: size(app) } };
  writeFileSync(resolve(outDir, "manifest.json"), JSON.stringify(result, null, 2));
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const started = performance.now();
  const r = await buildWidget();
  const kb = (n: number) => `${(n / 1000).toFixed(2)} kB`;
  console.log(
    `widget built in ${Math.round(performance.now() - started)} ms: widget.js ${kb(r.sizes.loader.gzip)} gz, ${r.appFile} ${kb(r.sizes.app.gzip)} gz`,
  );
}
