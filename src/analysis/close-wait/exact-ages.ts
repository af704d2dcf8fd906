/**
 * @module How long each CLOSE_WAIT socket has been in CLOSE_WAIT, from the
 * running watcher's tracer: exact for a socket it saw enter (by namespace
 * and 4-tuple), at least since the tracer started for the others. Pure.
 */
import { formatEndpoint } from "../../model/endpoint.js";
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";

export interface SocketAge {
  netns: number;
  local: string;
  remote: string;
  owner: { pid: number; comm: string } | null;
  /** When it entered CLOSE_WAIT (ms since the epoch); null when not seen. */
  enteredAt: number | null;
  /** Seconds in CLOSE_WAIT: exact, or at least (since the tracer started). */
  seconds: number;
  exact: boolean;
}

export interface EntryLookup {
  /** When the tracer started (ms). */
  since: number;
  enteredAt(netns: number, tuple: string): number | undefined;
}

/** The tuple text the store keys entries by (store/close-wait-entries.ts tupleText). */
export type TupleOf = (s: TcpSocket) => string;

/** Oldest first; exact before at-least for the same age. */
export function socketAges(
  namespaces: ReadonlyArray<{ netns: number; sockets: readonly TcpSocket[] }>,
  entries: EntryLookup,
  tupleOf: TupleOf,
  now: number,
): SocketAge[] {
  const ages: SocketAge[] = [];
  for (const { netns, sockets } of namespaces) {
    for (const s of sockets) {
      if (s.state !== TcpState.CLOSE_WAIT) continue;
      const entered = entries.enteredAt(netns, tupleOf(s));
      const owner = s.owners?.[0];
      ages.push({
        netns,
        local: formatEndpoint(s.local),
        remote: formatEndpoint(s.remote),
        owner: owner ? { pid: owner.pid, comm: owner.comm } : null,
        enteredAt: entered ?? null,
        seconds: Math.max(0, (now - (entered ?? entries.since)) / 1000),
        exact: entered !== undefined,
      });
    }
  }
  return ages.sort((a, b) => b.seconds - a.seconds || Number(b.exact) - Number(a.exact));
}
