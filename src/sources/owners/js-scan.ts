/**
 * @module The pure-JavaScript /proc/PID/fd walk: the fallback when the native
 * addon is not built. Same contract as NativeAddon.scanSocketFds.
 */
import { readlinkSync } from "node:fs";
import type { ProcFs } from "../procfs.js";
import { processExited } from "./exited.js";

/** Socket fds found, as parallel arrays in scan order (pid ascending as /proc lists them). */
export interface FdHits {
  pids: ArrayLike<number>;
  fds: ArrayLike<number>;
  inodes: ArrayLike<number>;
  /** Processes whose fds could not be read (EACCES) though they still ran: other users'. */
  deniedPids: number;
  /** Processes that exited while the scan read them: neither refused nor owners any more. */
  gonePids: number;
}

/** A process or fd that went away between listing and reading: not worth a word. */
function vanished(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ESRCH" || code === "ENOTDIR";
}

function denied(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM";
}

/** Inode of a "socket:[N]" link target, or -1. */
export function socketInode(link: string): number {
  if (!link.startsWith("socket:[") || link.charCodeAt(link.length - 1) !== 93) return -1;
  const n = Number(link.slice(8, -1));
  return Number.isSafeInteger(n) && n > 0 ? n : -1;
}

/**
 * Walk every pid's fd directory, reporting fds that are sockets with an inode
 * in wanted. Stops after the process in which the last wanted inode was seen
 * (so all of that process's fds are reported).
 */
export function scanSocketFdsJs(proc: ProcFs, wanted: { has(inode: number): boolean; size: number }): FdHits {
  const pids: number[] = [];
  const fds: number[] = [];
  const inodes: number[] = [];
  let deniedPids = 0;
  let gonePids = 0;
  const found = new Set<number>();
  // A refusal or a missing directory: the process exited, or it is not ours.
  const unreadable = (pid: number, err: unknown): void => {
    if (processExited(proc, pid)) gonePids++;
    else if (denied(err)) deniedPids++;
  };
  for (const pid of proc.pids()) {
    const dir = proc.path(pid, "fd");
    let names: string[];
    try {
      names = proc.list(pid, "fd");
    } catch (err) {
      if (denied(err) || vanished(err)) unreadable(pid, err);
      else throw err;
      continue;
    }
    for (const name of names) {
      let link: string;
      try {
        link = readlinkSync(`${dir}/${name}`);
      } catch (err) {
        if (denied(err)) {
          unreadable(pid, err);
          break;
        }
        // Closed since the listing; EINVAL: not a symlink, which only a hand-made tree can show.
        if (vanished(err) || (err as NodeJS.ErrnoException).code === "EINVAL") continue;
        throw err;
      }
      const inode = socketInode(link);
      if (inode < 0 || !wanted.has(inode)) continue;
      pids.push(pid);
      fds.push(Number(name));
      inodes.push(inode);
      found.add(inode);
    }
    if (found.size >= wanted.size) break;
  }
  return { pids, fds, inodes, deniedPids, gonePids };
}
