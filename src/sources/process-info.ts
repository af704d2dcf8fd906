/**
 * @module What an operator asks about a socket's owner: command line, user,
 * systemd unit or container, start time, fd count against its limit, and
 * what each thread is doing (state and wait channel, so a stuck process shows).
 * Thin I/O over the pure parsers in owners/pid-files.ts; a process that
 * vanishes or cannot be read gives null fields, never an exception.
 */
import { readFileSync, statSync } from "node:fs";
import {
  parseBtime,
  parseCgroup,
  parseCmdline,
  parsePasswd,
  parseSoftLimit,
  parseStat,
  parseStatusUid,
  parseWchan,
} from "./owners/pid-files.js";
import type { ProcFs } from "./procfs.js";

/** Clock ticks per second of /proc times (USER_HZ; 100 on every mainstream Linux architecture). */
const TICKS_PER_SECOND = 100;

export interface ThreadInfo {
  tid: number;
  name: string | null;
  /** State letter from stat: R running, S sleeping, D uninterruptible (I/O), Z, T... */
  state: string | null;
  /** Kernel function the thread waits in, e.g. "do_epoll_wait", "futex_wait_queue". */
  wchan: string | null;
}

export interface ProcessInfo {
  pid: number;
  comm: string | null;
  /** argv joined with spaces; "" for kernel threads. */
  cmdline: string | null;
  uid: number | null;
  /** User name, or the uid as text when it has no name. */
  user: string | null;
  cgroup: string | null;
  /** systemd unit, e.g. "nginx.service". */
  unit: string | null;
  containerId: string | null;
  /** Milliseconds since the epoch. */
  startedAt: number | null;
  fdCount: number | null;
  fdSoftLimit: number | "unlimited" | null;
  /** null when the task directory could not be read. */
  threads: ThreadInfo[] | null;
}

export interface ProcessInfoOptions {
  /** Where user names come from; tests point it at a fixture. */
  passwdPath?: string;
  /** Names already known (saves reading passwd once per process). */
  users?: Map<number, string>;
  /** Read per-thread state and wchan (default true). */
  threads?: boolean;
}

/** uid -> name from a passwd file; empty when it cannot be read. */
export function readUsers(passwdPath = "/etc/passwd"): Map<number, string> {
  try {
    return parsePasswd(readFileSync(passwdPath, "utf8"));
  } catch {
    return new Map();
  }
}

function countEntries(proc: ProcFs, ...parts: Array<string | number>): number | null {
  try {
    return proc.list(...parts).length;
  } catch {
    return null;
  }
}

/**
 * Open fds of pid. Since Linux 6.2 stat() of /proc/PID/fd gives their
 * number as its size, without listing them (a process holding 50k sockets
 * costs a 50k-entry readdir otherwise, at every scrape); a size of 0 (an
 * older kernel) or a fixture tree is listed.
 */
function countFds(proc: ProcFs, pid: number): number | null {
  if (proc.isProcfs()) {
    try {
      const size = statSync(proc.path(pid, "fd")).size;
      if (size > 0) return size;
    } catch {
      return null;
    }
  }
  return countEntries(proc, pid, "fd");
}

/** Threads of pid, in tid order. */
export function readThreads(proc: ProcFs, pid: number): ThreadInfo[] | null {
  let tids: string[];
  try {
    tids = proc.list(pid, "task");
  } catch {
    return null;
  }
  return tids
    .map(Number)
    .filter((tid) => Number.isInteger(tid))
    .sort((a, b) => a - b)
    .map((tid) => {
      const stat = parseStat(proc.tryRead(pid, "task", tid, "stat") ?? "");
      const wchan = proc.tryRead(pid, "task", tid, "wchan");
      return {
        tid,
        name: stat?.comm ?? null,
        state: stat?.state ?? null,
        wchan: wchan === null ? null : parseWchan(wchan),
      };
    });
}

/** Start time of pid in epoch ms, from its stat and the root's stat btime. */
function startedAt(proc: ProcFs, startTicks: number | null | undefined): number | null {
  const btime = parseBtime(proc.tryRead("stat") ?? "");
  if (btime === null || startTicks === null || startTicks === undefined) return null;
  return btime * 1000 + Math.round((startTicks * 1000) / TICKS_PER_SECOND);
}

export function readProcessInfo(proc: ProcFs, pid: number, opts: ProcessInfoOptions = {}): ProcessInfo {
  const stat = parseStat(proc.tryRead(pid, "stat") ?? "");
  const cmdline = proc.tryRead(pid, "cmdline");
  const status = proc.tryRead(pid, "status");
  const uid = status === null ? null : parseStatusUid(status);
  const users = uid === null ? undefined : (opts.users ?? readUsers(opts.passwdPath));
  const cgroup = parseCgroup(proc.tryRead(pid, "cgroup") ?? "");
  const limits = proc.tryRead(pid, "limits");
  return {
    pid,
    comm: proc.tryRead(pid, "comm")?.trim() ?? stat?.comm ?? null,
    cmdline: cmdline === null ? null : parseCmdline(cmdline),
    uid,
    user: uid === null ? null : (users?.get(uid) ?? String(uid)),
    cgroup: cgroup?.path ?? null,
    unit: cgroup?.unit ?? null,
    containerId: cgroup?.containerId ?? null,
    startedAt: startedAt(proc, stat?.startTicks),
    fdCount: countFds(proc, pid),
    fdSoftLimit: limits === null ? null : parseSoftLimit(limits),
    threads: opts.threads === false ? null : readThreads(proc, pid),
  };
}
