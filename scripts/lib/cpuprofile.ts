// Reads a V8 .cpuprofile (CDP Profiler.stop) of the worker: self and total time per function, and per module group
// (our worker code, hono, zod, drizzle, the Neon driver, stripe, …), the module found from esbuild's bundle comments.

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where each module of an esbuild bundle starts: its `// path/to/module.js` comments, as (first line, path). */
export function bundleModules(source: string): { line: number; path: string }[] {
  const starts: { line: number; path: string }[] = [];
  const lines = source.split("\n");
  for (const [i, text] of lines.entries()) {
    const m = /^\/\/ ((?:\.\.\/)*[\w@.-][\w@./+-]*\.[cm]?[jt]sx?)$/.exec(text);
    if (m) starts.push({ line: i, path: m[1]! });
  }
  return starts;
}

/** The module a 0-based line of the bundle belongs to (the last module comment at or above it). */
export function moduleAt(starts: { line: number; path: string }[], line: number): string | undefined {
  let lo = 0;
  let hi = starts.length - 1;
  let found: string | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]!.line <= line) {
      found = starts[mid]!.path;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The group a module path belongs to, for the by-module table. */
export function moduleGroup(path: string | undefined, functionName: string): string {
  if (!path) {
    if (functionName === "(garbage collector)") return "gc";
    if (functionName === "(idle)" || functionName === "(program)" || functionName === "(root)") return functionName;
    return "runtime (native, no script)";
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  if (!pkg) return /(^|\/)worker\/src\//.test(path) ? "worker (ours)" : `other: ${path}`;
  if (pkg === "hono" || pkg === "@hono/zod-openapi" || pkg === "@asteasolutions/zod-to-openapi") return "hono";
  if (pkg === "zod") return "zod";
  if (pkg === "drizzle-orm") return "drizzle";
  if (pkg === "@neondatabase/serverless") return "neon driver";
  if (pkg === "stripe") return "stripe";
  if (pkg === "wrangler" || pkg === "miniflare") return "wrangler dev glue";
  return `other: ${pkg}`;
}

export interface Ranked {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  /** Sampled time (ms) with the worker busy: (idle) and (program) left out. */
  busyMs: number;
  idleMs: number;
  selfByFunction: Ranked[];
  totalByFunction: Ranked[];
  selfByGroup: Ranked[];
  /** Busy time by what the sample's stack serves (`entryOf` below): the HTTP request or the queue consumer. */
  byEntry: Ranked[];
}

/**
 * What a sample's stack serves, from the modules on it: the outbox queue consumer (it runs in the same workerd as
 * the HTTP requests locally) or a request. An async continuation only shows the frames since its last await, so a
 * consumer continuation outside these modules counts as a request: a lower bound for the consumer.
 */
export function entryOf(modules: readonly (string | undefined)[]): string {
  return modules.some((m) => m && /(^|\/)worker\/src\/(outbox\/(consumer|run-effect)|effects\/)/.test(m))
    ? "queue consumer (outbox effects)"
    : "HTTP requests (and the rest)";
}

/**
 * Self time (samples whose top frame is the function) and total time (samples with the function anywhere on the
 * stack, counted once per sample), per function (`name module:line`) and per module group.
 */
export function summarizeProfile(
  profile: CpuProfile,
  moduleOf: (frame: CpuProfileNode["callFrame"]) => string | undefined,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const info = new Map<number, { key: string; group: string; module: string | undefined }>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const mod = moduleOf(f);
    const name = f.functionName || "(anonymous)";
    const where = mod ?? f.url ?? "";
    info.set(n.id, {
      key: where ? `${name} ${where.replace(/^.*node_modules\//, "")}:${f.lineNumber + 1}` : name,
      group: moduleGroup(mod, name),
      module: mod,
    });
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const group = new Map<string, number>();
  const entry = new Map<string, number>();
  let idleMs = 0;
  let busyMs = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const [i, id] of profile.samples.entries()) {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const top = info.get(id)!;
    if (top.group === "(idle)" || top.group === "(program)" || top.group === "(root)") {
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    add(self, top.key, ms);
    add(group, top.group, ms);
    const seen = new Set<string>();
    const modules: (string | undefined)[] = [];
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      modules.push(info.get(n)!.module);
      const k = info.get(n)!.key;
      if (byId.get(n)!.callFrame.functionName === "(root)" || seen.has(k)) continue;
      seen.add(k);
      add(total, k, ms);
    }
    add(entry, entryOf(modules), ms);
  }
  const rank = (m: Map<string, number>): Ranked[] =>
    [...m.entries()]
      .map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10, percent: Math.round((ms / busyMs) * 1000) / 10 }))
      .sort((a, b) => b.ms - a.ms);
  return {
    busyMs,
    idleMs,
    selfByFunction: rank(self),
    totalByFunction: rank(total),
    selfByGroup: rank(group),
    byEntry: rank(entry),
  };
}
