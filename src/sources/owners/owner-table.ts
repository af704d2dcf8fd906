/**
 * @module The owners an fd walk found, per inode, kept in typed arrays: the
 * hits sorted by inode (pid order, then fd order, within one), a process
 * name per pid, and an Owner list made only when one inode is asked for. At
 * 240k sockets a Map of an array and an object per inode took about 13 MB
 * that stayed on the heap after its rows had their owners; this takes about
 * 16 bytes a hit. Read like a ReadonlyMap (get, has, size, iteration).
 */
import type { Owner } from "../../model/socket.js";
import { indexInSorted } from "./inode-set.js";

/** Hits per inode are fewer than this (an index fits in the low bits of a sort key). */
const INDEX_BITS = 2 ** 21;

export class OwnerTable implements Iterable<[number, Owner[]]> {
  /** Sorted distinct inodes, and where each one's hits start (starts[i]..starts[i + 1]). */
  private readonly inodes: Float64Array;
  private readonly starts: Uint32Array;
  private readonly pids: Int32Array;
  private readonly fds: Int32Array;

  /**
   * hits i (in walk order) whose inode is wanted; comm(pid) names a process.
   * More than 2M hits (never seen: one per socket fd) are a bug to surface.
   */
  constructor(
    hits: { pids: ArrayLike<number>; fds: ArrayLike<number>; inodes: ArrayLike<number> },
    wanted: { has(inode: number): boolean },
    private readonly comms: ReadonlyMap<number, string>,
  ) {
    if (hits.inodes.length >= INDEX_BITS) throw new Error(`OwnerTable: ${hits.inodes.length} fd hits`);
    const keys = new Float64Array(hits.inodes.length);
    let n = 0;
    for (let i = 0; i < hits.inodes.length; i++) {
      const inode = hits.inodes[i]!;
      if (wanted.has(inode)) keys[n++] = inode * INDEX_BITS + i;
    }
    const sorted = keys.subarray(0, n).sort();
    this.pids = new Int32Array(n);
    this.fds = new Int32Array(n);
    const inodes = new Float64Array(n);
    const starts = new Uint32Array(n + 1);
    let distinct = 0;
    for (let k = 0; k < n; k++) {
      const key = sorted[k]!;
      const inode = Math.floor(key / INDEX_BITS);
      const i = key - inode * INDEX_BITS;
      if (distinct === 0 || inodes[distinct - 1] !== inode) {
        inodes[distinct] = inode;
        starts[distinct++] = k;
      }
      this.pids[k] = hits.pids[i]!;
      this.fds[k] = hits.fds[i]!;
    }
    starts[distinct] = n;
    this.inodes = inodes.slice(0, distinct);
    this.starts = starts.slice(0, distinct + 1);
  }

  get size(): number {
    return this.inodes.length;
  }

  private find(inode: number): number {
    return indexInSorted(this.inodes, inode);
  }

  private owner(k: number): Owner {
    const pid = this.pids[k]!;
    return { pid, comm: this.comms.get(pid) ?? "?", fd: this.fds[k]! };
  }

  private ownersAt(at: number): Owner[] {
    const start = this.starts[at]!;
    const end = this.starts[at + 1]!;
    // A literal of one: a list grown by push reserves 17 slots, 130 bytes more
    // for each of kill's 50k records.
    if (end - start === 1) return [this.owner(start)];
    const owners: Owner[] = [];
    for (let k = start; k < end; k++) owners.push(this.owner(k));
    return owners;
  }

  has(inode: number): boolean {
    return this.find(inode) >= 0;
  }

  /** The inode's owners (a new list each call); undefined when none was found. */
  get(inode: number): Owner[] | undefined {
    const at = this.find(inode);
    return at < 0 ? undefined : this.ownersAt(at);
  }

  *entries(): Generator<[number, Owner[]]> {
    for (let at = 0; at < this.inodes.length; at++) yield [this.inodes[at]!, this.ownersAt(at)];
  }

  *keys(): Generator<number> {
    yield* this.inodes;
  }

  *values(): Generator<Owner[]> {
    for (let at = 0; at < this.inodes.length; at++) yield this.ownersAt(at);
  }

  [Symbol.iterator](): Generator<[number, Owner[]]> {
    return this.entries();
  }
}
