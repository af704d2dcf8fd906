/**
 * @module Every socket that passes a filter, handed to a sink as it passes
 * and not kept: `ls` as a table or CSV keeps only each socket's printed row
 * (the records of 200k sockets take more memory than their rows). Owners are
 * found for the rows' inodes afterwards, in the inspection's one fd walk.
 */
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import type { SocketCursor } from "../../sources/sock-diag.js";
import type { Analysis, Collector } from "../analysis.js";
import { RecordCursor } from "../record-cursor.js";

export interface SocketRowsParams {
  statesMask: number;
  matches?: (s: TcpSocket) => boolean;
  owners: boolean;
  /** Takes each socket while it is valid (a cursor's: never keep it), and the cursor it came through. */
  sink: (socket: TcpSocket, cursor: SocketCursor) => void;
}

export interface RowOwners {
  /** Row i's owners, by the rule records have: null for TIME_WAIT, [] for no fd or none found. */
  ownersOf(row: number): TcpSocket["owners"];
  /** Row i's inode (0: no fd). */
  inodeOf(row: number): number;
}

/** What a row keeps to be given owners later: the inode, or why there is none. */
const TIME_WAIT_KEY = -1;

export function socketRowsAnalysis(p: SocketRowsParams): Analysis<RowOwners | null> {
  return {
    name: "socket-rows",
    needs: { states: p.statesMask, owners: p.owners },
    start(facts): Collector<RowOwners | null> {
      const { matches, sink } = p;
      const keys: number[] = [];
      // Records (a capture, /proc) come with what their source knew of owners.
      const given: Array<TcpSocket["owners"]> = [];
      return {
        add: (c) => {
          const socket = c.socket;
          if (matches !== undefined && !matches(socket)) return;
          sink(socket, c);
          if (!p.owners) return;
          const inode = c.inode;
          keys.push(inode > 0 ? inode : c.state === TcpState.TIME_WAIT ? TIME_WAIT_KEY : 0);
          if (c instanceof RecordCursor) given.push(socket.owners);
        },
        ownerInodes: () => keys.filter((k) => k > 0),
        finish: (g) => {
          if (!p.owners) return null;
          // A capture's owners are its own; the host's come from the fd walk.
          const inodeOf = (row: number) => Math.max(0, keys[row] ?? 0);
          if (facts.source.kind === "capture" || !g.ownersResolved) {
            return { ownersOf: (row) => given[row] ?? null, inodeOf };
          }
          return {
            inodeOf,
            ownersOf: (row) => {
              const key = keys[row]!;
              if (key === TIME_WAIT_KEY) return null;
              return key > 0 ? (g.ownersByInode.get(key) ?? []) : [];
            },
          };
        },
      };
    },
  };
}
