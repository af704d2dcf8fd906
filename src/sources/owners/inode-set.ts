/**
 * @module The inodes an owner search looks for: distinct, sorted ascending
 * in one Float64Array (what the addon's searches take as it is), with a
 * binary-search has(). At 50,000 CLOSE_WAIT sockets per scrape a Set of them
 * plus a sorted copy for the addon cost ~11 ms of an exporter's scrape; this
 * costs one sort.
 */
/** Where value is in sorted (ascending), or -1: a binary search. */
export function indexInSorted(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export class InodeSet implements Iterable<number> {
  private constructor(readonly sorted: Float64Array) {}

  /** The distinct inodes above 0 of inodes (inode 0: a socket without an fd, never looked up). */
  static of(inodes: Iterable<number>): InodeSet {
    let buffer = new Float64Array(Array.isArray(inodes) ? inodes.length : 1024);
    let n = 0;
    for (const inode of inodes) {
      if (!(inode > 0)) continue;
      if (n === buffer.length) {
        const bigger = new Float64Array(buffer.length * 2);
        bigger.set(buffer);
        buffer = bigger;
      }
      buffer[n++] = inode;
    }
    const all = buffer.subarray(0, n).sort();
    let distinct = 0;
    for (let i = 0; i < n; i++) if (distinct === 0 || all[i] !== all[distinct - 1]) all[distinct++] = all[i]!;
    return new InodeSet(all.slice(0, distinct));
  }

  get size(): number {
    return this.sorted.length;
  }

  has(inode: number): boolean {
    return indexInSorted(this.sorted, inode) >= 0;
  }

  [Symbol.iterator](): Iterator<number> {
    return this.sorted[Symbol.iterator]();
  }
}
