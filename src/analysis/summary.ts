/**
 * @module Counts per state and the top local ports, peers and owners: the
 * first look at a host. Pure.
 */
import { portKnown } from "../model/endpoint.js";
import type { TcpSocket } from "../model/socket.js";
import type { StateTally } from "../model/state-tally.js";
import { ALL_STATES, stateName, TcpState } from "../model/tcp-state.js";

export interface Count<K> {
  key: K;
  count: number;
}

export interface Summary {
  total: number;
  /** Canonical state name -> count, kernel order, non-zero only. */
  states: Record<string, number>;
  /** service: a capture's service name whose number could not be known (port is then 0). */
  topLocalPorts: Array<{ port: number; count: number; service?: string }>;
  topPeers: Array<{ address: string; count: number }>;
  /** null when owners were not looked up. */
  topOwners: Array<{ pid: number; comm: string; count: number }> | null;
}

const byCountThenKey = <K>(a: Count<K>, b: Count<K>): number =>
  b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The n largest entries of a count map, largest first, ties by key. Keeps
 * only the best n while scanning: 60k distinct ports need no full sort.
 */
export function topCounts<K>(counts: Iterable<[K, number]>, n: number): Array<Count<K>> {
  const best: Array<Count<K>> = [];
  if (n <= 0) return best;
  for (const [key, count] of counts) {
    const entry = { key, count };
    if (best.length === n && byCountThenKey(entry, best[n - 1]!) >= 0) continue;
    let i = best.length === n ? n - 1 : best.length;
    while (i > 0 && byCountThenKey(entry, best[i - 1]!) < 0) {
      best[i] = best[i - 1]!;
      i--;
    }
    best[i] = entry;
  }
  return best;
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Accumulates a summary one socket at a time, so it can be fed from decoded
 * sockets or straight from a netlink dump without building them.
 */
export class SummaryBuilder {
  /** detail false: counts per state only (top 0: the exporter's state gauges), no port or peer tallies. */
  constructor(private readonly detail = true) {}

  private total = 0;
  private readonly byState = new Array<number>(16).fill(0);
  private readonly ports = new Uint32Array(65536);
  private readonly peers = new Map<string, number>();
  private readonly owners = new Map<number, number>();
  private readonly comms = new Map<number, string>();
  /** Local ports a capture printed as service names sockdoc cannot number ("dcd"). */
  private readonly namedPorts = new Map<string, number>();

  /** localService: the printed service name when the port number is unknown. */
  add(
    state: TcpState,
    localPort: number,
    remoteAddress: string,
    owners: TcpSocket["owners"] = null,
    localService?: string,
  ): void {
    this.total++;
    const s = state === TcpState.NEW_SYN_RECV ? TcpState.SYN_RECV : state;
    this.byState[s] = (this.byState[s] ?? 0) + 1;
    if (state === TcpState.LISTEN) return;
    if (owners) this.addOwners(owners);
    if (!this.detail) return;
    if (localService !== undefined) bump(this.namedPorts, localService);
    else this.ports[localPort]!++;
    bump(this.peers, remoteAddress);
  }

  /** Sockets counted by the addon instead of added one by one (see sources/sock-diag/tally.ts). */
  addTally(t: StateTally): void {
    t.states.forEach((n, kernelState) => {
      if (n === 0) return;
      this.total += n;
      const s = kernelState === TcpState.NEW_SYN_RECV ? TcpState.SYN_RECV : kernelState;
      this.byState[s] = (this.byState[s] ?? 0) + n;
    });
    for (const [port, n] of t.ports) this.ports[port]! += n;
    for (const [address, n] of t.peers) this.peers.set(address, (this.peers.get(address) ?? 0) + n);
  }

  /** Owners of a socket already added (non-LISTEN), known only later (after the fd walk). */
  addOwners(owners: NonNullable<TcpSocket["owners"]>): void {
    for (const o of owners) {
      bump(this.owners, o.pid);
      this.comms.set(o.pid, o.comm);
    }
  }

  result(topN: number, ownersResolved: boolean): Summary {
    const states: Record<string, number> = {};
    for (const state of ALL_STATES) {
      const n = this.byState[state] ?? 0;
      if (n > 0) states[stateName(state)] = n;
    }
    // Numbers as zero-padded text sort as numbers; names sort after them.
    const ports: Array<[string, number]> = [];
    this.ports.forEach((n, port) => {
      if (n > 0) ports.push([String(port).padStart(5, "0"), n]);
    });
    for (const [name, n] of this.namedPorts) ports.push([`~${name}`, n]);
    return {
      total: this.total,
      states,
      topLocalPorts: topCounts(ports, topN).map(({ key, count }) =>
        key.startsWith("~") ? { port: 0, count, service: key.slice(1) } : { port: Number(key), count },
      ),
      topPeers: topCounts(this.peers, topN).map(({ key, count }) => ({ address: key, count })),
      topOwners: ownersResolved
        ? topCounts(this.owners, topN).map(({ key, count }) => ({
            pid: key,
            comm: this.comms.get(key) ?? "?",
            count,
          }))
        : null,
    };
  }
}

export function summarize(sockets: readonly TcpSocket[], topN = 5, ownersResolved = false): Summary {
  const builder = new SummaryBuilder();
  for (const s of sockets) {
    builder.add(
      s.state,
      s.local.port,
      s.remote.address,
      s.owners,
      portKnown(s.local) ? undefined : s.local.service,
    );
  }
  return builder.result(topN, ownersResolved);
}
