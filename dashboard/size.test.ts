// The dashboard's size budget (issue 12): what a signed-in owner's first page needs — index.html's entry, everything
// it imports statically, its CSS and the Today page's chunk — ≤ 80 KB minified and gzipped (decimal: 1 KB = 1,000
// bytes), built exactly as `npm run build` builds it. Other pages and languages stay in lazy chunks.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildDashboard, type DashboardBuild } from "./scripts/build.ts";

const SHELL_AND_TODAY_BUDGET = 80_000;

let dir: string;
let built: DashboardBuild;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bookra-dashboard-size-"));
  built = await buildDashboard(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("shell + Today stay within 80 KB min+gzip", () => {
  console.log(
    `dashboard: shell + Today ${built.shellAndToday.gzip} B min+gzip (budget ${SHELL_AND_TODAY_BUDGET} B): ${built.shellAndToday.files.join(", ")}`,
  );
  expect(built.shellAndToday.gzip).toBeGreaterThan(0);
  expect(built.shellAndToday.gzip).toBeLessThanOrEqual(SHELL_AND_TODAY_BUDGET);
});

it("loads every page and the other languages on demand, each page in a chunk of its own", () => {
  const chunkOf = (pattern: RegExp) => built.chunks.filter((c) => c.modules.some((m) => pattern.test(m)));
  const entry = built.chunks.filter((c) => c.isEntry);
  expect(entry).toHaveLength(1);
  const pages = ["today", "calendar", "bookings", "customers", "money", "setup", "developers"];
  const pageChunks = pages.map((p) => chunkOf(new RegExp(`pages/${p}/index\\.tsx$`)));
  for (const [i, chunks] of pageChunks.entries()) {
    expect(chunks, pages[i]).toHaveLength(1);
    expect(chunks[0]!.isEntry, pages[i]).toBe(false);
  }
  expect(new Set(pageChunks.map((c) => c[0]!.file)).size).toBe(pages.length);
  for (const locale of [/locales\/es\.ts$/, /locales\/de\.ts$/, /pages\/calendar\/grid\.tsx$/])
    expect(
      chunkOf(locale).map((c) => c.isEntry),
      String(locale),
    ).toEqual([false]);
  const code = readFileSync(join(dir, entry[0]!.file), "utf8");
  expect(code).toContain("Sign in to your business");
  expect(code).not.toContain("Entra en tu negocio");
});

it("writes an index.html under /app/ with no inline script or style (the page's CSP allows only this origin)", () => {
  const html = readFileSync(join(dir, "index.html"), "utf8");
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
  expect(scripts.length).toBeGreaterThan(0);
  for (const attrs of scripts) expect(attrs).toMatch(/\ssrc="\/app\/assets\/[\w-]+\.js"/);
  expect(html).not.toMatch(/<style/);
  expect(html).not.toMatch(/\sstyle=/);
  expect(html).toMatch(/<link rel="stylesheet"[^>]*href="\/app\/assets\/[\w-]+\.css"/);
});
