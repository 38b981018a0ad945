// The local cron: the 5-field parser, the wrangler.toml reader and the driver on a fake clock (no waiting).
import { describe, expect, it } from "vitest";
import { cronMatches, cronTriggersOf, nextCronTime, parseCron } from "./cron.ts";
import { type CronClock, startCronDriver, wranglerCrons } from "./cron-driver.ts";

const next = (expr: string, after: string) => nextCronTime(parseCron(expr), new Date(after))?.toISOString();

describe("parseCron / nextCronTime", () => {
  it("every minute is the next whole minute, strictly after", () => {
    expect(next("* * * * *", "2026-03-01T10:15:00.000Z")).toBe("2026-03-01T10:16:00.000Z");
    expect(next("* * * * *", "2026-03-01T10:15:59.999Z")).toBe("2026-03-01T10:16:00.000Z");
    expect(next("* * * * *", "2026-12-31T23:59:30.000Z")).toBe("2027-01-01T00:00:00.000Z");
  });

  it("reads steps, ranges, lists and names", () => {
    expect(next("*/15 * * * *", "2026-03-01T10:16:00Z")).toBe("2026-03-01T10:30:00.000Z");
    expect(next("5/20 * * * *", "2026-03-01T10:26:00Z")).toBe("2026-03-01T10:45:00.000Z");
    expect(next("0 9-17/4 * * *", "2026-03-01T13:00:00Z")).toBe("2026-03-01T17:00:00.000Z");
    expect(next("30 2,14 * * *", "2026-03-01T02:30:00Z")).toBe("2026-03-01T14:30:00.000Z");
    expect(next("0 0 1 JAN,jul *", "2026-03-01T00:00:00Z")).toBe("2026-07-01T00:00:00.000Z");
    // 2026-03-01 is a Sunday: the next Monday is the 2nd, the next Saturday the 7th.
    expect(next("0 8 * * MON", "2026-03-01T09:00:00Z")).toBe("2026-03-02T08:00:00.000Z");
    expect(next("0 8 * * 6-7", "2026-03-02T09:00:00Z")).toBe("2026-03-07T08:00:00.000Z");
    expect(cronMatches(parseCron("0 8 * * 7"), new Date("2026-03-01T08:00:30Z"))).toBe(true); // 7 = Sunday
  });

  it("day of month and day of week: either matches when both are restricted (Vixie cron)", () => {
    // The 13th of March 2026 is a Friday; from the 2nd, Friday the 6th comes first.
    expect(next("0 0 13 * FRI", "2026-03-02T00:00:00Z")).toBe("2026-03-06T00:00:00.000Z");
    expect(next("0 0 13 * *", "2026-03-02T00:00:00Z")).toBe("2026-03-13T00:00:00.000Z");
    expect(next("0 0 29 2 *", "2026-03-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
    expect(next("0 0 31 2 *", "2026-03-01T00:00:00Z")).toBeUndefined(); // never
  });

  it("refuses what it cannot read instead of guessing", () => {
    for (const bad of ["* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "5-1 * * * *", "*/0 * * * *"])
      expect(() => parseCron(bad), bad).toThrow(/cron/);
    for (const ext of ["0 0 L * *", "0 0 * * 5L", "0 0 * * 1#2", "0 0 15W * *"])
      expect(() => parseCron(ext), ext).toThrow(/not supported/);
  });
});

describe("cronTriggersOf", () => {
  it("reads [triggers] crons, single- or multi-line, and nothing from other tables", () => {
    expect(cronTriggersOf('[vars]\ncrons = ["0 0 * * *"]\n[triggers]\ncrons = ["* * * * *"] # each minute\n')).toEqual([
      "* * * * *",
    ]);
    expect(cronTriggersOf("[triggers]\ncrons = [\n  \"*/5 * * * *\",\n  '0 3 * * MON',\n]\n[x]\n")).toEqual([
      "*/5 * * * *",
      "0 3 * * MON",
    ]);
    expect(cronTriggersOf('name = "x"\n')).toEqual([]);
  });

  it("this project's wrangler.toml has crons, and each of them parses", () => {
    const crons = wranglerCrons();
    expect(crons.length).toBeGreaterThan(0);
    for (const c of crons) expect(() => parseCron(c)).not.toThrow();
  });
});

/** A clock that moves only when told, running due timers in order. */
function fakeClock(start: string) {
  let now = new Date(start).getTime();
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: CronClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout: (h) => void timers.delete(h as number),
  };
  const advanceTo = async (iso: string) => {
    const target = new Date(iso).getTime();
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
      for (let i = 0; i < 20; i++) await Promise.resolve(); // let the trigger's fetch settle
    }
    now = target;
  };
  return { clock, advanceTo, pending: () => timers.size };
}

describe("startCronDriver", () => {
  it("calls /__scheduled for each cron at each of its due minutes, and nothing in between", async () => {
    const { clock, advanceTo, pending } = fakeClock("2026-03-01T10:00:20Z");
    const calls: { url: string; at: string }[] = [];
    const driver = startCronDriver({
      baseUrl: "http://127.0.0.1:9",
      crons: ["* * * * *", "*/15 * * * *"],
      clock,
      fetch: async (url) => {
        calls.push({ url, at: new Date(clock.now()).toISOString() });
        return new Response("ok");
      },
    });
    await advanceTo("2026-03-01T10:00:59Z");
    expect(calls).toEqual([]);
    await advanceTo("2026-03-01T10:03:30Z");
    expect(calls).toEqual([
      { url: "http://127.0.0.1:9/__scheduled?cron=*%20*%20*%20*%20*", at: "2026-03-01T10:01:00.000Z" },
      { url: "http://127.0.0.1:9/__scheduled?cron=*%20*%20*%20*%20*", at: "2026-03-01T10:02:00.000Z" },
      { url: "http://127.0.0.1:9/__scheduled?cron=*%20*%20*%20*%20*", at: "2026-03-01T10:03:00.000Z" },
    ]);
    calls.length = 0;
    await advanceTo("2026-03-01T10:15:00Z");
    expect(calls.filter((c) => c.url.endsWith("cron=*%2F15%20*%20*%20*%20*"))).toEqual([
      { url: "http://127.0.0.1:9/__scheduled?cron=*%2F15%20*%20*%20*%20*", at: "2026-03-01T10:15:00.000Z" },
    ]);
    expect(calls).toHaveLength(13); // 10:04 … 10:15 every minute, plus the quarter hour
    expect(driver.fired).toBe(16);
    await driver.stop();
    expect(pending()).toBe(0);
    await advanceTo("2026-03-01T11:00:00Z");
    expect(driver.fired).toBe(16);
  });

  it("keeps going when the worker is down or answers an error, and says so", async () => {
    const { clock, advanceTo } = fakeClock("2026-03-01T10:00:00Z");
    const logs: string[] = [];
    let n = 0;
    const driver = startCronDriver({
      baseUrl: "http://127.0.0.1:9",
      crons: ["* * * * *"],
      clock,
      log: (l) => logs.push(l),
      fetch: async () => {
        n++;
        if (n === 1) throw new Error("connect ECONNREFUSED");
        return new Response("boom", { status: n === 2 ? 500 : 200 });
      },
    });
    await advanceTo("2026-03-01T10:03:00Z");
    expect(driver.fired).toBe(3);
    expect(logs).toEqual(['cron "* * * * *": connect ECONNREFUSED\n', 'cron "* * * * *": /__scheduled answered 500\n']);
    await driver.stop();
  });

  it("everyMs (tests) fires every cron at a fixed interval, and nextRun() resolves after a run", async () => {
    const { clock, advanceTo } = fakeClock("2026-03-01T10:00:00Z");
    const at: number[] = [];
    const driver = startCronDriver({
      baseUrl: "http://x",
      crons: ["0 0 1 1 *"],
      everyMs: 250,
      clock,
      fetch: async () => {
        at.push(clock.now());
        return new Response("");
      },
    });
    const ran = driver.nextRun();
    await advanceTo("2026-03-01T10:00:01Z");
    await ran;
    const t0 = new Date("2026-03-01T10:00:00Z").getTime();
    expect(at).toEqual([t0 + 250, t0 + 500, t0 + 750, t0 + 1000]);
    await driver.stop();
  });
});
