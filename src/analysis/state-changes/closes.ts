/**
 * @module `trace --closes`: who closed each connection first, and TIME_WAIT
 * entered per destination per second. The side that sends the first FIN
 * leaves ESTABLISHED for FIN_WAIT1 (active close, it will hold TIME_WAIT);
 * the side that receives it leaves ESTABLISHED for CLOSE_WAIT (passive).
 * The kernel hands a closing socket over to a timewait socket without a
 * state change of its own: the full socket goes from FIN_WAIT2 (or CLOSING)
 * to CLOSE there, so that change is counted as TIME_WAIT entered (a reset
 * in those states is counted too). Pure.
 */
import { TcpState } from "../../model/tcp-state.js";

export type CloseSide = "active" | "passive";

/** Which side this change shows closing first, or null for other changes. */
export function closeSide(oldState: number, newState: number): CloseSide | null {
  if (oldState !== TcpState.ESTABLISHED) return null;
  if (newState === TcpState.FIN_WAIT1) return "active";
  if (newState === TcpState.CLOSE_WAIT) return "passive";
  return null;
}

/** Whether the change is a socket handing over to TIME_WAIT (see the module comment). */
export function entersTimeWait(oldState: number, newState: number): boolean {
  return newState === TcpState.CLOSE && (oldState === TcpState.FIN_WAIT2 || oldState === TcpState.CLOSING);
}

export interface TimeWaitSecond {
  /** Start of the second (wall clock ms, a multiple of 1000). */
  secondMs: number;
  netns: number;
  /** "address:port" of the remote side, as printed. */
  destination: string;
  count: number;
}

/**
 * TIME_WAIT entries per (second, namespace, destination). add() takes the
 * changes in time order; flush(beforeMs) hands over the seconds that ended
 * before beforeMs, largest count first within a second.
 */
export class TimeWaitPerSecond {
  private readonly open = new Map<string, TimeWaitSecond>();

  add(atMs: number, netns: number, destination: string): void {
    const secondMs = Math.floor(atMs / 1000) * 1000;
    const key = `${secondMs} ${netns} ${destination}`;
    const row = this.open.get(key);
    if (row) row.count++;
    else this.open.set(key, { secondMs, netns, destination, count: 1 });
  }

  flush(beforeMs: number): TimeWaitSecond[] {
    const done: TimeWaitSecond[] = [];
    for (const [key, row] of this.open) {
      if (row.secondMs + 1000 <= beforeMs) {
        done.push(row);
        this.open.delete(key);
      }
    }
    return done.sort(
      (a, b) => a.secondMs - b.secondMs || b.count - a.count || a.destination.localeCompare(b.destination),
    );
  }
}
