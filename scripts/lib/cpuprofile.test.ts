// The profile reader behind `npm run profile`: modules found from esbuild's bundle comments, self and total time.
import { describe, expect, it } from "vitest";
import { bundleModules, type CpuProfile, entryOf, moduleAt, moduleGroup, summarizeProfile } from "./cpuprofile.ts";

const bundle = [
  "var __defProp = Object.defineProperty;", // 0: esbuild's helpers, before any module
  "// node_modules/hono/dist/compose.js", // 1
  "function compose() {}", // 2
  "// worker/src/app.ts", // 3
  "function createApp() {}", // 4
  "// ../node_modules/drizzle-orm/sql/sql.js", // 5: a path above the bundle's folder
  "function buildQuery() {}", // 6
  "// not a path: a comment", // 7
].join("\n");

describe("bundleModules / moduleAt", () => {
  it("finds each module's first line and names any line by the module above it", () => {
    const starts = bundleModules(bundle);
    expect(starts).toEqual([
      { line: 1, path: "node_modules/hono/dist/compose.js" },
      { line: 3, path: "worker/src/app.ts" },
      { line: 5, path: "../node_modules/drizzle-orm/sql/sql.js" },
    ]);
    expect(moduleAt(starts, 0)).toBeUndefined();
    expect(moduleAt(starts, 2)).toBe("node_modules/hono/dist/compose.js");
    expect(moduleAt(starts, 4)).toBe("worker/src/app.ts");
    expect(moduleAt(starts, 7)).toBe("../node_modules/drizzle-orm/sql/sql.js");
  });
});

describe("moduleGroup", () => {
  it("sorts modules into ours, the libraries named in the report, and the rest", () => {
    expect(moduleGroup("worker/src/services/bookings/create.ts", "f")).toBe("worker (ours)");
    expect(moduleGroup("node_modules/@hono/zod-openapi/dist/index.js", "f")).toBe("hono");
    expect(moduleGroup("node_modules/zod/v4/core/core.js", "f")).toBe("zod");
    expect(moduleGroup("../node_modules/drizzle-orm/sql/sql.js", "f")).toBe("drizzle");
    expect(moduleGroup("node_modules/@neondatabase/serverless/index.mjs", "f")).toBe("neon driver");
    expect(moduleGroup("node_modules/stripe/esm/stripe.core.js", "f")).toBe("stripe");
    expect(moduleGroup("node_modules/ical.js/dist/ical.js", "f")).toBe("other: ical.js");
    expect(moduleGroup(undefined, "(garbage collector)")).toBe("gc");
    expect(moduleGroup(undefined, "Response")).toBe("runtime (native, no script)");
  });
});

describe("entryOf", () => {
  it("tells the queue consumer's samples from the requests' by the modules on the stack", () => {
    expect(entryOf([undefined, "worker/src/outbox/run-effect.ts", "node_modules/drizzle-orm/sql/sql.js"])).toBe(
      "queue consumer (outbox effects)",
    );
    expect(entryOf(["worker/src/effects/handlers/customer-email.ts"])).toBe("queue consumer (outbox effects)");
    expect(entryOf(["worker/src/outbox/relay.ts", "worker/src/app.ts"])).toBe("HTTP requests (and the rest)");
  });
});

describe("summarizeProfile", () => {
  // root → handler (app.ts) → query (drizzle) → handler again (recursion); and (idle).
  const frame = (functionName: string, lineNumber: number) => ({
    functionName,
    scriptId: "1",
    url: "index.js",
    lineNumber,
    columnNumber: 0,
  });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { ...frame("(root)", -1), url: "" }, children: [2, 5] },
      { id: 2, callFrame: frame("handler", 4), children: [3] },
      { id: 3, callFrame: frame("buildQuery", 6), children: [4] },
      { id: 4, callFrame: frame("handler", 4) },
      { id: 5, callFrame: { ...frame("(idle)", -1), url: "" } },
    ],
    startTime: 0,
    endTime: 10_000,
    // timeDeltas[i + 1] is sample i's duration (µs): 2 ms in handler, 3 in buildQuery, 1 in the recursion, 4 idle.
    samples: [2, 3, 4, 5],
    timeDeltas: [0, 2000, 3000, 1000, 4000],
  };
  const starts = bundleModules(bundle);
  const summary = summarizeProfile(profile, (f) => (f.url ? moduleAt(starts, f.lineNumber) : undefined));

  it("counts self time on the top frame and leaves idle out of the busy time", () => {
    expect(summary.busyMs).toBe(6);
    expect(summary.idleMs).toBe(4);
    const byName = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(summary.selfByFunction.map((r) => [r.name, r.ms]).sort(byName)).toEqual([
      ["buildQuery drizzle-orm/sql/sql.js:7", 3],
      ["handler worker/src/app.ts:5", 3],
    ]);
    expect(summary.selfByGroup.map((r) => [r.name, r.ms, r.percent]).sort(byName)).toEqual([
      ["drizzle", 3, 50],
      ["worker (ours)", 3, 50],
    ]);
  });

  it("puts every busy sample under one entry", () => {
    expect(summary.byEntry).toEqual([{ name: "HTTP requests (and the rest)", ms: 6, percent: 100 }]);
  });

  it("counts a function once per sample in its total time, even when it recurses", () => {
    expect(summary.totalByFunction.map((r) => [r.name, r.ms])).toEqual([
      ["handler worker/src/app.ts:5", 6],
      ["buildQuery drizzle-orm/sql/sql.js:7", 4],
    ]);
  });
});
