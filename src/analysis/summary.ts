/**
 * @module Counts per state and the top local ports, peers and owners: the
 * first look at a host. Pure.
 */
import type { TcpSocket } from "../model/socket.js";
import { ALL_STATES, stateName, TcpState } from "../model/tcp-state.js";

export interface Count<K> {
  key: K;
  count: number;
}

export interface Summary {
  total: number;
  /** Canonical state name -> count, kernel order, non-zero only. */
  states: Record<string, number>;
  topLocalPorts: Array<{ port: number; count: number }>;
  topPeers: Array<{ address: string; count: number }>;
  /** null when owners were not looked up. */
  topOwners: Array<{ pid: number; comm: string; count: number }> | null;
}

/** The n largest entries of a count map, largest first, ties by key. */
export function topCounts<K>(counts: Map<K, number>, n: number): Array<Count<K>> {
  const all: Array<Count<K>> = [];
  for (const [key, count] of counts) all.push({ key, count });
  all.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return all.slice(0, n);
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export function countStates(sockets: readonly TcpSocket[]): Record<string, number> {
  const byNumber = new Array<number>(16).fill(0);
  for (const s of sockets) {
    const i = s.state === TcpState.NEW_SYN_RECV ? TcpState.SYN_RECV : s.state;
    byNumber[i] = (byNumber[i] ?? 0) + 1;
  }
  const states: Record<string, number> = {};
  for (const state of ALL_STATES) {
    const n = byNumber[state] ?? 0;
    if (n > 0) states[stateName(state)] = n;
  }
  return states;
}

export function summarize(sockets: readonly TcpSocket[], topN = 5, ownersResolved = false): Summary {
  const ports = new Map<number, number>();
  const peers = new Map<string, number>();
  const owners = new Map<number, number>();
  const comms = new Map<number, string>();
  for (const s of sockets) {
    if (s.state === TcpState.LISTEN) continue;
    bump(ports, s.local.port);
    bump(peers, s.remote.address);
    if (s.owners) {
      for (const o of s.owners) {
        bump(owners, o.pid);
        comms.set(o.pid, o.comm);
      }
    }
  }
  return {
    total: sockets.length,
    states: countStates(sockets),
    topLocalPorts: topCounts(ports, topN).map(({ key, count }) => ({ port: key, count })),
    topPeers: topCounts(peers, topN).map(({ key, count }) => ({ address: key, count })),
    topOwners: ownersResolved
      ? topCounts(owners, topN).map(({ key, count }) => ({ pid: key, comm: comms.get(key) ?? "?", count }))
      : null,
  };
}
