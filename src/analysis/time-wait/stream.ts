/**
 * @module Groups sockets by TIME_WAIT destination as they stream past (from
 * a sock_diag cursor), without a TcpSocket per socket: the streaming twin of
 * group-sockets.ts, giving the same Grouping for the same sockets in the
 * same order. LISTEN sockets must come before the others, since whether a
 * local port is ephemeral depends on every listening port.
 */
import { TcpState } from "../../model/tcp-state.js";
import { type Grouping, TimeWaitGrouper } from "./grouping.js";
import type { PortRange } from "./ports.js";

/** The fields the grouping reads; a source may compute each one only when read. */
export interface StreamedSocket {
  readonly state: TcpState;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Time left on the socket's timer in ms; null when it has none. */
  readonly expiresMs: number | null;
}

export interface StreamSettings {
  portRange: PortRange;
  reserved: ReadonlyArray<readonly [number, number]>;
}

export class TimeWaitStream<S extends StreamedSocket> {
  private readonly listening = new Set<number>();
  private grouper: TimeWaitGrouper | null = null;

  /** matches picks the TIME_WAIT sockets reported (the command's filter); all when absent. */
  constructor(
    private readonly settings: StreamSettings,
    private readonly matches?: (s: S) => boolean,
  ) {}

  add(s: S): void {
    const state = s.state;
    if (state === TcpState.LISTEN) {
      if (this.grouper !== null) throw new Error("TimeWaitStream: a LISTEN socket came after the others");
      this.listening.add(s.localPort);
      return;
    }
    const g = (this.grouper ??= this.grouperNow());
    if (state === TcpState.TIME_WAIT) {
      if (this.matches !== undefined && !this.matches(s)) g.countOnly();
      else g.addTimeWait(s.localAddress, s.localPort, s.remoteAddress, s.remotePort, s.expiresMs);
      return;
    }
    g.addOther(s.localAddress, s.localPort, s.remoteAddress, s.remotePort);
  }

  /** Remote ports of the outgoing TIME_WAIT destinations seen so far (grouping.ts). */
  outgoingRemotePorts(): number[] {
    return this.grouper?.outgoingRemotePorts() ?? [];
  }

  finish(): Grouping {
    return (this.grouper ??= this.grouperNow()).finish();
  }

  /** Made at the first non-LISTEN socket: every listening port is known by then. */
  private grouperNow(): TimeWaitGrouper {
    const { portRange, reserved } = this.settings;
    return new TimeWaitGrouper({ portRange, reserved, listening: this.listening });
  }
}
