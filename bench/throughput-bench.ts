// Requests per second through workerd at 10 concurrent keep-alive connections (127.0.0.1 only, bounded in time):
// `/health` (no database: the ceiling of this machine's workerd), the public catalog and 7-day availability, in
// rounds that interleave the three, so a busy moment of the machine hits all of them alike. Each round reports the
// two public reads as a fraction of that round's `/health` (issue 15's goals: catalog ≥ 0.8×, availability ≥ 0.5×),
// beside the floor of any request that needs the database on this machine: one that makes a single round trip and
// nothing else (a booking of a business that does not exist: the slug's look-up, then 404).
import { Agent, request } from "node:http";
import type { RunningStack } from "../scripts/lib/stack.ts";
import { benchRounds, createBenchTenant, insertExistingBookings, r2 } from "./lib.ts";

const CONNECTIONS = 10;
/** Seconds each path is driven per round, after a short warm-up. */
const SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 3);
const DAY = 86_400_000;

/** Drives `path` with CONNECTIONS concurrent loops for `seconds`; requests per second and their latencies. */
async function drive(baseUrl: string, path: string, seconds: number, status = 200) {
  const url = new URL(path, baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let failures = 0;
  const until = performance.now() + seconds * 1000;
  const one = () =>
    new Promise<number>((ok, fail) => {
      const t0 = performance.now();
      const req = request(url, { agent, method: "GET" }, (res) => {
        res.resume();
        res.on("end", () => ok(res.statusCode === status ? performance.now() - t0 : -1));
      });
      req.on("error", fail);
      req.end();
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const ms = await one();
        if (ms < 0) failures++;
        else latencies.push(ms);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  if (failures > 0) throw new Error(`${path}: ${failures} requests did not answer ${status}`);
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: latencies[Math.floor(latencies.length / 2)] ?? Number.NaN };
}

export async function benchThroughput(stack: RunningStack, rounds = benchRounds()) {
  const tenant = await createBenchTenant(stack, "bench-throughput");
  const monday = new Date(Math.ceil(Date.now() / (7 * DAY)) * 7 * DAY + 4 * DAY); // epoch day 4 was a Monday
  await insertExistingBookings(stack, tenant, monday, 7, 300);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const oneRoundTrip = "/v1/public/no-such-business/bookings/bkg_00000000000000000000";
  const paths = {
    health: "/health",
    catalog: `/v1/public/${tenant.slug}/catalog`,
    availability7d: `/v1/public/${tenant.slug}/availability?serviceId=${tenant.serviceId}&from=${day(monday)}&to=${day(new Date(monday.getTime() + 6 * DAY))}`,
  };
  for (const path of Object.values(paths)) await drive(stack.baseUrl, path, 0.5); // warm-up: isolates, caches, JIT
  await drive(stack.baseUrl, oneRoundTrip, 0.5, 404);
  const perRound: { health: number; catalog: number; availability7d: number; oneRoundTrip: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const health = await drive(stack.baseUrl, paths.health, SECONDS);
    const catalog = await drive(stack.baseUrl, paths.catalog, SECONDS);
    const availability7d = await drive(stack.baseUrl, paths.availability7d, SECONDS);
    const floor = await drive(stack.baseUrl, oneRoundTrip, SECONDS, 404);
    perRound.push({
      health: health.rps,
      catalog: catalog.rps,
      availability7d: availability7d.rps,
      oneRoundTrip: floor.rps,
    });
  }
  const range = (xs: number[]) => `${r2(Math.min(...xs))}–${r2(Math.max(...xs))}`;
  const rps = (k: keyof (typeof perRound)[number]) => range(perRound.map((p) => p[k]));
  const ratio = (k: "catalog" | "availability7d" | "oneRoundTrip") => perRound.map((p) => r2(p[k] / p.health));
  return {
    connections: CONNECTIONS,
    secondsPerPathPerRound: SECONDS,
    rounds,
    reqPerSecond: {
      health: rps("health"),
      catalog: rps("catalog"),
      availability7d: rps("availability7d"),
      oneRoundTripFloor: rps("oneRoundTrip"),
    },
    ofHealth: {
      catalog: range(ratio("catalog")),
      availability7d: range(ratio("availability7d")),
      oneRoundTripFloor: range(ratio("oneRoundTrip")),
      perRound: perRound.map((_, i) => [ratio("catalog")[i], ratio("availability7d")[i], ratio("oneRoundTrip")[i]]),
    },
  };
}
