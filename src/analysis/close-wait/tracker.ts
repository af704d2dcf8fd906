/**
 * @module Follows CLOSE_WAIT sockets across samples: when each was first
 * seen, which appeared and which went away, and each holder's count over
 * time. No I/O: the caller feeds it snapshots with their times.
 */
import { formatEndpoint } from "../../model/endpoint.js";
import type { TcpSocket } from "../../model/socket.js";

/**
 * Who a socket is charged to: its owning process ("pid:N"), the accept
 * queue of its port when nobody holds it yet ("queue:PORT"), or "unknown".
 */
export function holderOf(s: TcpSocket): string {
  return holderName(holderNumber(s));
}

/**
 * holderOf as a number, for a hot loop that names holders only at the end:
 * the lowest owner pid; -1 - port for the accept queue; 0 unknown.
 */
export function holderNumber(s: TcpSocket): number {
  const owners = s.owners;
  if (owners && owners.length > 0) {
    let pid = owners[0]!.pid;
    for (let i = 1; i < owners.length; i++) pid = Math.min(pid, owners[i]!.pid);
    return pid;
  }
  return s.inode === 0 ? -1 - s.local.port : 0;
}

/** The name of a holderNumber. */
export function holderName(holder: number): string {
  if (holder > 0) return `pid:${holder}`;
  return holder === 0 ? "unknown" : `queue:${-1 - holder}`;
}

/**
 * Stable identity across samples: the kernel cookie when the source gives
 * one, else the inode, else the 4-tuple (sockets still in the accept queue
 * have no inode).
 */
export function socketKey(s: TcpSocket): string {
  if (s.cookie) return `c${s.cookie}`;
  if (s.inode) return `i${s.inode}`;
  return `t${formatEndpoint(s.local)}-${formatEndpoint(s.remote)}`;
}

export interface HolderHistory {
  /** [sample time ms, count] for each sample since the holder was first seen (bounded). */
  series: Array<[number, number]>;
  /** Sockets first seen after the first sample. */
  added: number;
  /** Sockets that were seen and are gone (closed by the app, the peer or sockdoc kill). */
  gone: number;
  /** First-seen time (ms) of the oldest socket present now; null when none. */
  oldestFirstSeen: number | null;
}

export interface Seen {
  firstSeen: number;
  holder: string;
}

/**
 * Where the tracker keeps the sockets of the last sample (key -> when first
 * seen, who held it): in memory for one run; a store on disk lets a restarted
 * watcher resume the ages.
 */
export interface SeenStore {
  /** The sockets of the previous sample. */
  previous(): ReadonlyMap<string, Seen>;
  /** This sample's sockets replace them. */
  replace(current: Map<string, Seen>, at: number): void;
}

export class MemorySeenStore implements SeenStore {
  private seen = new Map<string, Seen>();
  previous(): ReadonlyMap<string, Seen> {
    return this.seen;
  }
  replace(current: Map<string, Seen>): void {
    this.seen = current;
  }
}

export class CloseWaitTracker {
  private histories = new Map<string, HolderHistory>();
  private samples = 0;
  firstAt: number | null = null;
  lastAt: number | null = null;

  /** maxPoints bounds memory in --watch: the growth rate uses the most recent points. */
  constructor(
    private readonly maxPoints = 120,
    private readonly store: SeenStore = new MemorySeenStore(),
  ) {}

  get sampleCount(): number {
    return this.samples;
  }

  /**
   * One sample's CLOSE_WAIT sockets. scope names the network namespace they
   * were read in: a cookie is unique only within one.
   */
  add(at: number, sockets: readonly TcpSocket[], scope = ""): void {
    const seen = this.store.previous();
    const current = new Map<string, Seen>();
    const counts = new Map<string, number>();
    for (const s of sockets) {
      const key = `${scope}/${socketKey(s)}`;
      const holder = holderOf(s);
      const before = seen.get(key);
      current.set(key, { firstSeen: before?.firstSeen ?? at, holder });
      counts.set(holder, (counts.get(holder) ?? 0) + 1);
      if (!before && this.samples > 0) this.history(holder).added++;
    }
    for (const [key, was] of seen) if (!current.has(key)) this.history(was.holder).gone++;
    this.store.replace(current, at);
    for (const holder of counts.keys()) this.history(holder);
    for (const [holder, h] of this.histories) {
      h.series.push([at, counts.get(holder) ?? 0]);
      if (h.series.length > this.maxPoints) h.series.shift();
      h.oldestFirstSeen = null;
    }
    for (const { firstSeen, holder } of current.values()) {
      const h = this.history(holder);
      if (h.oldestFirstSeen === null || firstSeen < h.oldestFirstSeen) h.oldestFirstSeen = firstSeen;
    }
    this.samples++;
    this.firstAt ??= at;
    this.lastAt = at;
  }

  private history(holder: string): HolderHistory {
    let h = this.histories.get(holder);
    if (!h) {
      // A holder that shows up mid-watch had none at the previous sample.
      const series: Array<[number, number]> = this.lastAt === null ? [] : [[this.lastAt, 0]];
      h = { series, added: 0, gone: 0, oldestFirstSeen: null };
      this.histories.set(holder, h);
    }
    return h;
  }

  get(holder: string): HolderHistory | undefined {
    return this.histories.get(holder);
  }

  holders(): string[] {
    return [...this.histories.keys()];
  }
}
