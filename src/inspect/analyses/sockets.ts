/**
 * @module Every socket that passes a filter, as records (with owners when
 * asked): what `ls` prints and `kill` acts on.
 */
import type { TcpSocket } from "../../model/socket.js";
import type { Analysis, Collector } from "../analysis.js";
import { materialize } from "../records.js";

export interface SocketsParams {
  statesMask: number;
  matches?: (s: TcpSocket) => boolean;
  owners: boolean;
}

export function socketsAnalysis(p: SocketsParams): Analysis<TcpSocket[]> {
  return {
    name: "sockets",
    needs: { states: p.statesMask, owners: p.owners },
    start(): Collector<TcpSocket[]> {
      const kept: TcpSocket[] = [];
      const { matches } = p;
      return {
        add: (c) => {
          if (matches === undefined || matches(c.socket)) kept.push(materialize(c));
        },
        ...(p.owners ? { records: () => kept } : {}),
        finish: () => kept,
      };
    },
  };
}
