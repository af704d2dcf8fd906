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
import { findOwnersAsync, type OwnerLookup, type OwnersVia } from "../sources/owners.js";
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
async function attachOwners(
  scope: HostScope,
  records: TcpSocket[],
  more: readonly number[],
  warnings: string[],
): Promise<{ deniedCount: number; byInode: OwnerLookup; via: OwnersVia | null; note: string | null }> {
  const inodes: number[] = [...more];
  for (const s of records) if (s.inode) inodes.push(s.inode);
  // The fd walk runs on the addon's threads: the event loop stays free meanwhile.
  const found = await findOwnersAsync(scope.proc, inodes, { native: loadNative().addon });
  warnings.push(...found.warnings);
  for (const s of records) {
    if (!s.inode) s.owners = s.state === TcpState.TIME_WAIT ? null : [];
    else s.owners = found.byInode.get(s.inode) ?? [];
  }
  return { deniedCount: found.deniedPids, byInode: found.byInode, via: found.via, note: found.iteratorNote };
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

/** What gather needs of each scope's read. */
export interface ToGather {
  scope: Scope;
  needs: Needs;
  facts: ScopeFacts;
  kept: ReadonlyArray<readonly TcpSocket[]>;
  /** Inodes wanted without records (ownerInodes of the collectors). */
  inodes: readonly number[];
}

/**
 * Owners and processes for every scope at once: one fd walk of the host's
 * /proc for the records of all host scopes (sockets of any namespace are
 * held by processes of any namespace), then their processes' facts.
 */
export async function gather(reads: readonly ToGather[], warnings: string[]): Promise<Gathered[]> {
  const none = (facts: ScopeFacts): Gathered => ({
    facts,
    ownersResolved: false,
    deniedCount: 0,
    ownersVia: null,
    ownersNote: null,
    ownersByInode: new Map(),
    processes: new Map<number, ProcessFacts>(),
    users: new Map(),
    goBinaries: new Set(),
  });
  const wanting = reads.filter((r) => r.scope.kind === "host" && r.needs.owners);
  let shared: Omit<Gathered, "facts"> | null = null;
  if (wanting.length > 0) {
    // Every host scope of one inspection reads the same /proc.
    const scope = wanting[0]!.scope as HostScope;
    const records = distinct(wanting.flatMap((r) => r.kept));
    const { deniedCount, byInode, via, note } = await attachOwners(
      scope,
      records,
      wanting.flatMap((r) => r.inodes),
      warnings,
    );
    const threads = wanting.some((r) => r.needs.processes?.threads);
    const processes = wanting.some((r) => r.needs.processes);
    shared = {
      ownersResolved: true,
      deniedCount,
      ownersVia: via,
      ownersNote: note,
      ownersByInode: byInode,
      ...(processes
        ? processFacts(scope, records, threads)
        : { processes: new Map(), users: new Map(), goBinaries: new Set<number>() }),
    };
  }
  return reads.map((r) => {
    if (r.scope.kind === "capture")
      return { ...none(r.facts), ownersResolved: r.scope.capture.ownersResolved };
    if (!r.needs.owners || shared === null) return none(r.facts);
    return { ...shared, facts: r.facts };
  });
}
