/**
 * @module Reads what the CLOSE_WAIT analysis needs about each owning process
 * (sources/process-info.ts) and turns it into the analysis's ProcessFacts.
 */
import { join } from "node:path";
import type { ProcessFacts } from "../analysis/close-wait/types.js";
import { type ProcessInfo, readProcessInfo } from "../sources/process-info.js";
import type { ProcFs } from "../sources/procfs.js";

export function toFacts(info: ProcessInfo): ProcessFacts {
  return {
    pid: info.pid,
    comm: info.comm ?? "?",
    cmdline: info.cmdline || null,
    uid: info.uid,
    user: info.user,
    unit: info.unit,
    container: info.containerId,
    fdCount: info.fdCount,
    fdLimit: typeof info.fdSoftLimit === "number" ? info.fdSoftLimit : null,
    threads:
      info.threads?.map((t) => ({
        tid: t.tid,
        name: t.name ?? "?",
        state: t.state ?? "?",
        wchan: t.wchan,
      })) ?? null,
  };
}

/**
 * User names come from the host's /etc/passwd, or for a --proc-root tree
 * (a mounted sosreport: DIR/proc beside DIR/etc) from the etc/ beside it.
 */
export function passwdPathFor(proc: ProcFs): string {
  return proc.root === "/proc" ? "/etc/passwd" : join(proc.root, "..", "etc", "passwd");
}

export function readFacts(
  proc: ProcFs,
  pids: Iterable<number>,
  threads: boolean,
  users: Map<number, string>,
): Map<number, ProcessFacts> {
  const facts = new Map<number, ProcessFacts>();
  for (const pid of pids) {
    if (!facts.has(pid)) facts.set(pid, toFacts(readProcessInfo(proc, pid, { users, threads })));
  }
  return facts;
}
