/**
 * @module The native addon's surface, typed once, and its loader.
 * If the addon cannot load, sockdoc falls back to /proc and says so once;
 * it never fails to run because of the addon.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { installRoot } from "./install-root.js";
import type { FdOffsets } from "./bpf/fd-offsets.js";
import type { TcpOffsets } from "./bpf/tcp-offsets.js";
import type { SockOffsets } from "./bpf/sock-offsets.js";
import { addonFileDamage } from "./native-file.js";

/** Result of a socket-fd scan, as parallel arrays (cheap to pass from C++). */
export interface FdScanResult {
  pids: Int32Array;
  fds: Int32Array;
  inodes: Float64Array;
  /** Pids whose fds could not be read (EACCES) though they still ran: other users' processes. */
  deniedPids: Int32Array;
  /**
   * Pids that exited while the scan read them (their directory or fds went
   * away, or they were zombies). Not refusals: a reaped process's fd links
   * answer EACCES even to root, so this is told apart from deniedPids.
   */
  gonePids: Int32Array;
}

export interface NativeAddon {
  /**
   * Dump TCP sockets of one family (2 = AF_INET, 10 = AF_INET6; 0 = both in
   * one walk of the kernel's tables, through the older TCPDIAG_GETSOCK
   * request, or one dump per family where the kernel refuses it) whose state
   * bit is set in statesMask (kernel idiag_states), with no extensions.
   * Returns the raw netlink messages (struct nlmsghdr + struct inet_diag_msg)
   * concatenated; decoding lives in sources/sock-diag.ts. Throws an Error with
   * code/errno/syscall like Node's own on failure.
   */
  inetDiagDump(family: number, statesMask: number, bytecode?: Buffer): Buffer;
  /**
   * Several dumps at once: dumps[i] is [family, statesMask] or [family,
   * statesMask, bytecode] (an INET_DIAG_REQ_BYTECODE filter), lanes[i] the
   * thread that runs it (a lane runs its dumps in order). The kernel does a
   * dump's work in the receiving thread, so lanes spread it over the cores,
   * and next() hands over chunks while the rest is still being made.
   */
  InetDiagStream: new (
    dumps: StreamRequest[],
    lanes: number[],
    /** A network namespace to dump (a path setns() can enter); absent: sockdoc's own. */
    netnsPath?: string,
    /** Per dump, the BpfTcpIter that reads it instead of netlink (no bytecode then), or undefined. */
    iterators?: Array<BpfTcpIterHandle | undefined>,
  ) => InetDiagStreamHandle;
  /**
   * SOCK_DESTROY one socket. request is a struct inet_diag_req_v2 built by
   * TypeScript (family, protocol, states, exact id with cookie). Returns 0 on
   * success or the positive errno the kernel answered (ENOENT, EOPNOTSUPP, EPERM...).
   */
  inetDiagDestroy(request: Buffer, netnsPath?: string): number;
  /**
   * SOCK_DESTROY many sockets, in order, through one netlink socket, on a
   * libuv pool thread (the event loop keeps running). requests are 56-byte
   * struct inet_diag_req_v2 buffers as for inetDiagDestroy (copied at the
   * call). Resolves to one answer per request: 0 destroyed, a positive errno
   * the kernel answered for that socket, or a negative errno where the netlink
   * channel itself failed; that stops the batch, and every later request
   * carries the same negative value (not attempted). Rejects only for bad
   * arguments (TypeError/RangeError, thrown synchronously).
   */
  inetDiagDestroyBatchAsync(requests: readonly Buffer[], netnsPath?: string): Promise<Int32Array>;
  /**
   * Each file's content as a process inside the network namespace at
   * netnsPath reads it (null: missing or unreadable); /proc/sys/net answers
   * per namespace. Read on a thread of its own, which enters the namespace.
   * Throws (Node-style, syscall "open" or "setns") when it cannot enter.
   */
  readFilesInNetns(netnsPath: string, paths: string[]): Array<string | null>;
  /**
   * Walk procRoot/<pid>/fd and report every fd that is a socket whose inode is
   * in wanted (sorted ascending; null = every socket). Stops early once every
   * wanted inode was seen. Vanishing fds are skipped; processes that exited
   * during the walk are listed in gonePids, refusals in deniedPids.
   */
  scanSocketFds(procRoot: string, wanted: Float64Array | null): FdScanResult;
  /**
   * scanSocketFds on a libuv pool thread (plus its own helper threads), so
   * the event loop keeps running: same arguments (wanted is copied at the
   * call) and same result. Rejects with a Node-style system error (code,
   * errno, syscall) when procRoot cannot be read.
   */
  scanSocketFdsAsync(procRoot: string, wanted: Float64Array | null): Promise<FdScanResult>;
  /**
   * Loads the TCP state-change program (assembled in native/bpf-state-program.cc
   * with these struct sock offsets), attaches it to sock:inet_sock_set_state
   * (BPF_RAW_TRACEPOINT_OPEN) and reads its ring buffer on a thread of its
   * own. filter.stateMask keeps new states by bit (1 << state), filter.netnsInode
   * one namespace (0: all), both in the kernel. Throws Node-style errors
   * (EPERM without CAP_BPF/CAP_PERFMON; a verifier refusal carries verifierLog).
   */
  BpfStateTracer: new (
    offsets: SockOffsets,
    filter: { stateMask: number; netnsInode: number },
  ) => BpfStateTracerHandle;
  /**
   * Loads the socket fd iterator (native/bpf-fd-program.cc) for the kernel's
   * bpf_iter_task_file (btfId: that function's BTF id) and links it. Throws
   * Node-style errors as BpfStateTracer does. Optional: an addon built
   * before it existed still loads (owners then come from the /proc walk).
   */
  BpfSocketFdIter?: new (offsets: FdOffsets, btfId: number) => BpfSocketFdIterHandle;
  /**
   * Loads the tcp iterator (native/bpf-tcp-program.cc) for the kernel's
   * bpf_iter_tcp (btfId: that function's BTF id; hz: the kernel's jiffies per
   * second) and links it. Given to an InetDiagStream for a dump, it reads
   * that dump's sockets instead of netlink. Optional, as BpfSocketFdIter.
   */
  BpfTcpIter?: new (offsets: TcpOffsets, btfId: number, hz: number) => BpfTcpIterHandle;
}

/** A loaded tcp iterator: InetDiagStream reads through it; close() unloads it once no dump uses it. */
export interface BpfTcpIterHandle {
  close(): void;
}

/**
 * The socket fd iterator: scan() lists every (process, fd) holding a wanted
 * socket, as scanSocketFds does, from the kernel's own walk of the tasks
 * (one read per ~2,000 sockets instead of a readlink per fd). deniedPids and
 * gonePids stay empty: the kernel sees every process.
 */
export interface BpfSocketFdIterHandle {
  scan(wanted: Float64Array | null): FdScanResult;
  scanAsync(wanted: Float64Array | null): Promise<FdScanResult>;
  /** Unloads the program (once no scan uses it). */
  close(): void;
}

/** A running BpfStateTracer: its program stays attached until close() or exit. */
export interface BpfStateTracerHandle {
  /** The 72-byte events (see sources/bpf/state-event.ts) since the last call; waits on a pool thread; null after close(). */
  nextAsync(): Promise<Buffer | null>;
  /** Events the kernel dropped (ring buffer full) or skipped (the program already running on that CPU: recursion misses). */
  lost(): number;
  /** Detaches the program and stops the reader. */
  close(): void;
}

/**
 * A dump as InetDiagStream takes it: [family, statesMask], with an
 * INET_DIAG_REQ_BYTECODE filter, and with the states the addon tallies
 * instead of handing them over (and whether per port and address too; and
 * the local ports whose tallied sockets are handed over as well).
 */
export type StreamRequest =
  | [number, number]
  | [number, number, Buffer]
  | [number, number, Buffer | undefined, number, boolean]
  | [number, number, Buffer | undefined, number, boolean, number, number];

/** A running InetDiagStream. */
export interface InetDiagStreamHandle {
  /**
   * Dump index's next chunk (whole messages, same bytes as inetDiagDump
   * returns, cut between datagrams), or null once it is done. Blocks until
   * the kernel has filled one. Throws the dump's error (Node-style) at its end.
   */
  next(index: number): Buffer | null;
  /**
   * next(index) without blocking the event loop: resolves to the same chunk
   * (or null at the dump's end), rejects with the dump's error. A chunk
   * already made settles it at once; otherwise one libuv pool thread waits for
   * the dump's lane. One pending call per dump: a second next/nextAsync of
   * the same index before it settles throws. close() while it is pending
   * settles it (a chunk made before, or a rejection with code ECANCELED) and
   * never waits for it; the stream's memory is freed when both are done.
   */
  nextAsync(index: number): Promise<Buffer | null>;
  /**
   * The dump's tally (native/state-tally.h; decoded by sock-diag/tally.ts)
   * once the dump is done, or null when it asked for none. Absent on an
   * addon built before tallies: then every socket is handed over.
   */
  tally?(index: number): Uint32Array | null;
  /**
   * Stops the dumps still running and frees their chunks; next() and
   * nextAsync() may not follow (they throw).
   */
  close(): void;
}

let cached: { addon: NativeAddon | null; error: string | null } | undefined;

/**
 * Where the addon may be. SOCKDOC_ADDON=<path> names one file instead of
 * the build directories: a test seam (a damaged copy must fall back) and a
 * way to try another build.
 */
function candidatePaths(): string[] {
  const chosen = process.env.SOCKDOC_ADDON;
  if (chosen) return [chosen];
  const root = installRoot();
  return [join(root, "build", "Release", "sockdoc.node"), join(root, "build", "Debug", "sockdoc.node")];
}

/** The addon, or null with the reason (loaded once per process). */
export function loadNative(): { addon: NativeAddon | null; error: string | null } {
  if (cached) return cached;
  if (process.env.SOCKDOC_NO_NATIVE === "1") {
    cached = { addon: null, error: "disabled by SOCKDOC_NO_NATIVE=1" };
    return cached;
  }
  const tried: string[] = [];
  for (const path of candidatePaths()) {
    if (!existsSync(path)) {
      tried.push(path);
      continue;
    }
    cached = loadAddonFile(path);
    return cached;
  }
  cached = { addon: null, error: `native addon not built (looked for ${tried.join(", ")})` };
  return cached;
}

/**
 * Loads the addon now, so a long-running command (the exporter, a watcher)
 * pays for it at start and not in its first request. Same result as
 * loadNative(), which it caches.
 */
export function preloadNative(): { addon: NativeAddon | null; error: string | null } {
  return loadNative();
}

/** The calls sockdoc uses; an addon missing one was built from older sources. */
const REQUIRED_CALLS = [
  "inetDiagDump",
  "InetDiagStream",
  "inetDiagDestroy",
  "inetDiagDestroyBatchAsync",
  "readFilesInNetns",
  "scanSocketFds",
  "scanSocketFdsAsync",
  "BpfStateTracer",
] as const;

/** Methods of InetDiagStream instances, checked on its prototype. */
const REQUIRED_STREAM_METHODS = ["next", "nextAsync", "close"] as const;

function missingCalls(addon: Partial<NativeAddon>): string[] {
  const missing: string[] = REQUIRED_CALLS.filter((name) => typeof addon[name] !== "function");
  const proto = (addon.InetDiagStream as { prototype?: Record<string, unknown> } | undefined)?.prototype;
  if (proto) {
    for (const name of REQUIRED_STREAM_METHODS) {
      if (typeof proto[name] !== "function") missing.push(`InetDiagStream.prototype.${name}`);
    }
  }
  return missing;
}

/**
 * Loads one built addon file. The file is checked first (native-file.ts): a
 * damaged one would crash the process inside dlopen. An addon that lacks a
 * call was built from older sources (a pull without a rebuild) and is refused.
 */
export function loadAddonFile(path: string): { addon: NativeAddon | null; error: string | null } {
  if (path.endsWith(".node")) {
    const damage = addonFileDamage(path);
    if (damage)
      return { addon: null, error: `${path} is damaged (${damage}); run "npm run install" to rebuild it` };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as Partial<NativeAddon>;
    const missing = missingCalls(addon);
    if (missing.length === 0) return { addon: addon as NativeAddon, error: null };
    return {
      addon: null,
      error: `${path} is out of date (no ${missing.join(", ")}); run "npm run install" to rebuild it`,
    };
  } catch (err) {
    return { addon: null, error: `cannot load ${path}: ${(err as Error).message}` };
  }
}
