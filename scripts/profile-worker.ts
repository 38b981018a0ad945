// `npm run profile -- booking|availability|catalog`: starts the local stack, drives a bounded load against the worker
// on 127.0.0.1 (the booking bench's shape: 16 clients), records workerd's CPU profile through wrangler dev's inspector
// (Chrome DevTools Protocol: Profiler.start/stop), writes it under .data/profiles/ (open it in Chrome DevTools) and
// prints the top functions by self and total time, the time per module group, and where the wall time went besides
// CPU (the worker's Server-Timing header, turned on here with BOOKRA_SERVER_TIMING=on).
//
// PROFILE_REQUESTS (default 320) measured requests after PROFILE_WARMUP (default 64); PROFILE_CLIENTS (default 16);
// PROFILE_INTERVAL_US (default 250) the sampling interval; PROFILE_RATE_LIMIT=on keeps the rate limits.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  cpuFigures,
  cpuMeter,
  cpuRound,
  createBenchTenant,
  insertExistingBookings,
  postgresSessions,
  runConcurrently,
  summarize,
} from "../bench/lib.ts";
import { isoWeekday, zonedWallTimeToInstant } from "../worker/src/domain/time.ts";
import { connectInspector } from "./lib/cdp.ts";
import { bundleModules, type CpuProfile, moduleAt, type Ranked, summarizeProfile } from "./lib/cpuprofile.ts";
import { parseServerTiming, summarizeTimings } from "./lib/server-timing.ts";
import { ROOT, startStack } from "./lib/stack.ts";

const scenario = process.argv[2] ?? "booking";
if (!["booking", "availability", "catalog"].includes(scenario)) {
  console.error("usage: npm run profile -- booking|availability|catalog");
  process.exit(2);
}
const num = (name: string, dflt: number) => {
  const n = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
};
const requests = num("PROFILE_REQUESTS", 320);
const warmup = num("PROFILE_WARMUP", 64);
const clients = num("PROFILE_CLIENTS", 16);
const intervalUs = num("PROFILE_INTERVAL_US", 250);
const DAY = 86_400_000;

const dataDir = resolve(ROOT, ".data", `profile-${process.pid}`);
rmSync(dataDir, { recursive: true, force: true });
// PROFILE_RATE_LIMIT=on keeps wrangler.toml's rate limits (bench stacks turn them off): their wait shows as
// `ratelimit`, and bookings past the budget are answered 429 (counted apart, not as failures).
const rateLimited = process.env.PROFILE_RATE_LIMIT === "on";
const stack = await startStack({
  dataDir,
  unsafeFast: true,
  vars: { BOOKRA_SERVER_TIMING: "on", ...(rateLimited && { BOOKRA_RATE_LIMIT: "on" }) },
});
try {
  const tenant = await createBenchTenant(stack, `profile-${scenario}`);
  const from = new Date();
  from.setUTCHours(0, 0, 0, 0);
  from.setUTCDate(from.getUTCDate() + ((8 - from.getUTCDay()) % 7 || 7)); // next Monday
  await insertExistingBookings(stack, tenant, from, 30, 2000); // the bench's busy tenant
  const day = (d: number) => new Date(from.getTime() + d * DAY).toISOString().slice(0, 10);
  // Free one-hour slots from the 31st day on (after the existing bookings), one per staff member and hour.
  const slots: { staffId: string; start: string }[] = [];
  for (let d = 31; slots.length < warmup + requests; d++) {
    if (isoWeekday(day(d)) === 7) continue;
    for (let h = 9; h < 18; h++)
      for (const staffId of tenant.staffIds)
        slots.push({ staffId, start: new Date(zonedWallTimeToInstant(day(d), h * 60, "Europe/London")).toISOString() });
  }
  const timings: string[] = [];
  let failures = 0;
  let limited = 0;
  const request = (i: number) => async () => {
    let res: Response;
    if (scenario === "booking") {
      const s = slots[i]!;
      res = await fetch(`${stack.baseUrl}/v1/public/${tenant.slug}/bookings`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
        body: JSON.stringify({
          serviceId: tenant.serviceId,
          ...s,
          customer: { name: `C${i}`, email: `c${i}@p.example` },
        }),
      });
    } else {
      const path =
        scenario === "catalog"
          ? `/v1/public/${tenant.slug}/catalog`
          : `/v1/public/${tenant.slug}/availability?serviceId=${tenant.serviceId}&from=${day(0)}&to=${day(6)}`;
      res = await fetch(`${stack.baseUrl}${path}`);
    }
    const body = await res.text();
    if (res.status === 429 && rateLimited) limited++;
    else if (res.status >= 300 && failures++ === 0) console.error(`first failure: ${res.status} ${body.slice(0, 300)}`);
    const t = res.headers.get("server-timing");
    if (t) timings.push(t);
  };
  const range = (start: number, n: number) => Array.from({ length: n }, (_, k) => start + k);
  await runConcurrently(range(0, warmup).map(request), clients);
  timings.length = 0;
  failures = 0;
  limited = 0;

  const cdp = await connectInspector(stack.inspectorPort);
  const scripts = new Map<string, string>();
  cdp.on("Debugger.scriptParsed", (p: { scriptId: string; url: string }) => scripts.set(p.scriptId, p.url));
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: intervalUs });
  const cpu = cpuMeter(stack.pg.dataDir);
  const sessionsBefore = await postgresSessions(stack.adminUrl);
  await cdp.send("Profiler.start");
  const { result: latencies, round } = await cpuRound(cpu, requests, () =>
    runConcurrently(range(warmup, requests).map(request), clients),
  );
  const { profile } = await cdp.send<{ profile: CpuProfile }>("Profiler.stop");
  const sessions = (await postgresSessions(stack.adminUrl)) - sessionsBefore;
  // The bundle's source, to name each sampled line's module (esbuild's `// path` comments).
  await cdp.send("Debugger.enable");
  const modules = new Map<string, ReturnType<typeof bundleModules>>();
  for (const scriptId of new Set(profile.nodes.map((n) => n.callFrame.scriptId))) {
    if (scriptId === "0") continue;
    try {
      const { scriptSource } = await cdp.send<{ scriptSource: string }>("Debugger.getScriptSource", { scriptId });
      modules.set(scriptId, bundleModules(scriptSource));
    } catch {
      // a script gone since (or native): left unnamed
    }
  }
  await cdp.send("Debugger.disable");
  cdp.close();

  const outDir = resolve(ROOT, ".data", "profiles");
  mkdirSync(outDir, { recursive: true });
  const file = resolve(outDir, `${scenario}-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));

  const summary = summarizeProfile(profile, (f) => {
    const starts = modules.get(f.scriptId);
    return starts && starts.length > 0 ? moduleAt(starts, f.lineNumber) : f.url || undefined;
  });
  const seconds = round.wallMs / 1000;
  const table = (title: string, rows: Ranked[], n: number) => {
    console.log(`\n${title}`);
    for (const r of rows.slice(0, n))
      console.log(
        `  ${String(r.ms.toFixed(1)).padStart(8)} ms ${String(r.percent.toFixed(1)).padStart(5)} %  ${r.name}`,
      );
  };
  console.log(
    `\n${scenario}: ${requests} requests by ${clients} clients in ${seconds.toFixed(2)} s (${(requests / seconds).toFixed(1)}/s), ${failures} failed${rateLimited ? `, ${limited} rate limited (429)` : ""}`,
  );
  console.log(`latency ms: ${JSON.stringify(summarize(latencies))}`);
  console.log(
    `Postgres sessions opened: ${sessions} (${(sessions / requests).toFixed(2)} per request; the proxy pools them, Neon's pooler too)`,
  );
  console.log(`CPU per request (ms; workerd % of one core): ${JSON.stringify(cpuFigures([round]))}`);
  console.log(
    `profile: ${file}\n  sampled ${(summary.busyMs / requests).toFixed(2)} ms busy per request (${summary.busyMs.toFixed(0)} ms busy, ${summary.idleMs.toFixed(0)} ms idle/program)`,
  );
  table("busy time by what it served (workerd runs the queue consumer beside the requests):", summary.byEntry, 2);
  table("self time by module group (all requests):", summary.selfByGroup, 12);
  table("top functions by self time:", summary.selfByFunction, 25);
  table("top functions by total time:", summary.totalByFunction, 25);
  const parsed = timings.map(parseServerTiming);
  const waits = summarizeTimings(parsed.map(({ "after-total": _, ...rest }) => rest));
  console.log(`\nwall time per request besides CPU (Server-Timing, ${timings.length} responses; ms p50/p95/mean):`);
  for (const [name, s] of Object.entries(waits)) console.log(`  ${name.padEnd(12)} ${JSON.stringify(s)}`);
  // The isolate's running total: the largest minus the smallest seen while measuring, per request finished meanwhile.
  const totals = parsed.map((t) => t["after-total"]).filter((t) => t !== undefined);
  const lo = totals.reduce((a, t) => (t.count < a.count ? t : a), totals[0] ?? { ms: 0, count: 0 });
  const hi = totals.reduce((a, t) => (t.count > a.count ? t : a), totals[0] ?? { ms: 0, count: 0 });
  const n = hi.count - lo.count;
  console.log(
    `  after the response (outbox relay + closing the Pool, in waitUntil): ${n ? ((hi.ms - lo.ms) / n).toFixed(1) : "?"} ms mean over ${n} requests`,
  );
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
