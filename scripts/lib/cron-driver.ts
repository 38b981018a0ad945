// The local stand-in for Cloudflare's cron: `wrangler dev --test-scheduled` only exposes `/__scheduled?cron=…`, it
// never fires the `[triggers] crons` of wrangler.toml by itself. This driver calls that route at each minute a cron
// is due (UTC, as Cloudflare does), so `npm start` and the workerd tests expire lapsed holds, send reminders and
// re-send what the outbox relay missed exactly as production does. The clock and timer are injectable for unit tests;
// `everyMs` (tests only) fires every cron at that fixed interval instead of on its schedule.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type CronSchedule, cronTriggersOf, nextCronTime, parseCron } from "./cron.ts";

export interface CronClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: CronClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface CronDriverOptions {
  baseUrl: string;
  crons: string[];
  /** Tests only: fire every cron each `everyMs` milliseconds instead of at its due minutes. */
  everyMs?: number;
  clock?: CronClock;
  fetch?: (url: string) => Promise<Response>;
  log?: (line: string) => void;
}

export interface CronDriver {
  /** Triggers sent so far (each cron at each due minute counts once). */
  readonly fired: number;
  /** Resolves after the next trigger (of any cron) completes: a test can wait for a sweep instead of sleeping. */
  nextRun(): Promise<void>;
  stop(): Promise<void>;
}

/** The cron triggers of this project's wrangler.toml. */
export function wranglerCrons(configPath = resolve(import.meta.dirname, "../../wrangler.toml")): string[] {
  return cronTriggersOf(readFileSync(configPath, "utf8"));
}

export function startCronDriver(opts: CronDriverOptions): CronDriver {
  const clock = opts.clock ?? systemClock;
  const doFetch = opts.fetch ?? ((url: string) => fetch(url));
  const log = opts.log ?? (() => {});
  const schedules: CronSchedule[] = opts.crons.map(parseCron);
  let fired = 0;
  let stopped = false;
  let timer: unknown;
  let running: Promise<void> = Promise.resolve();
  let waiters: (() => void)[] = [];

  const trigger = async (expression: string) => {
    try {
      const res = await doFetch(`${opts.baseUrl}/__scheduled?cron=${encodeURIComponent(expression)}`);
      await res.body?.cancel();
      if (!res.ok) log(`cron "${expression}": /__scheduled answered ${res.status}\n`);
    } catch (err) {
      log(`cron "${expression}": ${(err as Error).message}\n`);
    }
    fired++;
  };

  // Each cron's next due minute; a run that overlaps the next due minute delays it (as a slow scheduled() would).
  const next = new Map<CronSchedule, number>();
  const planFrom = (s: CronSchedule, after: number) => {
    if (opts.everyMs !== undefined) next.set(s, after + opts.everyMs);
    else {
      const t = nextCronTime(s, new Date(after));
      if (t) next.set(s, t.getTime());
      else next.delete(s);
    }
  };

  const arm = () => {
    if (stopped || next.size === 0) return;
    const due = Math.min(...next.values());
    timer = clock.setTimeout(
      () => {
        running = run(due);
      },
      Math.max(0, due - clock.now()),
    );
  };

  const run = async (due: number) => {
    for (const s of schedules) {
      if (stopped) break;
      const at = next.get(s);
      if (at === undefined || at > due) continue;
      await trigger(s.expression);
      planFrom(s, Math.max(at, clock.now())); // missed minutes are skipped, not caught up
    }
    const done = waiters;
    waiters = [];
    for (const w of done) w();
    arm();
  };

  const start = clock.now();
  for (const s of schedules) planFrom(s, start);
  arm();

  return {
    get fired() {
      return fired;
    },
    nextRun: () => new Promise<void>((ok) => waiters.push(ok)),
    stop: async () => {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      await running;
      for (const w of waiters) w();
      waiters = [];
    },
  };
}
