// The size budget (issue 6 and the house style): the loader ≤ 1 KB, and the first load — the loader, the app's entry
// and whatever it imports statically, all an English page fetches before its first slot shows (Preact, signals and
// the SDK included) — ≤ 25 KB, minified and gzipped, built exactly as `npm run build:widget` builds it. Decimal
// kilobytes: 1 KB = 1,000 bytes, so that the budget means what it says to every reader. What only some pages need
// (other languages, the payment step, the manage page) stays out of the first load, in lazy chunks.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildWidget, type WidgetBuild } from "./scripts/build.ts";

const LOADER_BUDGET = 1_000;
const FIRST_LOAD_BUDGET = 25_000;

let dir: string;
let built: WidgetBuild;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bookra-widget-size-"));
  built = await buildWidget(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("stays within the size budget", () => {
  const { sizes, firstLoad, chunks } = built;
  const lazy = chunks.filter((c) => c.lazy).map((c) => `${c.file} ${c.gzip} B`);
  console.log(
    `widget: loader ${sizes.loader.gzip} B, app entry ${sizes.app.gzip} B, first load ${firstLoad.gzip} B min+gzip (budget ${FIRST_LOAD_BUDGET} B); lazy: ${lazy.join(", ")}`,
  );
  expect(sizes.loader.gzip).toBeLessThanOrEqual(LOADER_BUDGET);
  expect(firstLoad.gzip).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
  // the first load is the loader and the entry alone: no second round trip before the first render
  expect(firstLoad.files).toEqual(["widget.js", built.appFile]);
});

it("leaves other languages, the payment step and the manage page to lazy chunks", () => {
  const lazyModules = (pattern: RegExp) =>
    built.chunks.filter((c) => c.modules.some((m) => pattern.test(m))).map((c) => c.lazy);
  for (const part of [
    /locales\/es\.ts$/,
    /locales\/de\.ts$/,
    /booking\/payment\.ts$/,
    /payment-step\.tsx$/,
    /done-step\.tsx$/,
    /app\/manage\.tsx$/,
    /models\/manage\.ts$/,
  ])
    expect(lazyModules(part), String(part)).toEqual([true]);
  const entry = readFileSync(join(dir, built.appFile), "utf8");
  expect(entry).toContain("Choose a service");
  expect(entry).not.toContain("Elige un servicio");
  expect(entry).not.toContain("Leistung wählen");
});

it("writes every chunk with the static-assets headers that let other origins load it", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".js"));
  expect(files.sort()).toEqual(["widget.js", ...built.chunks.map((c) => c.file)].sort());
  // `/widget-app.*` in _headers: CORS (ES modules are fetched in cors mode from the host page) and immutable caching
  const headers = readFileSync(join(dir, "_headers"), "utf8");
  expect(headers).toMatch(
    /^\/widget-app\.\*\n {2}Access-Control-Allow-Origin: \*\n {2}Cache-Control: public, max-age=31536000, immutable/m,
  );
  for (const c of built.chunks) expect(c.file).toMatch(/^widget-app\.([\w-]+\.)?[0-9a-f]{8}\.js$/);
  // every chunk a lazy chunk imports is one of the build's files, named relative to it (same origin as the entry)
  for (const c of built.chunks) {
    const code = readFileSync(join(dir, c.file), "utf8");
    for (const [, spec] of code.matchAll(/(?:from|import)\s*\(?[`"']([^`"']+)[`"']/g))
      expect(files).toContain(spec!.replace(/^\.\//, ""));
  }
});
