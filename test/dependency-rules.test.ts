// The dependency rules of .dependency-cruiser.cjs bite: each case writes a small tree that breaks one rule (or keeps
// them all) into a temporary folder laid out like the repository and cruises it with the project's own rules.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cruise, type IConfiguration } from "dependency-cruiser";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const config = createRequire(import.meta.url)(join(root, ".dependency-cruiser.cjs")) as IConfiguration;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Violated rule names (sorted, unique) of a tree given as path → source. */
async function violations(files: Record<string, string>): Promise<string[]> {
  const base = mkdtempSync(join(tmpdir(), "bookra-deps-"));
  dirs.push(base);
  // The packages a case imports resolve from the repository's own node_modules.
  symlinkSync(join(root, "node_modules"), join(base, "node_modules"), "dir");
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(base, path)), { recursive: true });
    writeFileSync(join(base, path), source);
  }
  const { tsConfig: _paths, ...options } = config.options ?? {};
  const result = await cruise(
    Object.keys(files).filter((path) => path.endsWith(".ts")),
    {
      ...options,
      baseDir: base,
      validate: true,
      ruleSet: { forbidden: config.forbidden ?? [] },
    },
  );
  if (typeof result.output === "string") throw new Error("expected a cruise result");
  return [...new Set(result.output.summary.violations.map((v) => v.rule.name))].sort();
}

/** A tree that keeps every rule: route → service → db, pure domain, adapters, a self-contained SDK, the widget on it. */
const LAYERED: Record<string, string> = {
  "worker/package.json": JSON.stringify({
    dependencies: { "drizzle-orm": "*", hono: "*" },
    devDependencies: { vitest: "*" },
  }),
  "worker/src/routes/bookings.ts":
    'import { createBooking } from "../services/bookings.ts";\nexport const r = createBooking;\n',
  "worker/src/routes/types.ts":
    'import type { TenantCtx } from "../services/context.ts";\nexport type Database = TenantCtx["db"];\n',
  "worker/src/services/context.ts":
    'import type { Db } from "../db/client.ts";\nexport interface TenantCtx { db: Db }\n',
  "worker/src/services/bookings.ts":
    'import { slots } from "../domain/availability.ts";\nimport { db } from "../db/client.ts";\nexport const createBooking = () => [slots, db];\n',
  "worker/src/db/client.ts": "export type Db = { q: 1 };\nexport const db = 1;\n",
  "worker/src/domain/availability.ts": 'import { day } from "./time.ts";\nexport const slots = day;\n',
  "worker/src/domain/time.ts": "export const day = 1;\n",
  "worker/src/providers/email.ts":
    'import { headerValue } from "../lib/header-value.ts";\nexport const e = headerValue;\n',
  "worker/src/lib/header-value.ts": "export const headerValue = 1;\n",
  "worker/src/outbox/consumer.ts":
    'import { e } from "../providers/email.ts";\nimport { IncompleteEffect } from "../effects/delivery-errors.ts";\nexport const c = [e, IncompleteEffect];\n',
  "worker/src/outbox/types.ts": "export interface EffectHandler { name: string }\n",
  "worker/src/effects/delivery-errors.ts": "export class IncompleteEffect extends Error {}\n",
  "worker/src/effects/handlers/email.ts":
    'import type { EffectHandler } from "../../outbox/types.ts";\nimport { e } from "../../providers/email.ts";\nexport const h: EffectHandler = { name: String(e) };\n',
  "sdk/src/index.ts": 'import { get } from "./http.ts";\nexport const client = get;\n',
  "sdk/src/http.ts": "export const get = 1;\n",
  "widget/src/main.ts": 'import { client } from "../../sdk/src/index.ts";\nexport const w = client;\n',
  "sdk/src/admin.ts": 'import { get } from "./http.ts";\nexport const admin = get;\n',
  "dashboard/src/main.ts": 'import { admin } from "../../sdk/src/admin.ts";\nexport const d = admin;\n',
};

describe("the dependency rules", () => {
  it("pass a tree that keeps the layers", async () => {
    expect(await violations(LAYERED)).toEqual([]);
  });

  it.each([
    [
      "a route importing db/",
      "worker/src/routes/x.ts",
      'import { db } from "../db/client.ts";\nexport const x = db;\n',
      "routes-not-to-db",
    ],
    [
      "a route naming a db/ type",
      "worker/src/routes/x.ts",
      'import type { Db } from "../db/client.ts";\nexport type X = Db;\n',
      "routes-not-to-db",
    ],
    [
      "a route importing drizzle",
      "worker/src/routes/x.ts",
      'import { sql } from "drizzle-orm";\nexport const x = sql;\n',
      "routes-not-to-db",
    ],
    [
      "domain/ importing a provider",
      "worker/src/domain/x.ts",
      'import { e } from "../providers/email.ts";\nexport const x = e;\n',
      "domain-is-pure",
    ],
    [
      "domain/ importing db/",
      "worker/src/domain/x.ts",
      'import { db } from "../db/client.ts";\nexport const x = db;\n',
      "domain-is-pure",
    ],
    [
      "domain/ importing a Node built-in",
      "worker/src/domain/x.ts",
      'import { createHash } from "node:crypto";\nexport const x = createHash;\n',
      "domain-no-node-builtins",
    ],
    [
      "domain/ importing Hono",
      "worker/src/domain/x.ts",
      'import { Hono } from "hono";\nexport const x = Hono;\n',
      "domain-is-pure",
    ],
    [
      "a service importing Hono",
      "worker/src/services/x.ts",
      'import type { Context } from "hono";\nexport type X = Context;\n',
      "services-not-to-hono",
    ],
    [
      "a provider importing the outbox consumer",
      "worker/src/providers/x.ts",
      'import { c } from "../outbox/consumer.ts";\nexport const x = c;\n',
      "providers-not-to-outbox-consumer",
    ],
    [
      "a provider importing an effect handler",
      "worker/src/providers/x.ts",
      'import { h } from "../effects/handlers/email.ts";\nexport const x = h;\n',
      "providers-not-to-outbox-consumer",
    ],
    [
      "the outbox importing an effect handler",
      "worker/src/outbox/x.ts",
      'import { h } from "../effects/handlers/email.ts";\nexport const x = h;\n',
      "outbox-not-to-effects",
    ],
    [
      "an effect importing the outbox consumer",
      "worker/src/effects/x.ts",
      'import { c } from "../outbox/consumer.ts";\nexport const x = c;\n',
      "effects-through-outbox-contract",
    ],
    [
      "an effect importing Hono",
      "worker/src/effects/x.ts",
      'import type { Context } from "hono";\nexport type X = Context;\n',
      "services-not-to-hono",
    ],
    [
      "the SDK importing the widget",
      "sdk/src/x.ts",
      'import { w } from "../../widget/src/main.ts";\nexport const x = w;\n',
      "sdk-self-contained",
    ],
    [
      "the SDK importing the worker",
      "sdk/src/x.ts",
      'import { db } from "../../worker/src/db/client.ts";\nexport const x = db;\n',
      "sdk-self-contained",
    ],
    [
      "the widget importing the worker",
      "widget/src/x.ts",
      'import { slots } from "../../worker/src/domain/availability.ts";\nexport const x = slots;\n',
      "widget-through-sdk",
    ],
    [
      "the widget importing SDK internals",
      "widget/src/x.ts",
      'import { get } from "../../sdk/src/http.ts";\nexport const x = get;\n',
      "widget-through-sdk",
    ],
    [
      "the dashboard importing the worker",
      "dashboard/src/x.ts",
      'import { slots } from "../../worker/src/domain/availability.ts";\nexport const x = slots;\n',
      "dashboard-through-sdk",
    ],
    [
      "the dashboard importing SDK internals",
      "dashboard/src/x.ts",
      'import { get } from "../../sdk/src/http.ts";\nexport const x = get;\n',
      "dashboard-through-sdk",
    ],
    [
      "the dashboard importing the widget",
      "dashboard/src/x.ts",
      'import { w } from "../../widget/src/main.ts";\nexport const x = w;\n',
      "dashboard-through-sdk",
    ],
    [
      "an import that resolves to nothing",
      "worker/src/lib/x.ts",
      'import { y } from "./nowhere.ts";\nexport const x = y;\n',
      "not-to-unresolvable",
    ],
    [
      "a package its workspace does not declare",
      "worker/src/lib/x.ts",
      'import { z } from "zod";\nexport const x = z;\n',
      "declared-dependencies",
    ],
    [
      "shipped code importing a devDependency",
      "worker/src/lib/x.ts",
      'import { expect } from "vitest";\nexport const x = expect;\n',
      "runtime-not-to-dev-dependencies",
    ],
  ])("fail on %s", async (_what, path, source, rule) => {
    expect(await violations({ ...LAYERED, [path]: source })).toEqual([rule]);
  });

  it("fail on a cycle, type-only imports included", async () => {
    const cycle = {
      "worker/src/domain/a.ts": 'import type { B } from "./b.ts";\nexport interface A { b?: B }\n',
      "worker/src/domain/b.ts": 'import type { A } from "./a.ts";\nexport interface B { a?: A }\n',
    };
    expect(await violations({ ...LAYERED, ...cycle })).toEqual(["no-cycles"]);
  });
});

/** What an import rule cannot see: the widget reaches the API only through the SDK, never with its own fetch. */
describe("the widget's source", () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return /\.tsx?$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
    });

  it("calls no fetch and names no API path of its own", () => {
    const offenders = sources(join(root, "widget/src")).filter((path) =>
      /\bfetch\s*\(|["'`]\/v1\//.test(readFileSync(path, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});

/** The same for the dashboard: its API calls go through the SDK's admin client (the session cookie, same origin). */
describe("the dashboard's source", () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return /\.tsx?$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
    });

  it("calls no fetch and names no API path of its own", () => {
    const offenders = sources(join(root, "dashboard/src")).filter((path) =>
      /\bfetch\s*\(|["'`]\/v1\//.test(readFileSync(path, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
