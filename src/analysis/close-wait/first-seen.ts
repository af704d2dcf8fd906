/**
 * @module When sockdoc first saw each CLOSE_WAIT socket, across the scrapes
 * of one exporter: the kernel keeps no creation time, so the oldest age a
 * holder shows is counted from sockdoc's first sight (a lower bound, reset
 * when sockdoc restarts). Only the sockets of the last sample are kept, so
 * memory follows the socket table, not the exporter's uptime.
 */
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import { holderOf, socketKey } from "./tracker.js";

export class FirstSeen {
  private seen = new Map<string, number>();

  /**
   * One sample's sockets (others than CLOSE_WAIT are ignored); scope names
   * the network namespace (a cookie is unique only within one). Returns
   * holder ("pid:N", "queue:PORT") -> first-seen time (ms) of its oldest socket.
   */
  sample(at: number, sockets: readonly TcpSocket[], scope = ""): Map<string, number> {
    const current = new Map<string, number>();
    const oldest = new Map<string, number>();
    for (const s of sockets) {
      if (s.state !== TcpState.CLOSE_WAIT) continue;
      const key = `${scope}/${socketKey(s)}`;
      const first = this.seen.get(key) ?? at;
      current.set(key, first);
      const holder = holderOf(s);
      const was = oldest.get(holder);
      if (was === undefined || first < was) oldest.set(holder, first);
    }
    this.seen = current;
    return oldest;
  }
}
