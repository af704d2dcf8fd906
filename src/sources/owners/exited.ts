/**
 * @module Whether a process exited, from its /proc entry: its directory is
 * gone, or it is a zombie (state Z or X in /proc/PID/stat). The fd links of
 * a process reaped during a scan answer EACCES even to root (the kernel no
 * longer finds the task to check access against), so a refusal is only a
 * refusal if the process still runs. Same rule as ProcessGone in
 * native/fd-scan.cc.
 */
import { statSync } from "node:fs";
import type { ProcFs } from "../procfs.js";

/** The state letter of a /proc/PID/stat line ("pid (comm) S ..."), or null. Pure. */
export function statState(stat: string): string | null {
  // comm may hold ")" itself, so the last one ends it.
  const close = stat.lastIndexOf(")");
  if (close < 0 || stat[close + 1] !== " ") return null;
  return stat[close + 2] ?? null;
}

export function processExited(proc: ProcFs, pid: number): boolean {
  try {
    statSync(proc.path(pid));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ESRCH";
  }
  // A hand-made tree without stat files: not known to be gone.
  const stat = proc.tryRead(pid, "stat");
  const state = stat === null ? null : statState(stat);
  return state === "Z" || state === "X" || state === "x";
}
