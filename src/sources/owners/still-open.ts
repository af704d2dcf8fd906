/**
 * @module Which sockets still exist, by inode, from /proc/net/tcp{,6} of the
 * same root: a socket whose owner was not found may be hidden (its process
 * refused to show its fds) or gone (its process exited or closed it while
 * the scan ran; a closed socket is destroyed or orphaned, inode 0). Only
 * the first tells anything about refusals.
 */
import type { ProcFs } from "../procfs.js";

/** The inodes of candidates still listed in /proc/net/tcp text (column 10). Pure. */
export function listedInodes(text: string, candidates: ReadonlySet<number>, into: Set<number>): void {
  let start = text.indexOf("\n") + 1; // past the header
  while (start > 0 && start < text.length) {
    const end = text.indexOf("\n", start);
    const line = text.slice(start, end < 0 ? text.length : end);
    const inode = Number(line.trim().split(/\s+/)[9]);
    if (candidates.has(inode)) into.add(inode);
    start = end < 0 ? -1 : end + 1;
  }
}

/**
 * The candidates still open, or null when neither table can be read (then
 * nothing is known and every candidate counts as still open).
 */
export function stillOpen(proc: ProcFs, candidates: ReadonlySet<number>): Set<number> | null {
  const open = new Set<number>();
  let read = false;
  for (const table of ["tcp", "tcp6"]) {
    const text = proc.tryRead("net", table);
    if (text === null) continue;
    read = true;
    listedInodes(text, candidates, open);
  }
  return read ? open : null;
}
