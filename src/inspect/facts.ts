/**
 * @module The facts of a scope that analyses read besides its sockets:
 * host name and kernel, sysctls, counters. Read from the scope itself (its
 * /proc, or what a capture carries), never from wherever sockdoc runs.
 */
import { readCounters, readSockstat, type Sockstat } from "../sources/counters.js";
import { readHostFacts } from "../sources/host-facts.js";
import { readFilesInNetns } from "../sources/netns/read-in-netns.js";
import { ProcFs } from "../sources/procfs.js";
import { readSysctlSet, type SysctlRead, sysctlPath } from "../sources/sysctl.js";
import type { Needs, ScopeFacts } from "./analysis.js";
import { NETLINK_SOURCE } from "./read-sockets.js";
import type { CaptureScope, HostScope } from "./scope.js";

/** The namespace read ("net:[INODE]"): the scope's, else that of the process reading. */
function netnsOf(scope: HostScope): string | null {
  if (scope.netns) return `net:[${scope.netns.ref.inode}]`;
  return scope.proc.tryReadlink("self", "ns", "net");
}

/** Sysctls as a process inside the namespace reads them (they are per namespace). */
function sysctlsInside(path: string, names: readonly string[]): SysctlRead {
  const read: SysctlRead = { values: {}, missing: [], unreadable: [] };
  const texts = readFilesInNetns(
    path,
    names.map((n) => `/proc/${sysctlPath(n).join("/")}`),
  );
  names.forEach((name, i) => {
    const text = texts[i];
    if (text === null || text === undefined) read.missing.push(name);
    else read.values[name] = text.trim();
  });
  return read;
}

export function hostFacts(scope: HostScope, needs: Needs, warnings: string[]): ScopeFacts {
  const inside = scope.netns && !scope.netns.own ? scope.netns : null;
  const sysctls = inside
    ? sysctlsInside(inside.path, needs.sysctls ?? [])
    : readSysctlSet(scope.proc, needs.sysctls ?? []);
  let counters = null;
  let sockstat: Sockstat | null = null;
  if (needs.counters) {
    // /proc/PID/net is the namespace of PID: a process inside gives the namespace's counters.
    const pid = inside?.pids[0];
    const read = inside
      ? pid === undefined
        ? { counters: null, warnings: [`no process in ${inside.path}: its counters are unknown`] }
        : readCounters(new ProcFs(scope.proc.path(pid)))
      : readCounters(scope.proc);
    counters = read.counters;
    warnings.push(...read.warnings);
    // sockstat too is per namespace: read through a process inside it.
    const pidInside = inside?.pids[0];
    sockstat = inside
      ? pidInside === undefined
        ? null
        : readSockstat(new ProcFs(scope.proc.path(pidInside)))
      : readSockstat(scope.proc);
  }
  return {
    host: readHostFacts(scope.proc, sysctls.values),
    sysctls,
    counters,
    sockstat,
    // Until the sockets are read (read-sockets.ts says from where).
    source: NETLINK_SOURCE,
    takenAt: Date.now(),
    netns: netnsOf(scope),
    sysctlsKnown: true,
  };
}

/** A capture's own sysctls (a sosreport carries them); the names it lacks are missing. */
export function captureFacts(scope: CaptureScope, needs: Needs): ScopeFacts {
  const { capture } = scope;
  const sysctls: SysctlRead = { values: {}, missing: [], unreadable: [] };
  for (const name of needs.sysctls ?? []) {
    const value = capture.host.sysctls[name];
    if (value === undefined) sysctls.missing.push(name);
    else sysctls.values[name] = value;
  }
  return {
    host: capture.host,
    sysctls,
    counters: null,
    sockstat: null,
    source: capture.source,
    takenAt: capture.takenAt,
    netns: null,
    sysctlsKnown: Object.keys(capture.host.sysctls).length > 0,
  };
}
