/**
 * @module How long each socket spent in the state it leaves: the time of
 * the change that put it there, kept per socket (its struct sock address)
 * from the moment the tracer started. A socket first seen leaving a state
 * entered it before the tracer ran: unknown (null), never guessed. Pure.
 */
import { TcpState } from "../../model/tcp-state.js";

interface Entered {
  state: number;
  atMs: number;
}

export class StateClock {
  private readonly entered = new Map<string, Entered>();

  /**
   * Records a change and answers the time (ms) spent in oldState, or null
   * when the socket was not seen entering it. A change to CLOSE ends the
   * socket: its address may be reused by the next one.
   */
  change(skaddr: string, oldState: number, newState: number, atMs: number): number | null {
    const before = this.entered.get(skaddr);
    const spent = before !== undefined && before.state === oldState ? Math.max(0, atMs - before.atMs) : null;
    if (newState === TcpState.CLOSE) this.entered.delete(skaddr);
    else this.entered.set(skaddr, { state: newState, atMs });
    return spent;
  }

  /** Sockets being followed (their last change seen, not yet CLOSE). */
  get size(): number {
    return this.entered.size;
  }
}
