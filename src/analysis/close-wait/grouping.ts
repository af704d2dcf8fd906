/**
 * @module Groups CLOSE_WAIT sockets by owning process, then by server port
 * (incoming) or remote service port (outgoing), then by cause; within a group,
 * peers are counted. Pure: owners come from the sockets, process details are
 * added later (report.ts).
 */
import { portKnown } from "../../model/endpoint.js";
import type { Owner, TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import { causeOf } from "./cause.js";
import { findListener, listenerInfo, listeningPorts } from "./listener.js";
import { type OwnerContext, ownerNote } from "./owner-note.js";
import type { CloseWaitGroup, Direction, PeerCount } from "./types.js";

/** net.ipv4.ip_local_port_range; the kernel's default when the host does not say. */
export interface PortRange {
  low: number;
  high: number;
}
export const DEFAULT_EPHEMERAL: PortRange = { low: 32768, high: 60999 };

export interface GroupOptions extends OwnerContext {
  ephemeral?: PortRange;
  /** The source reports a listener's backlog as Send-Q (netlink, ss; not /proc/net/tcp). */
  backlogKnown: boolean;
}

/**
 * A socket whose local port has a listener was accepted there. Without a
 * listener (it may have closed), the side whose port is outside the
 * ephemeral range is the server.
 */
export function directionOf(s: TcpSocket, listening: Set<number>, range: PortRange): Direction {
  const local = s.local.port;
  if (listening.has(local)) return "incoming";
  if (local < range.low || local > range.high) return "incoming";
  const remote = s.remote.port;
  return remote >= range.low && remote <= range.high ? "incoming" : "outgoing";
}

interface Building {
  group: CloseWaitGroup;
  peers: Map<string, number>;
}

function countPeers(peers: Map<string, number>): PeerCount[] {
  return [...peers]
    .map(([address, count]) => ({ address, count }))
    .sort((a, b) => b.count - a.count || (a.address < b.address ? -1 : 1));
}

const NO_OWNERS: readonly Owner[] = [];

/** The owners by pid (most sockets have one: no copy then). */
function byPid(owners: readonly Owner[] | null): readonly Owner[] {
  if (!owners || owners.length === 0) return NO_OWNERS;
  return owners.length === 1 ? owners : [...owners].sort((a, b) => a.pid - b.pid);
}

export function groupCloseWait(sockets: readonly TcpSocket[], opts: GroupOptions): CloseWaitGroup[] {
  const listeners = sockets.filter((s) => s.state === TcpState.LISTEN);
  const listening = listeningPorts(listeners);
  const range = opts.ephemeral ?? DEFAULT_EPHEMERAL;
  // Groups by owner pid and port first (numbers: a string key per socket
  // cost a third of the grouping at 50,000 sockets), then by the rest.
  const byPidPort = new Map<number, Building[]>();
  const groups: Building[] = [];
  for (const s of sockets) {
    if (s.state !== TcpState.CLOSE_WAIT) continue;
    const cause = causeOf(s);
    const direction = cause === "not-accepted" ? "incoming" : directionOf(s, listening, range);
    const end = direction === "incoming" ? s.local : s.remote;
    const port = end.port;
    const service = portKnown(end) ? undefined : end.service;
    // Inherited fds (fork) give several owners; the lowest pid stands for the group.
    const owners = byPid(s.owners);
    const main = owners[0] ?? null;
    const note = main ? null : ownerNote(s, opts);
    const pidPort = (main?.pid ?? 0) * 65536 + port;
    let same = byPidPort.get(pidPort);
    if (!same) byPidPort.set(pidPort, (same = []));
    let b = same.find(
      ({ group: g }) =>
        g.direction === direction && g.cause === cause && g.ownerNote === note && g.portService === service,
    );
    if (!b) {
      const listener = cause === "not-accepted" ? findListener(listeners, s) : null;
      b = {
        peers: new Map(),
        group: {
          owner: main
            ? { pid: main.pid, comm: main.comm, cmdline: null, user: null, unit: null, uid: s.uid }
            : null,
          ownerNote: note,
          sharedWith: [],
          direction,
          localPort: direction === "incoming" ? port : null,
          peerPort: direction === "outgoing" ? port : null,
          ...(service !== undefined ? { portService: service } : {}),
          count: 0,
          recvQ: { min: s.recvQ, max: s.recvQ },
          cause,
          fds: [],
          peers: [],
          listener: listener ? listenerInfo(listener, opts.backlogKnown) : null,
        },
      };
      same.push(b);
      groups.push(b);
    }
    const g = b.group;
    g.count++;
    g.recvQ.min = Math.min(g.recvQ.min, s.recvQ);
    g.recvQ.max = Math.max(g.recvQ.max, s.recvQ);
    for (const o of owners) {
      if (o.pid === main?.pid) {
        if (o.fd !== null) g.fds.push(o.fd);
      } else if (!g.sharedWith.includes(o.pid)) g.sharedWith.push(o.pid);
    }
    b.peers.set(s.remote.address, (b.peers.get(s.remote.address) ?? 0) + 1);
  }
  const out: CloseWaitGroup[] = [];
  for (const { group, peers } of groups) {
    group.fds.sort((a, b) => a - b);
    group.sharedWith.sort((a, b) => a - b);
    group.peers = countPeers(peers);
    out.push(group);
  }
  return out.sort(
    (a, b) =>
      b.count - a.count ||
      (a.owner?.pid ?? 0) - (b.owner?.pid ?? 0) ||
      (a.localPort ?? a.peerPort ?? 0) - (b.localPort ?? b.peerPort ?? 0),
  );
}
