/**
 * @module Owners: which processes hold a socket, from /proc/PID/fd links
 * ("socket:[inode]"). Uses the native addon's scan when given one, else a
 * JavaScript walk; either way stops once every wanted inode was found.
 */
import type { Owner } from "../model/socket.js";
import type { NativeAddon } from "./native.js";
import { type FdHits, scanSocketFdsJs } from "./owners/js-scan.js";
import type { ProcFs } from "./procfs.js";

export interface OwnersResult {
  /** Owners per inode, for the inodes that were found (pid order, then fd order). */
  byInode: Map<number, Owner[]>;
  /** Processes whose fds could not be read (other users' when not root). */
  deniedPids: number;
  warnings: string[];
}

export interface FindOwnersOptions {
  /** The addon (its scanSocketFds is used), or null/absent for the JS scan. */
  native?: NativeAddon | null;
  /** Whether sockdoc runs as root (default: the effective uid is 0); shapes the denied warning. */
  asRoot?: boolean;
}

function scanNative(addon: NativeAddon, proc: ProcFs, wanted: Set<number>): FdHits {
  const sorted = Float64Array.from(wanted).sort();
  const r = addon.scanSocketFds(proc.root, sorted);
  return { pids: r.pids, fds: r.fds, inodes: r.inodes, deniedPids: r.deniedPids.length };
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
  const wanted = new Set<number>();
  for (const inode of inodes) if (inode > 0) wanted.add(inode);
  const byInode = new Map<number, Owner[]>();
  const warnings: string[] = [];
  if (wanted.size === 0) return { byInode, deniedPids: 0, warnings };

  let hits: FdHits | undefined;
  if (opts.native) {
    try {
      hits = scanNative(opts.native, proc, wanted);
    } catch (err) {
      warnings.push(`native fd scan failed (${(err as Error).message}); scanned /proc in JavaScript instead`);
    }
  }
  hits ??= scanSocketFdsJs(proc, wanted);

  const comms = new Map<number, string>();
  for (let i = 0; i < hits.inodes.length; i++) {
    const inode = hits.inodes[i] as number;
    if (!wanted.has(inode)) continue;
    const pid = hits.pids[i] as number;
    let comm = comms.get(pid);
    if (comm === undefined) {
      // "?" as ps prints it: the process exited between the scan and this read.
      comm = proc.tryRead(pid, "comm")?.trim() || "?";
      comms.set(pid, comm);
    }
    const owner: Owner = { pid, comm, fd: hits.fds[i] as number };
    const list = byInode.get(inode);
    if (list) list.push(owner);
    else byInode.set(inode, [owner]);
  }

  const unfound = wanted.size - byInode.size;
  if (unfound > 0 && hits.deniedPids > 0) {
    warnings.push(deniedWarning(unfound, hits.deniedPids, opts.asRoot ?? process.geteuid?.() === 0));
  }
  return { byInode, deniedPids: hits.deniedPids, warnings };
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
