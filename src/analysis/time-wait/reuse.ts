/**
 * @module Whether tcp_tw_reuse lets connect() take over a TIME_WAIT port
 * toward a destination (net/ipv4/tcp_ipv4.c tcp_twsk_unique): 1 for every
 * destination, 2 (the default since 4.18) only when either address is a
 * loopback one; and only when TCP timestamps are on, since the timestamp is
 * what protects the new connection from the old one's late segments.
 */
import { unmapIpv4 } from "../../model/endpoint.js";
import type { TimeWaitSettings } from "./settings.js";

export function isLoopback(address: string): boolean {
  const a = unmapIpv4(address);
  return a.startsWith("127.") || a === "::1";
}

export interface ReuseVerdict {
  applies: boolean;
  /** One phrase saying why (or why not), for the note. */
  why: string;
}

export function reuseFor(settings: TimeWaitSettings, local: string, remote: string): ReuseVerdict {
  const { twReuse, timestamps } = settings;
  if (twReuse === null) return { applies: false, why: "tcp_tw_reuse is unknown here" };
  if (twReuse === 0) return { applies: false, why: "tcp_tw_reuse is 0" };
  if (twReuse === 2 && !isLoopback(local) && !isLoopback(remote)) {
    return { applies: false, why: "tcp_tw_reuse is 2, which covers loopback destinations only" };
  }
  if (twReuse !== 1 && twReuse !== 2) return { applies: false, why: `tcp_tw_reuse is ${twReuse}` };
  if (timestamps === 0) {
    return { applies: false, why: `tcp_tw_reuse is ${twReuse} but tcp_timestamps is 0, which reuse needs` };
  }
  const scope = twReuse === 2 ? " (loopback)" : "";
  return { applies: true, why: `tcp_tw_reuse is ${twReuse}${scope}` };
}
