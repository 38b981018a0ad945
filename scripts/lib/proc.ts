// The machine's processes as Linux /proc/<pid>/stat describes them: for the bench's CPU meter and the tests that
import { readdirSync, readFileSync } from "node:fs";
// wait for a killed worker's process group to be gone.

export interface ProcessStat {
  pid: number;
  /** The executable's name as the kernel keeps it (at most 15 characters): `workerd`, `postgres`, … */
  comm: string;
  /** R, S, D, Z (zombie), X (dead), … */
  state: string;
  ppid: number;
  pgrp: number;
  /** CPU time in clock ticks (user, system). */
  utime: number;
  stime: number;
  /** CPU time in clock ticks of its children that exited and were waited for (user + system). */
  childTicks: number;
}

export function processStats(): ProcessStat[] {
  const stats: ProcessStat[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ppid pgrp … utime(14th) stime(15th); comm may hold spaces and parentheses, so split after the
    // last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    stats.push({
      pid: Number(entry),
      comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
      state: fields[0]!,
      ppid: Number(fields[1]),
      pgrp: Number(fields[2]),
      utime: Number(fields[11]),
      stime: Number(fields[12]),
      childTicks: Number(fields[13]) + Number(fields[14]),
    });
  }
  return stats;
}

/** The processes descended from `root` (children, their children, …), `root` itself excluded. */
export function descendantsOf(root: number, stats: ProcessStat[] = processStats()): ProcessStat[] {
  const found: ProcessStat[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of stats) {
      if (!parents.has(p.pid) && parents.has(p.ppid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}
