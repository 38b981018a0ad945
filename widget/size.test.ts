// The size budget (issue 6 and the house style): the loader ≤ 1 KB and the whole widget (loader + app with Preact, signals and the
// SDK) ≤ 25 KB, minified and gzipped, built exactly as `npm run build:widget` builds it. Decimal kilobytes:
// 1 KB = 1,000 bytes, so that the budget means what it says to every reader.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { buildWidget } from "./scripts/build.ts";

const LOADER_BUDGET = 1_000;
const TOTAL_BUDGET = 25_000;

it("stays within the size budget", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bookra-widget-size-"));
  try {
    const { sizes } = await buildWidget(dir);
    const total = sizes.loader.gzip + sizes.app.gzip;
    console.log(
      `widget: loader ${sizes.loader.gzip} B, app ${sizes.app.gzip} B, total ${total} B min+gzip (budget ${TOTAL_BUDGET} B)`,
    );
    expect(sizes.loader.gzip).toBeLessThanOrEqual(LOADER_BUDGET);
    expect(total).toBeLessThanOrEqual(TOTAL_BUDGET);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
