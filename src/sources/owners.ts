/**
 * @module Owners: which processes hold a socket. As root on the host's /proc,
 * from the kernel's own walk of the file tables (the BPF fd iterator,
 * owners/fd-iterator.ts); otherwise from /proc/PID/fd links
 * ("socket:[inode]"), with the native addon's walk when given one, else a
 * JavaScript walk (both stop once every wanted inode was found). The
 * iterator finds the walk's owners, and more where the walk stops early
 * (every holder of a shared socket). findOwnersAsync runs the native search off the
 * event loop, same result.
 */
import type { Owner } from "../model/socket.js";
import type { FdScanResult, NativeAddon } from "./native.js";
import { dropFdIterator, type IteratorChoice, socketFdIterator } from "./owners/fd-iterator.js";
import { InodeSet } from "./owners/inode-set.js";
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

const NOTHING_LOOKED_UP: Omit<OwnersResult, "warnings"> = {
  byInode: EMPTY,
  deniedPids: 0,
  gonePids: 0,
  closedSockets: 0,
  via: null,
  iteratorNote: null,
};

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
  /** How the owners were found: "bpf" (the fd iterator), "walk" (the addon's), "js" (the JavaScript walk); null: nothing was looked up. */
  via: OwnersVia | null;
  /** Why the BPF fd iterator did not serve (for --debug), when the addon could have run it; null otherwise. */
  iteratorNote: string | null;
}

export type OwnersVia = "bpf" | "walk" | "js";

export interface FindOwnersOptions {
  /** The addon (its scanSocketFds is used), or null/absent for the JS scan. */
  native?: NativeAddon | null;
  /** Whether sockdoc runs as root (default: the effective uid is 0); shapes the denied warning. */
  asRoot?: boolean;
  /** false: walk /proc even where the BPF fd iterator could serve (tests compare the two). */
  iterator?: boolean;
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

/** The BPF fd iterator when it may serve this search (a failed scan falls back to the walk; --debug says why). */
function iteratorChoice(proc: ProcFs, opts: FindOwnersOptions): IteratorChoice {
  if (!opts.native) return { iterator: null, why: null };
  if (opts.iterator === false) return { iterator: null, why: "not asked" };
  return socketFdIterator(opts.native, proc);
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
  const wanted = InodeSet.of(inodes);
  if (wanted.size === 0) return { ...NOTHING_LOOKED_UP, warnings: [] };
  const warnings: string[] = [];
  const { iterator, why } = iteratorChoice(proc, opts);
  let iteratorNote = why;
  let found: [FdHits, OwnersVia] | null = null;
  if (iterator) {
    try {
      found = [hitsOf(iterator.scan(wanted.sorted)), "bpf"];
    } catch (err) {
      iteratorNote = dropFdIterator((err as Error).message);
    }
  }
  if (!found && opts.native) {
    try {
      found = [hitsOf(opts.native.scanSocketFds(proc.root, wanted.sorted)), "walk"];
    } catch (err) {
      warnings.push(nativeFailed(err));
    }
  }
  found ??= [scanSocketFdsJs(proc, wanted), "js"];
  return ownersFromHits(proc, wanted, found, warnings, opts, iteratorNote);
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
  const wanted = InodeSet.of(inodes);
  if (wanted.size === 0) return { ...NOTHING_LOOKED_UP, warnings: [] };
  const warnings: string[] = [];
  const { iterator, why } = iteratorChoice(proc, opts);
  let iteratorNote = why;
  let found: [FdHits, OwnersVia] | null = null;
  if (iterator) {
    try {
      found = [hitsOf(await iterator.scanAsync(wanted.sorted)), "bpf"];
    } catch (err) {
      iteratorNote = dropFdIterator((err as Error).message);
    }
  }
  if (!found && opts.native) {
    try {
      found = [hitsOf(await opts.native.scanSocketFdsAsync(proc.root, wanted.sorted)), "walk"];
    } catch (err) {
      warnings.push(nativeFailed(err));
    }
  }
  found ??= [scanSocketFdsJs(proc, wanted), "js"];
  return ownersFromHits(proc, wanted, found, warnings, opts, iteratorNote);
}

/** The owners per inode from a scan's hits, comm read once per pid, and the warnings. */
function ownersFromHits(
  proc: ProcFs,
  wanted: InodeSet,
  [hits, via]: [FdHits, OwnersVia],
  warnings: string[],
  opts: FindOwnersOptions,
  iteratorNote: string | null,
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
  return {
    byInode,
    deniedPids: hits.deniedPids,
    gonePids: hits.gonePids,
    closedSockets,
    warnings,
    via,
    iteratorNote: via === "bpf" ? null : iteratorNote,
  };
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
