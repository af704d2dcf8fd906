/**
 * @module The namespaces a trace meets, by inode: a path to enter each (for
 * the owner lookup's dump) and its `ip netns` name (for output). Found by
 * the usual discovery (sources/netns), again when an unknown inode shows
 * up, but at most once every two seconds: a namespace made and gone in
 * between is left nameless, never a reason to walk /proc per event.
 */
import { discoverNamespaces, parseNsLink } from "../../sources/netns/discover.js";
import type { ProcFs } from "../../sources/procfs.js";

export interface KnownNamespace {
  /** Where setns() enters it; null for sockdoc's own (read without entering). */
  path: string | null;
  name: string | null;
}

const REDISCOVER_MS = 2000;

export class NamespaceDirectory {
  readonly ownInode: number;
  private known = new Map<number, KnownNamespace>();
  private lastDiscoveryMs = -Infinity;

  constructor(private readonly proc: ProcFs) {
    this.ownInode = parseNsLink(proc.tryReadlink("self", "ns", "net") ?? "") ?? 0;
    this.discover();
  }

  private discover(): void {
    this.lastDiscoveryMs = Date.now();
    const found = new Map<number, KnownNamespace>();
    for (const ns of discoverNamespaces(this.proc).namespaces) {
      found.set(ns.inode, { path: ns.inode === this.ownInode ? null : ns.path, name: ns.name });
    }
    if (!found.has(this.ownInode)) found.set(this.ownInode, { path: null, name: null });
    this.known = found;
  }

  /** The namespace, or null when it cannot be found (gone, or not yet rediscovered). */
  lookup(inode: number): KnownNamespace | null {
    const hit = this.known.get(inode);
    if (hit) return hit;
    if (Date.now() - this.lastDiscoveryMs >= REDISCOVER_MS) this.discover();
    return this.known.get(inode) ?? null;
  }

  /** Name for output without discovery: the `ip netns` name or null. */
  nameOf(inode: number): string | null {
    return this.known.get(inode)?.name ?? null;
  }
}
