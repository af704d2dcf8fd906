/**
 * @module Snapshot: the sockets one source saw at one moment, with the host
 * facts every analysis needs. Produced by sources/ and capture/, read by analysis/.
 */
import type { TcpSocket } from "./socket.js";

export type SourceKind = "netlink" | "proc" | "capture";

export interface SourceInfo {
  kind: SourceKind;
  /** Human description: "netlink sock_diag", "/proc/net/tcp", "capture: ss.txt (ss)". */
  detail: string;
}

export interface HostFacts {
  hostname: string;
  /** Kernel release, e.g. "6.1.0-18-amd64"; null for captures that do not say. */
  kernel: string | null;
  /** sysctl values read (dotted names, e.g. "net.ipv4.tcp_tw_reuse"). */
  sysctls: Record<string, string>;
}

export interface Snapshot {
  sockets: TcpSocket[];
  host: HostFacts;
  source: SourceInfo;
  /** Milliseconds since the epoch when the sockets were read. */
  takenAt: number;
  /** Whether owners were looked up (so owners: [] means "none found"). */
  ownersResolved: boolean;
  warnings: string[];
}
