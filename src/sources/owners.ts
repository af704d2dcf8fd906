/**
 * @module Owners: which processes hold a socket, from /proc/PID/fd links
 * ("socket:[inode]"). Uses the native addon's scan when given one, else a
 * JavaScript walk; either way stops once every wanted inode was found.
 * findOwnersAsync runs the native walk off the event loop, same result.
 */
import type { Owner } from "../model/socket.js";
import type { FdScanResult, NativeAddon } from "./native.js";
import { type FdHits, scanSocketFdsJs } from "./owners/js-scan.js";
import { OwnerTable } from "./owners/owner-table.js";
import { stillOpen } from "./owners/still-open.js";
import type { ProcFs } from "./procfs.js";

/** Owners per inode as a walk gives them: a ReadonlyMap's reading methods. */
export type OwnerLookup = Pick<
  ReadonlyMap<number, Owner[]>,
  "get" | "has" | "size" | "keys" | "values" | "entries"
> &
  Iterable<[number, Owner[]]>;

const EMPTY: OwnerLookup = new Map<number, Owner[]>();

export interface OwnersResult {
  /** Owners per inode, for the inodes that were found (pid order, then fd order). */
  byInode: OwnerLookup;
  /** Processes whose fds could not be read though they still ran (other users' when not root). */
  deniedPids: number;
  /** Processes that exited while their fds were being read: their sockets are closing, not hidden. */
  gonePids: number;
  /**
   * Wanted sockets without an owner that no longer exist (or lost their
   * inode: orphaned) after the scan: closed meanwhile, by an owner that
   * exited or closed its fd. Not counted against refusals.
   */
  closedSockets: number;
  warnings: string[];
}

export interface FindOwnersOptions {
  /** The addon (its scanSocketFds is used), or null/absent for the JS scan. */
  native?: NativeAddon | null;
  /** Whether sockdoc runs as root (default: the effective uid is 0); shapes the denied warning. */
  asRoot?: boolean;
}

function sortedWanted(wanted: Set<number>): Float64Array {
  return Float64Array.from(wanted).sort();
}

function hitsOf(r: FdScanResult): FdHits {
  // An addon built before gonePids existed is refused at load; a test stub may lack it.
  return {
    pids: r.pids,
    fds: r.fds,
    inodes: r.inodes,
    deniedPids: r.deniedPids.length,
    gonePids: r.gonePids?.length ?? 0,
  };
}

function wantedInodes(inodes: Iterable<number>): Set<number> {
  const wanted = new Set<number>();
  for (const inode of inodes) if (inode > 0) wanted.add(inode);
  return wanted;
}

function nativeFailed(err: unknown): string {
  return `native fd scan failed (${(err as Error).message}); scanned /proc in JavaScript instead`;
}

/**
 * Find the processes holding each of inodes. Inode 0 (no fd: TIME_WAIT,
 * orphaned, not yet accepted) is never looked up. Processes that vanish
 * mid-scan are skipped; unreadable ones are counted and, when some sockets
 * stayed unowned, named in one warning.
 */
export function findOwners(
  proc: ProcFs,
  inodes: Iterable<number>,
  opts: FindOwnersOptions = {},
): OwnersResult {
  const wanted = wantedInodes(inodes);
  if (wanted.size === 0)
    return { byInode: EMPTY, deniedPids: 0, gonePids: 0, closedSockets: 0, warnings: [] };
  const warnings: string[] = [];
  let hits: FdHits | undefined;
  if (opts.native) {
    try {
      hits = hitsOf(opts.native.scanSocketFds(proc.root, sortedWanted(wanted)));
    } catch (err) {
      warnings.push(nativeFailed(err));
    }
  }
  hits ??= scanSocketFdsJs(proc, wanted);
  return ownersFromHits(proc, wanted, hits, warnings, opts);
}

/**
 * findOwners with the native walk on worker threads (scanSocketFdsAsync), so
 * the event loop keeps running during a scan of a busy host: same owners,
 * same order, same counts and warnings as findOwners. Without the addon (or
 * if its scan fails) the JavaScript walk runs, synchronously as in
 * findOwners. Never rejects for a scan failure; only for a bug.
 */
export async function findOwnersAsync(
  proc: ProcFs,
  inodes: Iterable<number>,
  opts: FindOwnersOptions = {},
): Promise<OwnersResult> {
  const wanted = wantedInodes(inodes);
  if (wanted.size === 0)
    return { byInode: EMPTY, deniedPids: 0, gonePids: 0, closedSockets: 0, warnings: [] };
  const warnings: string[] = [];
  let hits: FdHits | undefined;
  if (opts.native) {
    try {
      hits = hitsOf(await opts.native.scanSocketFdsAsync(proc.root, sortedWanted(wanted)));
    } catch (err) {
      warnings.push(nativeFailed(err));
    }
  }
  hits ??= scanSocketFdsJs(proc, wanted);
  return ownersFromHits(proc, wanted, hits, warnings, opts);
}

/** The owners per inode from a scan's hits, comm read once per pid, and the warnings. */
function ownersFromHits(
  proc: ProcFs,
  wanted: Set<number>,
  hits: FdHits,
  warnings: string[],
  opts: FindOwnersOptions,
): OwnersResult {
  // Each process's name, read once ("?" as ps prints it: it exited between the scan and this read).
  const comms = new Map<number, string>();
  for (let i = 0; i < hits.inodes.length; i++) {
    const pid = hits.pids[i] as number;
    if (comms.has(pid) || !wanted.has(hits.inodes[i] as number)) continue;
    comms.set(pid, proc.tryRead(pid, "comm")?.trim() || "?");
  }
  const byInode = new OwnerTable(hits, wanted, comms);

  // Unowned sockets that closed during the scan were not hidden by anyone:
  // only the ones still open count toward the refusal warning. The closed
  // ones get no note: on a busy host some close between any read and scan.
  const unfound = new Set<number>();
  for (const inode of wanted) if (!byInode.has(inode)) unfound.add(inode);
  const open = unfound.size > 0 ? stillOpen(proc, unfound) : null;
  const hidden = open ? open.size : unfound.size;
  const closedSockets = unfound.size - hidden;
  if (hidden > 0 && hits.deniedPids > 0) {
    warnings.push(deniedWarning(hidden, hits.deniedPids, opts.asRoot ?? process.geteuid?.() === 0));
  }
  return { byInode, deniedPids: hits.deniedPids, gonePids: hits.gonePids, closedSockets, warnings };
}

/** Why some owners stayed unknown; as root, asking for root again would not help. */
function deniedWarning(unfound: number, deniedPids: number, asRoot: boolean): string {
  if (asRoot) {
    return (
      `owners of ${unfound} sockets are unknown: ${deniedPids} processes refused to show their fds even to root ` +
      "(another user namespace or a security module)"
    );
  }
  return `owners of ${unfound} sockets belong to processes of other users; run as root (sudo sockdoc ...) to see them`;
}
