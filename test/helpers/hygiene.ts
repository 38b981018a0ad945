// What makes a test pass on one machine and fail on a loaded one, or on another day: fixed sleeps, ids taken from
// the clock, and assertions on how long something took by the wall clock. Tests wait for events or conditions
// instead (expect.poll, vi.waitFor, a promise the test resolves, Playwright's locators and clock).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export interface HygieneProblem {
  file: string;
  line: number;
  rule: string;
  text: string;
}

/** Folders that hold tests and their helpers; dependencies and build output are skipped. */
const SCANNED = ["test", "worker", "widget", "sdk", "scripts", "bench", "stripe-emulator"];
const SKIPPED = new Set(["node_modules", "dist", ".data", ".wrangler"]);

const LINE_RULES: { rule: string; pattern: RegExp }[] = [
  { rule: "fixed sleep (Playwright waitForTimeout)", pattern: /\bwaitForTimeout\s*\(/ },
  { rule: "fixed sleep (setTimeout in a test)", pattern: /\bsetTimeout\s*\(/ },
  { rule: "fixed sleep (sleep/delay call)", pattern: /(?<![.\w])(?:sleep|delay)\s*\(\s*\d/ },
  { rule: "fixed sleep (timers/promises)", pattern: /["']node:timers\/promises["']|["']timers\/promises["']/ },
  { rule: "id from the clock (Date.now() %)", pattern: /\bDate\.now\(\)\s*%/ },
];

/** Every test file, and every file under test/ (harnesses and helpers), relative to root. */
export function testFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, underTest: boolean) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (SKIPPED.has(e.name)) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path, underTest);
      else if (/\.tsx?$/.test(e.name) && (underTest || /\.test\.tsx?$/.test(e.name))) out.push(relative(root, path));
    }
  };
  for (const top of SCANNED) walk(join(root, top), top === "test");
  return out.sort();
}

/** The text of each `expect(…)` statement (up to its `;`), with the line it starts on. */
function expectations(source: string): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  const re = /\bexpect(?:\.poll)?\s*\(/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const end = source.indexOf(";", m.index);
    found.push({
      line: source.slice(0, m.index).split("\n").length,
      text: source.slice(m.index, end < 0 ? undefined : end),
    });
  }
  return found;
}

export function hygieneProblems(file: string, source: string): HygieneProblem[] {
  const problems: HygieneProblem[] = [];
  source.split("\n").forEach((text, i) => {
    if (/^\s*(\/\/|\*)/.test(text)) return; // comments may name what is forbidden
    for (const { rule, pattern } of LINE_RULES)
      if (pattern.test(text)) problems.push({ file, line: i + 1, rule, text: text.trim() });
  });
  // Durations by the wall clock: Date.now()/performance.now() (or a name holding one) inside an assertion. Files on
  // Vitest's fake timers are exempt: there Date.now() is the test's own clock.
  if (!/\bvi\.useFakeTimers\s*\(/.test(source)) {
    const clockNames = [...source.matchAll(/\b(\w+)\s*=\s*(?:Date|performance)\.now\(\)/g)].map((m) => m[1]!);
    const wallClock = new RegExp(
      `\\b(?:Date|performance)\\.now\\(\\)${clockNames.length ? `|\\b(?:${clockNames.join("|")})\\b` : ""}`,
    );
    for (const e of expectations(source))
      if (wallClock.test(e.text))
        problems.push({ file, line: e.line, rule: "wall-clock assertion", text: e.text.split("\n")[0]!.trim() });
  }
  return problems;
}

/** Every problem in the repository at root. */
export function findHygieneProblems(root: string, skip: readonly string[] = []): HygieneProblem[] {
  return testFiles(root)
    .filter((f) => !skip.includes(f))
    .flatMap((f) => hygieneProblems(f, readFileSync(join(root, f), "utf8")));
}
