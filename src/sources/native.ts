/**
 * @module The native addon's surface, typed once, and its loader.
 * If the addon cannot load, sockdoc falls back to /proc and says so once;
 * it never fails to run because of the addon.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { installRoot } from "./install-root.js";

/** Result of a socket-fd scan, as parallel arrays (cheap to pass from C++). */
export interface FdScanResult {
  pids: Int32Array;
  fds: Int32Array;
  inodes: Float64Array;
  /** Pids whose fd directory could not be read (EACCES): other users' processes. */
  deniedPids: Int32Array;
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
  InetDiagStream: new (dumps: Array<[number, number, Buffer?]>, lanes: number[]) => InetDiagStreamHandle;
  /**
   * SOCK_DESTROY one socket. request is a struct inet_diag_req_v2 built by
   * TypeScript (family, protocol, states, exact id with cookie). Returns 0 on
   * success or the positive errno the kernel answered (ENOENT, EOPNOTSUPP, EPERM...).
   */
  inetDiagDestroy(request: Buffer, netnsPath?: string): number;
  /**
   * Walk procRoot/<pid>/fd and report every fd that is a socket whose inode is
   * in wanted (sorted ascending; null = every socket). Stops early once every
   * wanted inode was seen. Vanishing processes and fds are skipped.
   */
  scanSocketFds(procRoot: string, wanted: Float64Array | null): FdScanResult;
}

/** A running InetDiagStream. */
export interface InetDiagStreamHandle {
  /**
   * Dump index's next chunk (whole messages, same bytes as inetDiagDump
   * returns, cut between datagrams), or null once it is done. Blocks until
   * the kernel has filled one. Throws the dump's error (Node-style) at its end.
   */
  next(index: number): Buffer | null;
  /** Stops the dumps still running and frees their chunks; next() may not follow. */
  close(): void;
}

let cached: { addon: NativeAddon | null; error: string | null } | undefined;

function candidatePaths(): string[] {
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

/** The calls sockdoc uses; an addon missing one was built from older sources. */
const REQUIRED_CALLS = ["inetDiagDump", "InetDiagStream", "inetDiagDestroy", "scanSocketFds"] as const;

/** Loads one built addon file, refusing one that lacks a call (a pull without a rebuild). */
export function loadAddonFile(path: string): { addon: NativeAddon | null; error: string | null } {
  try {
    const addon = createRequire(import.meta.url)(path) as Partial<NativeAddon>;
    const missing = REQUIRED_CALLS.filter((name) => typeof addon[name] !== "function");
    if (missing.length === 0) return { addon: addon as NativeAddon, error: null };
    return {
      addon: null,
      error: `${path} is out of date (no ${missing.join(", ")}); run "npm run install" to rebuild it`,
    };
  } catch (err) {
    return { addon: null, error: `cannot load ${path}: ${(err as Error).message}` };
  }
}
