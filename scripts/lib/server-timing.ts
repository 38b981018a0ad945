// Reads the worker's local-only Server-Timing header (worker/src/lib/server-timing.ts) for the profile's wall-time split.

/** `app;dur=40, db;dur=12;desc="3"` → { app: { ms: 40, count: 1 }, db: { ms: 12, count: 3 } }. */
export function parseServerTiming(header: string): Record<string, { ms: number; count: number }> {
  const out: Record<string, { ms: number; count: number }> = {};
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().split(";");
    if (!name) continue;
    const dur = params.find((p) => p.startsWith("dur="));
    const desc = params.find((p) => p.startsWith("desc="));
    out[name] = { ms: Number(dur?.slice(4) ?? 0), count: Number(desc?.slice(5).replaceAll('"', "") ?? 1) };
  }
  return out;
}

/** Per name over many responses: p50, p95 and mean milliseconds, and mean count (a response without it counts 0). */
export function summarizeTimings(all: Record<string, { ms: number; count: number }>[]) {
  const names = [...new Set(all.flatMap((t) => Object.keys(t)))];
  const pick = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))] ?? 0;
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return Object.fromEntries(
    names.map((name) => {
      const ms = all.map((t) => t[name]?.ms ?? 0).sort((a, b) => a - b);
      const count = all.reduce((a, t) => a + (t[name]?.count ?? 0), 0) / all.length;
      const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
      return [name, { p50: r1(pick(ms, 0.5)), p95: r1(pick(ms, 0.95)), mean: r1(mean), count: r1(count) }];
    }),
  );
}
