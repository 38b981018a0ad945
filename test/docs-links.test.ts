// The documentation belongs to the repository: no tracked file points outside it (a sibling folder that exists on the
// maintainers' machines only), and every relative link in the project's markdown reaches a file (and heading) that
// exists.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../scripts/lib/stack.ts";

const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
  .split("\0")
  .filter((f) => f !== "" && existsSync(resolve(ROOT, f)));

/** Built, not written out, so that this file does not name the path it forbids. */
const OUTSIDE = ["..", "shared"].join("/");

/** README.md, docs/*.md, sdk/README.md and examples/**\/*.md: what a reader of the repository follows. */
const MARKDOWN = tracked.filter(
  (f) =>
    f === "README.md" ||
    f === "sdk/README.md" ||
    /^docs\/[^/]+\.md$/.test(f) ||
    (f.startsWith("examples/") && f.endsWith(".md")),
);

/** GitHub's heading anchors: lower case, punctuation dropped (except - and _), spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (m[1] ?? "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Relative link targets of inline links and images, outside fenced code blocks. */
function relativeLinks(markdown: string): string[] {
  const text = markdown.replace(/^```[\s\S]*?^```/gm, "");
  const targets = [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? "");
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t)); // http:, https:, mailto: … are not ours to check
}

describe("documentation stays inside the repository", () => {
  it("finds the markdown it checks", () => {
    expect(MARKDOWN).toEqual(
      expect.arrayContaining([
        "README.md",
        "sdk/README.md",
        "docs/API.md",
        "docs/ARCHITECTURE.md",
        "docs/OPERATIONS.md",
      ]),
    );
  });

  it(`no tracked file links or refers to ${OUTSIDE}`, () => {
    const offenders: string[] = [];
    for (const file of tracked) {
      const path = resolve(ROOT, file);
      if (statSync(path).size > 2_000_000) continue;
      const content = readFileSync(path);
      if (content.includes(0)) continue; // binary (images)
      content
        .toString("utf8")
        .split("\n")
        .forEach((line, i) => {
          if (line.includes(OUTSIDE)) offenders.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it("every relative link in the project's markdown reaches an existing file and heading", () => {
    const broken: string[] = [];
    for (const file of MARKDOWN) {
      const source = readFileSync(resolve(ROOT, file), "utf8");
      for (const link of relativeLinks(source)) {
        const [pathPart = "", anchor] = link.split("#");
        const target = pathPart === "" ? resolve(ROOT, file) : resolve(ROOT, dirname(file), decodeURI(pathPart));
        if (relative(ROOT, target).startsWith("..")) {
          broken.push(`${file}: ${link} points outside the repository`);
          continue;
        }
        if (!existsSync(target)) {
          broken.push(`${file}: ${link} (no such file)`);
          continue;
        }
        if (anchor && target.endsWith(".md") && !anchorsOf(readFileSync(target, "utf8")).has(anchor))
          broken.push(`${file}: ${link} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("examples name no fixed calendar date (it would leave the 90-day booking window and answer no slots, or 409)", () => {
    const fixed: string[] = [];
    for (const file of MARKDOWN.filter((f) => !f.startsWith("docs/")))
      readFileSync(resolve(ROOT, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (/\b20\d\d-[01]\d-[0-3]\d\b/.test(line)) fixed.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    expect(fixed).toEqual([]);
  });

  it("the README's sample `npm start` output has every line `npm start` prints, in its order", () => {
    const banner = /console\.log\(`\nBookra is running([\s\S]*?)`\);/.exec(
      readFileSync(resolve(ROOT, "scripts/start.ts"), "utf8"),
    )?.[1];
    expect(banner).toBeDefined();
    const labels = (banner ?? "")
      .split("\n")
      .map((l) => /^ {2}(\S.*?)\s{2,}|^(Press Ctrl-C to stop\.)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => m[1] ?? m[2] ?? "");
    expect(labels.length).toBeGreaterThan(5);
    const readme = readFileSync(resolve(ROOT, "README.md"), "utf8");
    const sample = /```\n(?:.*\n)*?(Bookra is running[\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const sampleLabels = sample
      .split("\n")
      .map((l) => /^ {2}(\S.*?)\s{2,}|^(Press Ctrl-C to stop\.)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => m[1] ?? m[2] ?? "");
    expect(sampleLabels).toEqual(labels);
  });

  it("the anchor rule matches GitHub's for the headings we link to", () => {
    expect(anchorsOf("## How we test\n## Retries and idempotency\n## Webhooks: `verifyWebhook`\n## A\n## A")).toEqual(
      new Set(["how-we-test", "retries-and-idempotency", "webhooks-verifywebhook", "a", "a-1"]),
    );
  });
});
