/**
 * @module Finds the LISTEN socket a connection belongs to, and reads its
 * accept queue: for a LISTEN socket the kernel reports the queue length as
 * Recv-Q and the backlog as Send-Q.
 */
import { unmapIpv4 } from "../../model/endpoint.js";
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import type { ListenerInfo } from "./types.js";

const WILDCARDS = new Set(["0.0.0.0", "::", "*"]);

function rank(listener: TcpSocket, s: TcpSocket): number {
  const mine = unmapIpv4(s.local.address);
  const theirs = unmapIpv4(listener.local.address);
  if (theirs === mine) return 3;
  if (WILDCARDS.has(listener.local.address)) return listener.family === s.family ? 2 : 1;
  return 0;
}

/**
 * The listener on s's local port that would have accepted s: same address
 * first, then a wildcard of the same family, then any wildcard (a "::"
 * listener takes IPv4 too). With SO_REUSEPORT several match; the one with the
 * longest queue is the one to look at.
 */
export function findListener(listeners: readonly TcpSocket[], s: TcpSocket): TcpSocket | null {
  let best: TcpSocket | null = null;
  let bestRank = 0;
  for (const l of listeners) {
    if (l.state !== TcpState.LISTEN || l.local.port !== s.local.port) continue;
    const r = rank(l, s);
    if (r > bestRank || (r === bestRank && r > 0 && best !== null && l.recvQ > best.recvQ)) {
      best = l;
      bestRank = r;
    }
  }
  return best;
}

/**
 * backlogKnown: the source reports a listener's backlog as its Send-Q
 * (netlink sock_diag, ss). /proc/net/tcp prints write_seq - snd_una there
 * instead, always 0 for a listener, so the backlog is unknown.
 */
export function listenerInfo(l: TcpSocket, backlogKnown: boolean): ListenerInfo {
  const owner = l.owners?.[0] ?? null;
  return {
    local: { address: l.local.address, port: l.local.port },
    backlog: backlogKnown ? l.sendQ : null,
    acceptQueue: l.recvQ,
    // sk_acceptq_is_full(): the queue may hold backlog + 1 before SYNs are dropped.
    full: backlogKnown ? l.recvQ > l.sendQ : null,
    ownerPid: owner?.pid ?? null,
    ownerComm: owner?.comm ?? null,
  };
}

/** Ports with a listener: connections on them are incoming. */
export function listeningPorts(sockets: readonly TcpSocket[]): Set<number> {
  const ports = new Set<number>();
  for (const s of sockets) if (s.state === TcpState.LISTEN) ports.add(s.local.port);
  return ports;
}
