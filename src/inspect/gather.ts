/**
 * @module After the sockets: the owners of the records the collectors kept
 * (one fd walk for all of them, one rule for what "no owner" means) and the
 * facts about those owners' processes. Captures carry their own owners and
 * nothing about processes (they ran on another host).
 */
import type { ProcessFacts } from "../analysis/close-wait/types.js";
import { recognizeRuntime } from "../analysis/close-wait/runtime.js";
import type { TcpSocket } from "../model/socket.js";
import { TcpState } from "../model/tcp-state.js";
import { isGoExecutable } from "../sources/go-binary.js";
import { loadNative } from "../sources/native.js";
import { findOwners } from "../sources/owners.js";
import { readUsers } from "../sources/process-info.js";
import type { Gathered, Needs, ScopeFacts } from "./analysis.js";
import { passwdPathFor, readFacts } from "./process-facts.js";
import type { HostScope, Scope } from "./scope.js";

/** Records kept by several collectors are looked up once. */
function distinct(lists: ReadonlyArray<readonly TcpSocket[]>): TcpSocket[] {
  if (lists.length === 1) return [...lists[0]!];
  const seen = new Set<TcpSocket>();
  for (const list of lists) for (const s of list) seen.add(s);
  return [...seen];
}

/**
 * Owners onto the records. A socket without an inode has no fd anywhere:
 * TIME_WAIT owners cannot be known (null), the others have none ([]).
 */
function attachOwners(scope: HostScope, records: TcpSocket[], warnings: string[]): number {
  const inodes: number[] = [];
  for (const s of records) if (s.inode) inodes.push(s.inode);
  const found = findOwners(scope.proc, inodes, { native: loadNative().addon });
  warnings.push(...found.warnings);
  for (const s of records) {
    if (!s.inode) s.owners = s.state === TcpState.TIME_WAIT ? null : [];
    else s.owners = found.byInode.get(s.inode) ?? [];
  }
  return found.deniedPids;
}

function processFacts(scope: HostScope, records: readonly TcpSocket[], threads: boolean) {
  const pids = new Set<number>();
  for (const s of records) for (const o of s.owners ?? []) pids.add(o.pid);
  const users = readUsers(passwdPathFor(scope.proc));
  const processes = readFacts(scope.proc, pids, threads, users);
  const goBinaries = new Set<number>();
  for (const f of processes.values()) {
    if (!recognizeRuntime(f) && isGoExecutable(scope.proc.path(f.pid, "exe"))) goBinaries.add(f.pid);
  }
  return { users, processes, goBinaries };
}

export function gather(
  scope: Scope,
  needs: Needs,
  facts: ScopeFacts,
  kept: ReadonlyArray<readonly TcpSocket[]>,
  warnings: string[],
): Gathered {
  const none: Gathered = {
    facts,
    ownersResolved: false,
    deniedCount: 0,
    processes: new Map<number, ProcessFacts>(),
    users: new Map(),
    goBinaries: new Set(),
  };
  if (scope.kind === "capture") return { ...none, ownersResolved: scope.capture.ownersResolved };
  if (!needs.owners) return none;
  const records = distinct(kept);
  const deniedCount = attachOwners(scope, records, warnings);
  const gathered = { ...none, ownersResolved: true, deniedCount };
  return needs.processes
    ? { ...gathered, ...processFacts(scope, records, needs.processes.threads) }
    : gathered;
}
