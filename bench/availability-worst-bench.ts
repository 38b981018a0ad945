// The worst availability answer the limits allow: a business at the staff cap, everyone performing a 5-minute service
// on a 5-minute step around the clock, asked for the widest window. Bytes and time of one response (the largest page)
// and of walking the whole window by nextCursor, as the SDK's list does.
import { gzipSync } from "node:zlib";
import type { RunningStack } from "../scripts/lib/stack.ts";
import { MAX_SLOTS_PER_RESPONSE, TENANT_LIMITS } from "../worker/src/domain/limits.ts";
import { api, benchRounds, inRounds, signupBenchTenant } from "./lib.ts";

const DAY = 86_400_000;
const WINDOW_DAYS = 62; // the widest range the route accepts
/** Single responses timed per round (5 rounds of 6 = the 30 of one run before); one whole-window walk per round. */
const RUNS_PER_ROUND = 6;
const ROUNDS = benchRounds();

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function createWorstTenant(stack: RunningStack) {
  const slug = `bench-worst-${Date.now().toString(36)}`;
  const { key } = await signupBenchTenant(stack, slug);
  const service = await api(
    stack.baseUrl,
    "POST",
    "/v1/admin/services",
    {
      name: "Quick check",
      durationMinutes: 5,
      slotStepMinutes: 5,
      maxAdvanceDays: 365,
      price: { amount: 500, currency: "EUR" },
    },
    key,
  );
  if (service.status !== 201) throw new Error(JSON.stringify(service.body));
  const weeklyHours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
  const staff = { commissionBps: 0, serviceIds: [service.body.id], weeklyHours };
  for (let i = 0; i < TENANT_LIMITS.staffPerTenant; i++) {
    const res = await api(stack.baseUrl, "POST", "/v1/admin/staff", { ...staff, name: `Staff ${i}` }, key);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  }
  const oneMore = await api(stack.baseUrl, "POST", "/v1/admin/staff", { ...staff, name: "One too many" }, key);
  if (oneMore.status !== 422) throw new Error(`the staff cap did not hold: ${oneMore.status}`);
  return { slug, serviceId: service.body.id as string };
}

export async function benchAvailabilityWorst(stack: RunningStack) {
  const tenant = await createWorstTenant(stack);
  const from = Date.now() + DAY;
  const base = `/v1/public/${tenant.slug}/availability?serviceId=${tenant.serviceId}&from=${dateOf(from)}&to=${dateOf(from + (WINDOW_DAYS - 1) * DAY)}`;
  const fetchPage = async (cursor: string | null) => {
    const t0 = performance.now();
    const res = await fetch(`${stack.baseUrl}${base}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`availability ${res.status}: ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as { slots: { staffIds: string[] }[]; nextCursor: string | null };
    return { ms, bytes: Buffer.byteLength(text), body, text };
  };

  for (let i = 0; i < 5; i++) await fetchPage(null); // warm-up
  let first = await fetchPage(null);
  const times = await inRounds(ROUNDS, async () => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS_PER_ROUND; i++) {
      first = await fetchPage(null);
      samples.push(first.ms);
    }
    return samples;
  });
  let walk = { pages: 0, bytes: 0, slots: 0 };
  const walks = await inRounds(ROUNDS, async () => {
    const t0 = performance.now();
    walk = { pages: 0, bytes: 0, slots: 0 };
    for (let cursor: string | null = null, started = false; !started || cursor; started = true) {
      const page = await fetchPage(cursor);
      walk.pages++;
      walk.bytes += page.bytes;
      walk.slots += page.body.slots.length;
      cursor = page.body.nextCursor;
    }
    return [performance.now() - t0];
  });
  return {
    staff: TENANT_LIMITS.staffPerTenant,
    windowDays: WINDOW_DAYS,
    maxSlotsPerResponse: MAX_SLOTS_PER_RESPONSE,
    oneResponse: {
      slots: first.body.slots.length,
      staffIdsPerSlot: first.body.slots[0]?.staffIds.length ?? 0,
      bytes: first.bytes,
      gzipBytes: gzipSync(first.text).byteLength,
      ms: times,
    },
    wholeWindowByCursor: { ...walk, ms: walks },
  };
}
