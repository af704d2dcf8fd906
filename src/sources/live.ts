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
import { loadNative } from "./native.js";
import { findOwners } from "./owners.js";
import { readProcNetTcp } from "./proc-net-tcp.js";
import type { ProcFs } from "./procfs.js";
import { type BriefVisitor, readSockDiag, visitSockDiag } from "./sock-diag.js";

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
  if (req.source === "proc" || req.proc.root !== "/proc" || req.statesMask === 0) return null;
  const { addon } = loadNative();
  if (!addon) return null;
  try {
    visitSockDiag(addon, req.statesMask, req.families, visit);
  } catch {
    return null;
  }
  return {
    host: readHostFacts(req.proc),
    source: { kind: "netlink", detail: "netlink sock_diag" },
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
      source: { kind: "netlink", detail: "netlink sock_diag" },
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
