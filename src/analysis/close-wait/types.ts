/**
 * @module The shapes the CLOSE_WAIT analysis works with: what it needs to
 * know about an owning process, and the groups, listeners and findings it
 * produces. Plain data; the JSON output is built from these.
 */
import type { Endpoint } from "../../model/endpoint.js";

/** Why a group of CLOSE_WAIT sockets is stuck, from Recv-Q and the inode (see cause.ts). */
export type Cause = "eof-not-closed" | "fin-unread" | "data-unread" | "not-accepted";

export const CAUSES: readonly Cause[] = ["eof-not-closed", "fin-unread", "data-unread", "not-accepted"];

export type { Direction } from "../../model/direction.js";
import type { Direction } from "../../model/direction.js";

export interface ThreadFacts {
  tid: number;
  name: string;
  /** State letter from /proc/PID/task/TID/stat: R, S, D, T, t, Z, X, I. */
  state: string;
  /** Kernel function the thread sleeps in ("0" or "" when running); null when unreadable. */
  wchan: string | null;
}

/** What /proc says about one owning process; any field may be unknown (null). */
export interface ProcessFacts {
  pid: number;
  comm: string;
  /** argv joined by spaces; null when unreadable or empty (kernel thread, zombie). */
  cmdline: string | null;
  uid: number | null;
  user: string | null;
  /** systemd unit (e.g. "tomcat.service") from /proc/PID/cgroup. */
  unit: string | null;
  /** Container id (docker, containerd, podman, kubepods) from /proc/PID/cgroup. */
  container: string | null;
  /** Open fds now (entries of /proc/PID/fd). */
  fdCount: number | null;
  /** Soft "Max open files" from /proc/PID/limits; null for unlimited or unknown. */
  fdLimit: number | null;
  /** null when the task directory could not be read. */
  threads: ThreadFacts[] | null;
}

/** The JSON `owner` of a group. */
export interface GroupOwner {
  pid: number;
  comm: string;
  cmdline: string | null;
  user: string | null;
  /** systemd unit, else "container:<id>", else null. */
  unit: string | null;
  uid: number | null;
}

export interface PeerCount {
  address: string;
  count: number;
}

/** The LISTEN socket a not-accepted connection is queued on. */
export interface ListenerInfo {
  local: Endpoint;
  /**
   * Maximum accept queue length: Send-Q of the LISTEN socket as netlink (and
   * ss) report it; null from /proc/net/tcp, whose tx_queue is not the backlog.
   */
  backlog: number | null;
  /** Connections waiting for accept() now (Recv-Q of the LISTEN socket). */
  acceptQueue: number;
  /** The kernel refuses new connections once the queue exceeds the backlog; null when the backlog is unknown. */
  full: boolean | null;
  /** pid of the process holding the listener (null when unknown). */
  ownerPid: number | null;
  ownerComm: string | null;
}

/** One group: sockets with the same owner, direction, port and cause. */
export interface CloseWaitGroup {
  owner: GroupOwner | null;
  /** Why owner is null, in plain words (not accepted yet, other user's process, owners not looked up). */
  ownerNote: string | null;
  /** Other processes holding the same sockets (inherited fds), by pid. */
  sharedWith: number[];
  direction: Direction;
  /** The server port for incoming groups; null for outgoing groups (their local ports are ephemeral). */
  localPort: number | null;
  /** The remote service port for outgoing groups; null for incoming groups. */
  peerPort: number | null;
  /** A capture's service name for that port when its number is unknown ("dcd"; the port is then 0). */
  portService?: string;
  count: number;
  recvQ: { min: number; max: number };
  cause: Cause;
  /** fd numbers in the owner, ascending (empty when the owner is unknown). */
  fds: number[];
  peers: PeerCount[];
  /** The listener these sockets are queued on (not-accepted only). */
  listener: ListenerInfo | null;
}
