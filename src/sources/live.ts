/**
 * @module Takes a snapshot of the live host: sockets from netlink (or
 * /proc/net/tcp when the addon or netlink is unavailable), filtered, with
 * owners when asked. The one place that decides which source is used.
 */
import type { Family } from "../model/endpoint.js";
import { InputError, UsageError } from "../model/errors.js";
import type { Snapshot, SourceInfo } from "../model/snapshot.js";
import type { TcpSocket } from "../model/socket.js";
import { TcpState } from "../model/tcp-state.js";
import { readHostFacts } from "./host-facts.js";
import { loadNative, type NativeAddon } from "./native.js";
import { findOwners } from "./owners.js";
import { readProcNetTcp } from "./proc-net-tcp.js";
import type { ProcFs } from "./procfs.js";
import {
  type BriefVisitor,
  type DiagPass,
  readSockDiag,
  visitSockDiag,
  visitSockDiagPasses,
} from "./sock-diag.js";

export type SourceChoice = "auto" | "netlink" | "proc";

export interface LiveRequest {
  proc: ProcFs;
  statesMask: number;
  families: Family[];
  source: SourceChoice;
  /** Look up owning processes of the sockets that pass the filter. */
  owners: boolean;
  filter?: (s: TcpSocket) => boolean;
}

interface Read {
  sockets: TcpSocket[];
  source: SourceInfo;
  warnings: string[];
}

const NETLINK_SOURCE: SourceInfo = { kind: "netlink", detail: "netlink sock_diag" };

/** The snapshot without its sockets: what a streaming read still reports. */
export type SnapshotHeader = Omit<Snapshot, "sockets">;

/**
 * Streams state, local port and peer of every socket to visit straight from
 * netlink, without building sockets: the fast path for counts. Returns null
 * (having visited nothing) when netlink cannot be used here; the caller then
 * takes a full snapshot, which falls back to /proc and says why.
 */
export function visitLive(
  req: Omit<LiveRequest, "owners" | "filter">,
  visit: BriefVisitor,
): SnapshotHeader | null {
  if (req.statesMask === 0) return null;
  return streamNetlink(req, (addon) => visitSockDiag(addon, req.statesMask, req.families, visit));
}

/**
 * Like visitLive, in passes (sock-diag.ts visitSockDiagPasses): every socket
 * of each pass's states reaches its visitor through a reusable cursor that
 * reads fields on demand. Null (nothing visited) when netlink cannot be used.
 */
export function visitLivePasses(
  req: Omit<LiveRequest, "owners" | "filter" | "statesMask">,
  passes: readonly DiagPass[],
): SnapshotHeader | null {
  if (passes.every((p) => p.statesMask === 0)) return null;
  return streamNetlink(req, (addon) => visitSockDiagPasses(addon, req.families, passes));
}

/**
 * Runs a streaming read on netlink. Null, without reading, when the /proc
 * source is asked for (or implied by a fake --proc-root) or the addon is
 * missing; null too when the dump fails or its reply does not parse, after
 * which visitors may have seen part of the sockets: callers start over from
 * a full snapshot, which retries and says why.
 */
function streamNetlink(
  req: Pick<LiveRequest, "proc" | "source">,
  read: (addon: NativeAddon) => void,
): SnapshotHeader | null {
  if (req.source === "proc" || req.proc.root !== "/proc") return null;
  const { addon } = loadNative();
  if (!addon) return null;
  try {
    read(addon);
  } catch (err) {
    // Anything but a failed syscall or a bad reply is a bug in a visitor: let it surface.
    if (err instanceof InputError || typeof (err as NodeJS.ErrnoException).syscall === "string") return null;
    throw err;
  }
  return {
    host: readHostFacts(req.proc),
    source: NETLINK_SOURCE,
    takenAt: Date.now(),
    ownersResolved: false,
    warnings: [],
  };
}

function readNetlink(req: LiveRequest): Read | string {
  const { addon, error } = loadNative();
  if (!addon) return error ?? "native addon unavailable";
  try {
    return {
      sockets: readSockDiag(addon, req.statesMask, req.families),
      source: NETLINK_SOURCE,
      warnings: [],
    };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return `netlink sock_diag failed (${e.code ?? e.message})`;
  }
}

function readProc(req: LiveRequest): Read {
  try {
    const { sockets, warnings } = readProcNetTcp(req.proc, req.families, req.statesMask);
    return { sockets, source: { kind: "proc", detail: `${req.proc.path("net", "tcp")}{,6}` }, warnings };
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`cannot read ${req.proc.path("net", "tcp")}: ${e.code ?? e.message}`, {
      cause: err,
    });
  }
}

function readSockets(req: LiveRequest): Read {
  // A filter no state can pass (e.g. "exclude all"): nothing to read.
  if (req.statesMask === 0)
    return { sockets: [], source: { kind: "netlink", detail: "none (empty state set)" }, warnings: [] };
  // netlink sees the live kernel, so a fixture --proc-root implies the /proc source.
  const fakeRoot = req.proc.root !== "/proc";
  if (req.source === "proc" || (req.source === "auto" && fakeRoot)) return readProc(req);
  if (req.source === "netlink" && fakeRoot) {
    throw new UsageError("--source netlink reads the live kernel and cannot be combined with --proc-root");
  }
  const viaNetlink = readNetlink(req);
  if (typeof viaNetlink !== "string") return viaNetlink;
  if (req.source === "netlink") throw new InputError(viaNetlink);
  const viaProc = readProc(req);
  viaProc.warnings.unshift(`${viaNetlink}; read /proc/net/tcp instead (slower, no socket cookies)`);
  return viaProc;
}

function attachOwners(req: LiveRequest, sockets: TcpSocket[], warnings: string[]): void {
  const inodes: number[] = [];
  for (const s of sockets) if (s.inode) inodes.push(s.inode);
  const found = findOwners(req.proc, inodes, { native: loadNative().addon });
  warnings.push(...found.warnings);
  for (const s of sockets) {
    // A socket without an inode has no fd anywhere (TIME_WAIT, orphaned, not accepted).
    if (!s.inode) s.owners = s.state === TcpState.TIME_WAIT ? null : [];
    else s.owners = found.byInode.get(s.inode) ?? [];
  }
}

export function takeLiveSnapshot(req: LiveRequest): Snapshot {
  const read = readSockets(req);
  const takenAt = Date.now();
  const sockets = req.filter ? read.sockets.filter(req.filter) : read.sockets;
  const warnings = [...read.warnings];
  if (req.owners) attachOwners(req, sockets, warnings);
  return {
    sockets,
    host: readHostFacts(req.proc),
    source: read.source,
    takenAt,
    ownersResolved: req.owners,
    warnings,
  };
}
