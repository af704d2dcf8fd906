/**
 * @module One CLOSE_WAIT sample of the live host (or a --proc-root tree):
 * the CLOSE_WAIT sockets that pass the filter, the LISTEN sockets on their
 * ports (for accept queues), owners with the count of unreadable processes,
 * and the owning processes' details.
 */
import type { PortRange } from "../../analysis/close-wait/grouping.js";
import { recognizeRuntime } from "../../analysis/close-wait/runtime.js";
import type { ProcessFacts } from "../../analysis/close-wait/types.js";
import { compileFilter } from "../../filter/compile.js";
import { UsageError } from "../../model/errors.js";
import type { Snapshot } from "../../model/snapshot.js";
import type { TcpSocket } from "../../model/socket.js";
import { stateBit, TcpState } from "../../model/tcp-state.js";
import { takeLiveSnapshot } from "../../sources/live.js";
import { loadNative } from "../../sources/native.js";
import { findOwners } from "../../sources/owners.js";
import { readUsers } from "../../sources/process-info.js";
import { ProcFs } from "../../sources/procfs.js";
import { type CommonOptions, captureFor, families, sourceChoice } from "../common.js";
import { isGoExecutable } from "./go-binary.js";
import { passwdPathFor, readFacts } from "./process-facts.js";

export interface CloseWaitSample {
  snapshot: Snapshot;
  /** Processes whose fds could not be read (other users' when not root). */
  deniedCount: number;
  facts: Map<number, ProcessFacts>;
  /** uid -> user name, for naming the user of sockets whose owner is unknown. */
  users: Map<number, string>;
  /** Owners whose executable is a Go binary (Go is not recognisable by name). */
  goBinaries: Set<number>;
  ephemeral: PortRange | null;
}

export interface CollectOptions extends CommonOptions {
  /** false: skip /proc/PID/task (processes with thousands of threads). */
  threads?: boolean;
}

const CW = stateBit(TcpState.CLOSE_WAIT);

/** The filter's predicate for CLOSE_WAIT sockets; refuses filters that can only match other states. */
export function closeWaitPredicate(words: string[]): (s: TcpSocket) => boolean {
  const filter = compileFilter(words);
  if (filter.hasStateTerm && (filter.mask & CW) === 0) {
    throw new UsageError(
      `closewait looks only at CLOSE_WAIT sockets; the filter "${filter.text}" excludes them`,
    );
  }
  return filter.matchesAll ? () => true : filter.matches;
}

/** "32768\t60999" -> {low, high}; null when unreadable. */
export function parsePortRange(text: string | null): PortRange | null {
  const m = /^\s*(\d+)\s+(\d+)/.exec(text ?? "");
  return m ? { low: Number(m[1]), high: Number(m[2]) } : null;
}

/** Keeps the CLOSE_WAIT sockets and only the listeners on their local ports. */
export function keepRelevant(sockets: readonly TcpSocket[]): TcpSocket[] {
  const ports = new Set<number>();
  for (const s of sockets) if (s.state === TcpState.CLOSE_WAIT) ports.add(s.local.port);
  return sockets.filter((s) => s.state === TcpState.CLOSE_WAIT || ports.has(s.local.port));
}

function attachOwners(proc: ProcFs, sockets: TcpSocket[], warnings: string[]): number {
  const found = findOwners(
    proc,
    sockets.map((s) => s.inode ?? 0),
    { native: loadNative().addon },
  );
  warnings.push(...found.warnings);
  for (const s of sockets) s.owners = s.inode ? (found.byInode.get(s.inode) ?? []) : [];
  return found.deniedPids;
}

/**
 * A capture's CLOSE_WAIT sockets and their listeners, owners as the capture
 * printed them. Nothing about the processes: they ran on another host.
 */
function captureSample(capture: Snapshot, matches: (s: TcpSocket) => boolean): CloseWaitSample {
  const sockets = keepRelevant(
    capture.sockets.filter(
      (s) => s.state === TcpState.LISTEN || (s.state === TcpState.CLOSE_WAIT && matches(s)),
    ),
  );
  return {
    snapshot: { ...capture, sockets, warnings: [...capture.warnings] },
    deniedCount: 0,
    facts: new Map(),
    users: new Map(),
    goBinaries: new Set(),
    ephemeral: parsePortRange(capture.host.sysctls["net.ipv4.ip_local_port_range"] ?? null),
  };
}

/**
 * capture: a capture the caller has read already (the default report), so
 * stdin is not read twice; else --input is read here when given.
 */
export function collectSample(words: string[], opts: CollectOptions, capture?: Snapshot): CloseWaitSample {
  const matches = closeWaitPredicate(words);
  capture ??= captureFor([], opts) ?? undefined;
  if (capture) return captureSample(capture, matches);
  const proc = new ProcFs(opts.procRoot ?? "/proc");
  const snapshot = takeLiveSnapshot({
    proc,
    statesMask: CW | stateBit(TcpState.LISTEN),
    families: families(opts),
    source: sourceChoice(opts.source),
    owners: false,
    filter: (s) => s.state === TcpState.LISTEN || (s.state === TcpState.CLOSE_WAIT && matches(s)),
  });
  snapshot.sockets = keepRelevant(snapshot.sockets);
  const deniedCount = attachOwners(proc, snapshot.sockets, snapshot.warnings);
  snapshot.ownersResolved = true;
  const pids = new Set<number>();
  for (const s of snapshot.sockets) for (const o of s.owners ?? []) pids.add(o.pid);
  const users = readUsers(passwdPathFor(proc));
  const facts = readFacts(proc, pids, opts.threads !== false, users);
  const goBinaries = new Set<number>();
  for (const f of facts.values()) {
    if (!recognizeRuntime(f) && isGoExecutable(proc.path(f.pid, "exe"))) goBinaries.add(f.pid);
  }
  return {
    snapshot,
    deniedCount,
    facts,
    users,
    goBinaries,
    ephemeral: parsePortRange(proc.tryRead("sys", "net", "ipv4", "ip_local_port_range")),
  };
}
