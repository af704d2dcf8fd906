/**
 * @module Pure parsers for the /proc/PID files that describe a socket's owner
 * (cmdline, status, stat, cgroup, limits, wchan) and for /proc/stat's btime
 * and /etc/passwd. Each takes the file's text and returns null for what it
 * cannot find; none throws.
 */
import type { ContainerRuntime } from "../../model/netns.js";
import { containerOfCgroupPath } from "../netns/cgroup-container.js";

/** NUL-separated argv as one line; trailing NULs dropped. */
export function parseCmdline(text: string): string {
  return text.replace(/\0+$/, "").replace(/\0/g, " ");
}

/** Effective uid from status ("Uid:\treal\teffective\tsaved\tfs"), as ps shows it. */
export function parseStatusUid(text: string): number | null {
  const m = /^Uid:\s+(\d+)\s+(\d+)/m.exec(text);
  return m ? Number(m[2]) : null;
}

/** uid -> first user name from passwd text. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split("\n")) {
    const [name, , uid] = line.split(":");
    if (!name || uid === undefined || !/^\d+$/.test(uid)) continue;
    if (!users.has(Number(uid))) users.set(Number(uid), name);
  }
  return users;
}

export interface PidStat {
  comm: string;
  /** R, S, D, Z, T, t, X, I... */
  state: string;
  /** Field 22: start time after boot, in clock ticks. */
  startTicks: number | null;
}

/**
 * /proc/PID/stat or task/TID/stat. The comm in parentheses may hold spaces
 * and ")" itself, so it ends at the last ")" of the line.
 */
export function parseStat(text: string): PidStat | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const state = rest[0];
  if (!state) return null;
  // rest[0] is field 3, so field 22 is rest[19].
  const start = Number(rest[19]);
  return {
    comm: text.slice(open + 1, close),
    state,
    startTicks: rest[19] !== undefined && Number.isFinite(start) ? start : null,
  };
}

/** Boot time in seconds since the epoch, from /proc/stat's "btime" line. */
export function parseBtime(text: string): number | null {
  const m = /^btime\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : null;
}

export interface CgroupInfo {
  /** The cgroup path that names the process's service (v2, else v1 name=systemd). */
  path: string;
  /** Deepest systemd .service or .scope in that path, e.g. "nginx.service". */
  unit: string | null;
  /** Container id from any hierarchy (64 hex digits; a machine name for lxc and systemd-nspawn). */
  containerId: string | null;
  runtime: ContainerRuntime | null;
  /** Kubernetes pod uid, when the container runs in a pod. */
  podUid: string | null;
}

/** /proc/PID/cgroup ("id:controllers:path" per line, v1 or v2). */
export function parseCgroup(text: string): CgroupInfo | null {
  const entries = text
    .split("\n")
    .map((line) => /^(\d+):([^:]*):(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ controllers: m[2] as string, path: m[3] as string }));
  if (entries.length === 0) return null;
  const v2 = entries.find((e) => e.controllers === "");
  const systemd = entries.find((e) => e.controllers === "name=systemd");
  const chosen = [v2, systemd, ...entries].find((e) => e !== undefined && e.path !== "/") ?? v2 ?? entries[0];
  const path = chosen?.path ?? "/";
  const unit =
    path
      .split("/")
      .reverse()
      .find((part) => /\.(service|scope)$/.test(part)) ?? null;
  for (const e of entries) {
    const found = containerOfCgroupPath(e.path);
    if (found) return { path, unit, containerId: found.id, runtime: found.runtime, podUid: found.podUid };
  }
  return { path, unit, containerId: null, runtime: null, podUid: null };
}

/** A limit from /proc/PID/limits: soft value, "unlimited", or null when absent. */
export function parseSoftLimit(text: string, name = "Max open files"): number | "unlimited" | null {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const soft = line.slice(name.length).trim().split(/\s+/)[0];
    if (soft === "unlimited") return soft;
    return soft !== undefined && /^\d+$/.test(soft) ? Number(soft) : null;
  }
  return null;
}

/** Kernel function a thread sleeps in; null when running or hidden ("0", empty). */
export function parseWchan(text: string): string | null {
  const w = text.trim();
  return w === "" || w === "0" ? null : w;
}
