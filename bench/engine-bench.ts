// Benchmarks the availability engine on a busy tenant: 10 staff, 30 days, 2,000 bookings, "any staff".
// Run directly with `npx tsx bench/engine-bench.ts`; the target is ≤ 5 ms per request.

import { pathToFileURL } from "node:url";
import {
  type BusyRange,
  blockedRange,
  computeSlots,
  type ServiceRules,
  type SlotQuery,
  type StaffSchedule,
} from "../worker/src/domain/availability";
import { addDays, zonedWallTimeToInstant } from "../worker/src/domain/time";
import { benchRounds, inRounds, type Spread } from "./lib.ts";

const TIME_ZONE = "Europe/London";
// The range includes the 2027-03-28 DST change so the zone conversions take their slow paths too.
const FROM_DATE = "2027-03-15";
const DAYS = 30;
const STAFF_COUNT = 10;
const BOOKINGS = 2_000;
const WARM_UP_RUNS = 50;
/** Requests timed per round; 5 rounds of 100 = the 500 of one run before (BENCH_ROUNDS). */
const RUNS_PER_ROUND = 100;
const MINUTE = 60_000;

const SERVICE: ServiceRules = {
  durationMinutes: 60,
  bufferBeforeMinutes: 10,
  bufferAfterMinutes: 5,
  minNoticeMinutes: 120,
  maxAdvanceDays: 60,
  slotStepMinutes: 15,
};

/** Deterministic PRNG (mulberry32), so every run measures the same calendar. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function buildStaff(random: () => number): StaffSchedule[] {
  return Array.from({ length: STAFF_COUNT }, (_, i) => {
    const overrideDate = addDays(FROM_DATE, 3 + i * 2);
    const timeOffDay = addDays(FROM_DATE, 10 + i);
    const timeOffStart = zonedWallTimeToInstant(timeOffDay, 12 * 60, TIME_ZONE);
    return {
      staffId: `stf_${i}`,
      weekly: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: "09:00", end: "18:00" })),
      // Every other staff member takes a day off; the rest work a short split day.
      overrides: {
        [overrideDate]:
          i % 2 === 0
            ? []
            : [
                { start: "10:00", end: "13:00" },
                { start: "14:30", end: "19:00" },
              ],
      },
      timeOff: [{ startsAt: timeOffStart, endsAt: timeOffStart + Math.round(60 + random() * 180) * MINUTE }],
    };
  });
}

function buildBusy(random: () => number): BusyRange[] {
  return Array.from({ length: BOOKINGS }, () => {
    const date = addDays(FROM_DATE, Math.floor(random() * DAYS));
    const startMinute = 9 * 60 + Math.floor(random() * 32) * 15; // 09:00 … 16:45 on the 15-minute grid
    const startsAt = zonedWallTimeToInstant(date, startMinute, TIME_ZONE);
    const staffId = `stf_${Math.floor(random() * STAFF_COUNT)}`;
    return { staffId, ...blockedRange(startsAt, startsAt + SERVICE.durationMinutes * MINUTE, SERVICE) };
  });
}

function buildQuery(): SlotQuery {
  const random = seededRandom(20_270_315);
  return {
    tenantTimeZone: TIME_ZONE,
    viewerTimeZone: TIME_ZONE,
    fromDate: FROM_DATE,
    toDate: addDays(FROM_DATE, DAYS - 1),
    now: zonedWallTimeToInstant(FROM_DATE, 8 * 60, TIME_ZONE),
    service: SERVICE,
    staff: buildStaff(random),
    busy: buildBusy(random),
  };
}

/** Times computeSlots for the 30-day "any staff" request, after a warm-up, in rounds: milliseconds per request. */
export async function benchEngine(): Promise<{ perRequestMs: Spread & { mean: number } }> {
  const query = buildQuery();
  for (let i = 0; i < WARM_UP_RUNS; i++) computeSlots(query);
  let sum = 0;
  let n = 0;
  const perRequestMs = await inRounds(benchRounds(), async () => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS_PER_ROUND; i++) {
      const startedAt = performance.now();
      computeSlots(query);
      samples.push(performance.now() - startedAt);
    }
    sum += samples.reduce((s, ms) => s + ms, 0);
    n += samples.length;
    return samples;
  });
  return { perRequestMs: { ...perRequestMs, mean: Math.round((sum / n) * 1000) / 1000 } };
}

async function main(): Promise<void> {
  // The first call pays for JIT compilation and for filling the wall-time cache with the working-hour edges.
  const query = buildQuery();
  const coldStartedAt = performance.now();
  const slots = computeSlots(query);
  const coldMs = performance.now() - coldStartedAt;
  const { perRequestMs } = await benchEngine();
  const format = (ms: number): string => `${ms.toFixed(3)} ms`;
  console.log(`engine: ${STAFF_COUNT} staff, ${DAYS} days, ${BOOKINGS} bookings, ${slots.length} slots per request`);
  console.log(`  cold first request ${format(coldMs)}`);
  console.log(`  p50 ${format(perRequestMs.p50)}  p95 ${format(perRequestMs.p95)}  mean ${format(perRequestMs.mean)}`);
  console.log(
    `  rounds' p50 ${perRequestMs.roundsP50} ms, p95 ${perRequestMs.roundsP95} ms (${perRequestMs.rounds} rounds)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
