// /proc reading for the bench's CPU meter: a process's name, and the processes below one (workerd under wrangler).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { descendantsOf, processStats } from "./proc.ts";

describe("descendantsOf", () => {
  it("finds a child and its child by name, and not the root itself", async () => {
    // sh → cat: cat waits on its stdin, so both live until that closes.
    const sh = spawn("sh", ["-c", "cat; exit 0"], { stdio: ["pipe", "ignore", "ignore"] });
    await once(sh, "spawn");
    try {
      let below = descendantsOf(process.pid);
      // sh may not have started cat yet: look until it has (each look reads /proc again).
      while (!below.some((p) => p.comm === "cat" && p.ppid === sh.pid)) below = descendantsOf(process.pid);
      expect(below.find((p) => p.pid === sh.pid)?.comm).toBe("sh");
      expect(below.some((p) => p.pid === process.pid)).toBe(false);
      const self = processStats().find((p) => p.pid === process.pid)!;
      expect(self.utime + self.stime).toBeGreaterThanOrEqual(0);
      expect(self.childTicks).toBeGreaterThanOrEqual(0);
    } finally {
      sh.stdin?.end();
      await once(sh, "exit");
    }
  });
});
