/**
 * @module Waits until the server side of every lab connection shows the
 * intended cause in /proc/net/tcp, so "ready" means the defect is really in
 * place (the FIN has arrived; for eof-not-closed, the server has read it).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { causeOf } from "../../../analysis/close-wait/cause.js";
import type { Cause } from "../../../analysis/close-wait/types.js";
import type { Family } from "../../../model/endpoint.js";
import { InputError } from "../../../model/errors.js";
import type { TcpSocket } from "../../../model/socket.js";
import { stateBit, TcpState } from "../../../model/tcp-state.js";
import { readProcNetTcp } from "../../../sources/proc-net-tcp.js";
import { ProcFs } from "../../../sources/procfs.js";

export interface WaitTarget {
  family: Family;
  serverPort: number;
  clientPorts: ReadonlySet<number>;
  cause: Cause;
  recvQ: number;
}

/** Server-side CLOSE_WAIT sockets of this lab that already show the intended cause. */
export function matchingSockets(sockets: readonly TcpSocket[], t: WaitTarget): TcpSocket[] {
  return sockets.filter(
    (s) =>
      s.state === TcpState.CLOSE_WAIT &&
      s.local.port === t.serverPort &&
      t.clientPorts.has(s.remote.port) &&
      causeOf(s) === t.cause &&
      s.recvQ === t.recvQ,
  );
}

export async function waitForCause(t: WaitTarget, timeoutMs = 10_000, proc = new ProcFs()): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  for (;;) {
    const { sockets } = readProcNetTcp(proc, [t.family], stateBit(TcpState.CLOSE_WAIT));
    seen = matchingSockets(sockets, t).length;
    if (seen === t.clientPorts.size) return seen;
    if (Date.now() > deadline) {
      throw new InputError(
        `lab: only ${seen} of ${t.clientPorts.size} server sockets reached CLOSE_WAIT with Recv-Q ${t.recvQ} in time`,
      );
    }
    await sleep(50);
  }
}
