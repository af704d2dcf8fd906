/**
 * @module When sockdoc first saw each CLOSE_WAIT socket, across the scrapes
 * of one exporter: the kernel keeps no creation time, so the oldest age a
 * holder shows is counted from sockdoc's first sight (a lower bound, reset
 * when sockdoc restarts). Only the sockets of the last sample are kept, so
 * memory follows the socket table, not the exporter's uptime.
 */
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import { holderName, holderNumber, socketKey } from "./tracker.js";

export class FirstSeen {
  private seen = new Map<number | string, number>();
  /** The namespace of the last sample: only its sockets are remembered (older kernels number cookies per namespace). */
  private scope = "";

  /**
   * One sample's sockets (others than CLOSE_WAIT are ignored); scope names
   * the network namespace (a 4-tuple is unique only within one). Returns
   * holder ("pid:N", "queue:PORT") -> first-seen time (ms) of its oldest socket.
   */
  sample(at: number, sockets: readonly TcpSocket[], scope = ""): Map<string, number> {
    const current = new Map<number | string, number>();
    const before = scope === this.scope ? this.seen : new Map<number | string, number>();
    // Per holder as a number (pid; -1 - port for the accept queue; 0 unknown), named at the end:
    // a string per socket cost more than the rest of the sample.
    const oldest = new Map<number, number>();
    for (const s of sockets) {
      if (s.state !== TcpState.CLOSE_WAIT) continue;
      const key = identity(s);
      const first = before.get(key) ?? at;
      current.set(key, first);
      const holder = holderNumber(s);
      const was = oldest.get(holder);
      if (was === undefined || first < was) oldest.set(holder, first);
    }
    this.seen = current;
    this.scope = scope;
    const named = new Map<string, number>();
    for (const [holder, first] of oldest) named.set(holderName(holder), first);
    return named;
  }
}

/**
 * Stable identity across samples of one namespace, as socketKey (tracker.ts)
 * chooses it: the kernel cookie, else the inode (kept apart from cookies by
 * its sign), else the 4-tuple.
 */
function identity(s: TcpSocket): number | string {
  if (s.cookie) {
    const cookie = Number(s.cookie);
    if (Number.isSafeInteger(cookie)) return cookie;
  }
  if (s.inode) return -s.inode;
  return socketKey(s);
}
