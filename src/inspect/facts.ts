/**
 * @module The facts of a scope that analyses read besides its sockets:
 * host name and kernel, sysctls, counters. Read from the scope itself (its
 * /proc, or what a capture carries), never from wherever sockdoc runs.
 */
import { readCounters, readSockstat, type Sockstat } from "../sources/counters.js";
import { readHostFacts } from "../sources/host-facts.js";
import { readSysctlSet, type SysctlRead } from "../sources/sysctl.js";
import type { Needs, ScopeFacts } from "./analysis.js";
import type { CaptureScope, HostScope } from "./scope.js";

/** The namespace of the process reading (its /proc/self/ns/net link), when the root has one. */
function netnsOf(scope: HostScope): string | null {
  try {
    return scope.proc.readlink("self", "ns", "net");
  } catch {
    return null;
  }
}

export function hostFacts(scope: HostScope, needs: Needs, warnings: string[]): ScopeFacts {
  const sysctls = readSysctlSet(scope.proc, needs.sysctls ?? []);
  let counters = null;
  let sockstat: Sockstat | null = null;
  if (needs.counters) {
    const read = readCounters(scope.proc);
    counters = read.counters;
    warnings.push(...read.warnings);
    sockstat = readSockstat(scope.proc);
  }
  return {
    host: readHostFacts(scope.proc, sysctls.values),
    sysctls,
    counters,
    sockstat,
    source: { kind: "netlink", detail: "netlink sock_diag" },
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
