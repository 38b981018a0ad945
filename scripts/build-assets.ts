// `npm run build`: the worker's static-assets folder (wrangler.toml [assets] → dist/public) in one step — the widget
// (widget.js, its app chunks, the API reference's bundle) at the root and the dashboard under app/, with one
// `_headers` for both. The worker itself answers /app/* pages with app/index.html (worker/src/routes/dashboard.ts).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { buildDashboard, type DashboardBuild } from "../dashboard/scripts/build.ts";
import { buildWidget, type WidgetBuild } from "../widget/scripts/build.ts";

const ROOT = resolve(import.meta.dirname, "..");

/** The static-assets directory wrangler.toml names. */
export const ASSETS_DIR = resolve(ROOT, "dist/public");

/** The dashboard's hashed files: cached for good (index.html, served by the worker, is revalidated each time). */
const DASHBOARD_HEADERS = `/app/assets/*
  Cache-Control: public, max-age=31536000, immutable
  X-Content-Type-Options: nosniff
`;

export async function buildAssets(outDir = ASSETS_DIR): Promise<{ widget: WidgetBuild; dashboard: DashboardBuild }> {
  const widgetDir = resolve(ROOT, "widget/dist");
  const [widget, dashboard] = [await buildWidget(widgetDir), await buildDashboard()];
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  cpSync(widgetDir, outDir, { recursive: true, filter: (src) => !src.endsWith("/manifest.json") });
  cpSync(dashboard.outDir, resolve(outDir, "app"), { recursive: true });
  writeFileSync(resolve(outDir, "_headers"), readFileSync(resolve(widgetDir, "_headers"), "utf8") + DASHBOARD_HEADERS);
  return { widget, dashboard };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const started = performance.now();
  const { widget, dashboard } = await buildAssets();
  const kb = (n: number) => `${(n / 1000).toFixed(2)} kB`;
  console.log(`static assets built in ${Math.round(performance.now() - started)} ms into ${ASSETS_DIR} (min+gzip):`);
  console.log(`  widget first load ${kb(widget.firstLoad.gzip)}`);
  console.log(`  dashboard shell + Today ${kb(dashboard.shellAndToday.gzip)} (/app/)`);
}
