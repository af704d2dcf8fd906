/**
 * @module Listeners and their accept queues as an analysis: each LISTEN
 * socket's queue (connections waiting for accept()) and, where the source
 * reports it, its backlog (the queue's maximum). Past the backlog the kernel
 * drops new connections (TcpExt ListenOverflows).
 */
import { stateBit, TcpState } from "../../model/tcp-state.js";
import type { Analysis, Collector } from "../analysis.js";

export interface ListenerQueue {
  address: string;
  port: number;
  /** Connections waiting for accept() now (Recv-Q of the LISTEN socket). */
  queued: number;
  /** The queue's maximum (Send-Q from netlink); null where the source does not report it (/proc, captures). */
  backlog: number | null;
}

export function listenersAnalysis(): Analysis<ListenerQueue[]> {
  return {
    name: "listeners",
    needs: { states: stateBit(TcpState.LISTEN) },
    start(facts): Collector<ListenerQueue[]> {
      const kept: ListenerQueue[] = [];
      return {
        add: (c) => {
          kept.push({ address: c.localAddress, port: c.localPort, queued: c.recvQ, backlog: c.sendQ });
        },
        // Only netlink (and ss) report the backlog; /proc/net/tcp's tx_queue of a listener is not it.
        finish: () => (facts.source.kind === "netlink" ? kept : kept.map((l) => ({ ...l, backlog: null }))),
      };
    },
  };
}
