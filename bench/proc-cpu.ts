/**
 * @module A process's CPU time so far (user + system, all its threads, the
 * exited ones included), from /proc/PID/stat.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

let ticksPerSecond: number | null = null;

function clockTicks(): number {
  if (ticksPerSecond === null) {
    const out = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim();
    ticksPerSecond = Number(out) > 0 ? Number(out) : 100;
  }
  return ticksPerSecond;
}

/** utime + stime of the /proc/PID/stat text, in ticks (pure). */
export function statCpuTicks(stat: string): number {
  // The name in parentheses may hold spaces: count fields after its ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of the whole line; the rest starts at field 3.
  return Number(fields[11]) + Number(fields[12]);
}

export function cpuMs(pid: number): number {
  return (statCpuTicks(readFileSync(`/proc/${pid}/stat`, "utf8")) / clockTicks()) * 1000;
}
