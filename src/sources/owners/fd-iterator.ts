/**
 * @module The BPF socket fd iterator as an owner source: the kernel walks
 * every task's file table and hands over (pid, fd, inode) per socket, one
 * read per ~2,000 sockets, where the /proc walk pays a readlink per fd
 * (~2 µs each: 0.4 s of CPU for a host holding 200,000 fds). Opened once per
 * process and kept (a scrape after scrape reuses the loaded program); the
 * BTF read, its offsets and the load cost ~40 ms once.
 *
 * Used only where its pids are the ones /proc names: sockdoc is root, /proc
 * is the host's procfs, and sockdoc's pid namespace is the initial one (the
 * program reports global pids). It finds the walk's owners and more: every
 * holder of a shared socket (the walk stops at the first), and the sockets
 * of a process whose main thread exited (its /proc/PID/fd is empty).
 * SOCKDOC_OWNERS=walk turns it off (to compare, or on a kernel where it
 * misbehaves); SOCKDOC_OWNERS=bpf uses it on a small host too.
 *
 * Loading it costs about what the walk pays for 20,000 fds, so it is loaded
 * only once the host has that many files open (fs.file-nr, host-wide: what
 * the walk would read); below that the walk is quicker. Once loaded, it is
 * used for good.
 */
import { readFileSync, readlinkSync } from "node:fs";
import { fdIteratorOffsets } from "../bpf/fd-offsets.js";
import { kernelBtf } from "../bpf/kernel-btf.js";
import { KeptProgram, type ProgramLoad } from "../bpf/kept-program.js";
import { loadProgram } from "../bpf/load-program.js";
import type { BpfSocketFdIterHandle, NativeAddon } from "../native.js";
import type { ProcFs } from "../procfs.js";

/** The initial pid namespace's inode (PROC_PID_INIT_INO): pids there are the kernel's own. */
const INITIAL_PID_NAMESPACE = "pid:[4026531836]";

/** Open files on the host below which the walk costs less than loading the iterator (~40 ms). */
export const ITERATOR_WORTH_FILES = 20_000;

/** Files open on the host (the first field of /proc/sys/fs/file-nr), or null when unreadable. */
function openFiles(): number | null {
  try {
    const n = Number(readFileSync("/proc/sys/fs/file-nr", "latin1").split(/\s+/)[0]);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

function inInitialPidNamespace(): boolean {
  try {
    return readlinkSync("/proc/self/ns/pid") === INITIAL_PID_NAMESPACE;
  } catch {
    return false;
  }
}

/** Why the iterator cannot serve proc here (null: it can be tried). */
function ineligible(native: NativeAddon, proc: ProcFs): string | null {
  if (process.env.SOCKDOC_OWNERS === "walk") return "SOCKDOC_OWNERS=walk";
  if (!native.BpfSocketFdIter) return "the addon predates the fd iterator";
  if (proc.root !== "/proc" || !proc.isProcfs()) return "not the host's /proc";
  if (process.geteuid?.() !== 0) return "not root";
  if (!inInitialPidNamespace()) return "sockdoc runs in a pid namespace of its own";
  return null;
}

function open(native: NativeAddon): ProgramLoad<BpfSocketFdIterHandle> {
  const btf = kernelBtf();
  if ("error" in btf) return { handle: null, reason: `no BTF (${btf.error})` };
  const found = fdIteratorOffsets(btf.btf);
  if ("missing" in found) return { handle: null, reason: `the kernel's BTF lacks ${found.missing}` };
  return loadProgram(() => new native.BpfSocketFdIter!(found.offsets, found.btfId));
}

/** The iterator, or null and why not (for --debug): then the caller walks /proc. */
export interface IteratorChoice {
  iterator: BpfSocketFdIterHandle | null;
  why: string | null;
}

const kept = new KeptProgram<BpfSocketFdIterHandle>();

/** The iterator for proc, opened at the first call that may use it and kept for the process. */
export function socketFdIterator(native: NativeAddon, proc: ProcFs): IteratorChoice {
  const reason = ineligible(native, proc);
  if (reason !== null) return { iterator: null, why: reason };
  if (!kept.tried && process.env.SOCKDOC_OWNERS !== "bpf") {
    const files = openFiles();
    if (files !== null && files < ITERATOR_WORTH_FILES) {
      return { iterator: null, why: `${files} files open on the host: the walk is quicker than loading it` };
    }
  }
  const { handle, reason: why } = kept.get(() => open(native));
  return { iterator: handle, why };
}

/**
 * After a failed scan: stop using the iterator in this process (the walk
 * takes over). Returns the reason kept: the first failure's.
 */
export function dropFdIterator(reason: string): string {
  return kept.drop(`a scan failed (${reason})`);
}
