// A guard for the suite itself: no fixed sleeps, no ids from the clock, no durations measured by the wall clock in
// assertions, in any test or test harness (see test/helpers/hygiene.ts for the rules and what to use instead).
import { describe, expect, it } from "vitest";
import { ROOT } from "../scripts/lib/stack.ts";
import { findHygieneProblems, hygieneProblems, testFiles } from "./helpers/hygiene.ts";

const SELF = ["test/helpers/hygiene.ts", "test/test-hygiene.test.ts"];

describe("test hygiene", () => {
  it("finds the test files and harnesses it guards", () => {
    const files = testFiles(ROOT);
    expect(files).toContain("test/browser/widget.test.ts");
    expect(files).toContain("test/outbox/workerd-harness.ts");
    expect(files).toContain("worker/src/domain/availability.test.ts");
    expect(files).toContain("sdk/scripts/generate-types.test.ts");
    expect(files.some((f) => f.includes("node_modules"))).toBe(false);
  });

  it("no test sleeps, takes an id from the clock or asserts a wall-clock duration", () => {
    const problems = findHygieneProblems(ROOT, SELF).map((p) => `${p.file}:${p.line} ${p.rule}: ${p.text}`);
    expect(problems).toEqual([]);
  });

  it("recognises each pattern it forbids, and lets the allowed ones through", () => {
    const rules = (src: string) => hygieneProblems("x.test.ts", src).map((p) => p.rule);
    expect(rules("await page.waitForTimeout(4500);")).toEqual(["fixed sleep (Playwright waitForTimeout)"]);
    expect(rules("await new Promise((r) => setTimeout(r, 50));")).toEqual(["fixed sleep (setTimeout in a test)"]);
    expect(rules('import { setTimeout as wait } from "node:timers/promises";')).toEqual([
      "fixed sleep (timers/promises)",
    ]);
    expect(rules("await sleep(100);")).toEqual(["fixed sleep (sleep/delay call)"]);
    expect(rules('const slug = "wk-" + (Date.now() % 100000);')).toEqual(["id from the clock (Date.now() %)"]);
    expect(rules("const started = Date.now();\nexpect(Date.now() - started).toBeLessThan(5000);")).toEqual([
      "wall-clock assertion",
    ]);
    expect(rules("const killedAt = Date.now();\nexpect(ack.at).toBeLessThanOrEqual(killedAt + 100);")).toEqual([
      "wall-clock assertion",
    ]);
    expect(rules("expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(60);")).toEqual(["wall-clock assertion"]);
    // Allowed: fake timers own Date.now(); a clock read outside assertions; comments; condition-based waits.
    expect(rules("vi.useFakeTimers();\nexpect(Date.now() - calls[0].at).toBe(15_000);")).toEqual([]);
    expect(rules("const day = new Date(Date.now() + 86_400_000);")).toEqual([]);
    expect(rules("// never waitForTimeout(300) here")).toEqual([]);
    expect(rules("await expect.poll(() => count()).toBe(1);\nawait vi.waitFor(() => ok());")).toEqual([]);
  });
});
