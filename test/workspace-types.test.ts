// Each workspace compiles against its own runtime (tsconfig per workspace): a stray browser or Node global in the
// worker, or a Node one in the SDK or the widget, is a type error — not something found in production.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "bookra-types-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error codes of `source` compiled with a workspace's tsconfig (plus the project's own declaration files). */
function errorsIn(workspace: string, source: string, extraRoots: string[] = []): number[] {
  const configPath = join(root, workspace, "tsconfig.json");
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, join(root, workspace), undefined, configPath);
  const file = join(dir, `${workspace.replaceAll("/", "-")}-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, source);
  const program = ts.createProgram([file, ...extraRoots.map((f) => join(root, f))], { ...options, noEmit: true });
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => d.code);
}

// window: "Cannot find name"; document: "… change your target library?"; node:fs: "Cannot find module";
// process and Buffer: "… install type definitions for node?" (readFileSync of an unresolved module is only `any`).
const CANNOT_FIND_NAME = 2304;
const NOT_IN_LIB = 2584;
const NO_MODULE = 2307;
const NO_NODE_TYPES = 2591;
const BROWSER = "export const a = window.location.href;\nexport const b = document.title;\n";
const NODE =
  'import { readFileSync } from "node:fs";\nexport const c = readFileSync("x", "utf8");\nexport const d = process.env.X;\nexport const e = Buffer.from("x");\n';
const WEB =
  'export const f = fetch("https://example.com");\nexport const g = new URL("https://example.com");\nexport const h = crypto.randomUUID();\n';

describe("the worker's project", () => {
  const CRYPTO = ["worker/src/node-crypto.d.ts"];

  it("compiles web-standard APIs and node:crypto", () => {
    const source = `${WEB}import { createHash } from "node:crypto";\nexport const i = createHash("sha256").update("x", "utf8").digest("hex");\n`;
    expect(errorsIn("worker", source, CRYPTO)).toEqual([]);
  });

  it("refuses window and document", () => {
    expect(errorsIn("worker", BROWSER, CRYPTO)).toEqual([CANNOT_FIND_NAME, NOT_IN_LIB]);
  });

  it("refuses node:fs, process and Buffer", () => {
    expect(errorsIn("worker", NODE, CRYPTO)).toEqual([NO_MODULE, NO_NODE_TYPES, NO_NODE_TYPES]);
  });
});

describe("the SDK's project", () => {
  it("compiles fetch, URL and WebCrypto", () => {
    expect(errorsIn("sdk", WEB)).toEqual([]);
  });

  it("refuses the DOM and Node", () => {
    expect(errorsIn("sdk", BROWSER)).toEqual([CANNOT_FIND_NAME, NOT_IN_LIB]);
    expect(errorsIn("sdk", NODE)).toEqual([NO_MODULE, NO_NODE_TYPES, NO_NODE_TYPES]);
  });
});

describe("the widget's project", () => {
  it("compiles the DOM and refuses Node", () => {
    expect(errorsIn("widget", BROWSER + WEB)).toEqual([]);
    expect(errorsIn("widget", NODE)).toEqual([NO_MODULE, NO_NODE_TYPES, NO_NODE_TYPES]);
  });
});
