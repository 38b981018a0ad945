// The bench's CPU figures per process and its production estimate: what `npm run bench` prints beside each latency.
import { afterEach, describe, expect, it } from "vitest";
import { cpuFigures, LOCAL_ONLY, productionEstimate, spread } from "./lib.ts";

const round = (ops: number, wallMs: number, nodeMs: number, postgresMs: number, workerdMs: number) => ({
  ops,
  wallMs,
  nodeMs,
  postgresMs,
  workerdMs,
});

describe("cpuFigures", () => {
  const figures = cpuFigures([round(64, 1000, 160, 320, 400), round(64, 800, 192, 256, 480)]);

  it("gives CPU per operation of each process over all rounds", () => {
    expect(figures.msPerOp).toEqual({ node: 2.75, postgres: 4.5, workerd: 6.875 });
  });

  it("gives workerd's share of one core per round, and their range", () => {
    expect(figures.perRound).toEqual([
      [2.5, 5, 6.25, 40],
      [3, 4, 7.5, 60],
    ]);
    expect(figures.workerdCorePercent).toBe("40–60");
  });
});

describe("productionEstimate", () => {
  const rtt = process.env.BENCH_PROD_RTT_MS;
  afterEach(() => {
    if (rtt === undefined) delete process.env.BENCH_PROD_RTT_MS;
    else process.env.BENCH_PROD_RTT_MS = rtt;
  });

  it("adds workerd's CPU, the round trips at the assumed RTT and Postgres's CPU, and says so", () => {
    process.env.BENCH_PROD_RTT_MS = "5";
    const cpu = cpuFigures([round(10, 100, 10, 20, 60)]);
    const estimate = productionEstimate(cpu, 2);
    expect(estimate.estimateMs).toBe(18); // 6 + 2 × 5 + 2
    expect(estimate.inputs).toContain("2 round trip(s) × 5 ms RTT (assumed");
    expect(estimate.inputs).toContain("workerd CPU 6 ms");
  });

  it("falls back to 3 ms for an unusable RTT", () => {
    process.env.BENCH_PROD_RTT_MS = "fast";
    expect(productionEstimate(cpuFigures([round(1, 10, 0, 0, 0)]), 1).estimateMs).toBe(3);
  });

  it("names what only this machine imposes", () => {
    expect(LOCAL_ONLY).toMatch(/single thread/);
    expect(LOCAL_ONLY).toMatch(/loopback proxy/);
    expect(LOCAL_ONLY).toMatch(/2 cores/);
  });
});

describe("spread", () => {
  it("gives the rounds' p50, p95 and p99 ranges beside the figures over all samples", () => {
    const ramp = (from: number) => Array.from({ length: 100 }, (_, i) => from + i);
    const s = spread([ramp(1), ramp(101)]);
    expect(s).toMatchObject({ p50: 100, p95: 190, p99: 198, n: 200, rounds: 2 });
    expect(s.roundsP50).toBe("50–150");
    expect(s.roundsP95).toBe("95–195");
    expect(s.roundsP99).toBe("99–199");
    expect(s.perRound).toEqual([
      [50, 95],
      [150, 195],
    ]);
  });
});
