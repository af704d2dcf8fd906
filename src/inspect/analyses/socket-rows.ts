/**
 * @module Every socket that passes a filter, handed to a sink as it passes
 * and not kept: `ls` as a table or CSV keeps only each socket's printed row
 * (the records of 200k sockets take more memory than their rows). Owners are
 * found for the rows' inodes afterwards, in the inspection's one fd walk.
 */
import type { Owner, TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import type { OwnerLookup } from "../../sources/owners.js";
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

/**
 * Each row's key in a typed array that doubles as rows come: 8 bytes a row,
 * where a plain array of inodes (many past V8's small integers) costs about 20.
 */
class RowKeys {
  private keys = new Float64Array(1024);
  length = 0;

  push(key: number): void {
    if (this.length === this.keys.length) {
      const grown = new Float64Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[this.length++] = key;
  }

  at(row: number): number {
    return row < this.length ? this.keys[row]! : 0;
  }

  /** The inodes, for the fd walk: no array of them. */
  *inodes(): Generator<number> {
    for (let i = 0; i < this.length; i++) if (this.keys[i]! > 0) yield this.keys[i]!;
  }
}

/**
 * Each row's owners, kept compact so that the walk's map (an object per
 * socket) can go before the rows are written: most sockets have one owner,
 * kept as pid and fd in typed arrays; the few with more keep their list.
 */
function compactOwners(keys: RowKeys, byInode: OwnerLookup, inodeOf: (row: number) => number): RowOwners {
  const pids = new Int32Array(keys.length).fill(-1);
  const fds = new Int32Array(keys.length).fill(-1);
  const comms = new Map<number, string>();
  const several = new Map<number, Owner[]>();
  for (let row = 0; row < keys.length; row++) {
    const key = keys.at(row);
    const owners = key > 0 ? byInode.get(key) : undefined;
    if (!owners || owners.length === 0) continue;
    if (owners.length > 1 || owners[0]!.fd === null) {
      several.set(row, owners);
      continue;
    }
    pids[row] = owners[0]!.pid;
    fds[row] = owners[0]!.fd!;
    comms.set(owners[0]!.pid, owners[0]!.comm);
  }
  return {
    inodeOf,
    ownersOf: (row) => {
      if (keys.at(row) === TIME_WAIT_KEY) return null;
      const list = several.get(row);
      if (list) return list;
      const pid = pids[row]!;
      return pid < 0 ? [] : [{ pid, comm: comms.get(pid) ?? "?", fd: fds[row]! }];
    },
  };
}

export function socketRowsAnalysis(p: SocketRowsParams): Analysis<RowOwners | null> {
  return {
    name: "socket-rows",
    needs: { states: p.statesMask, owners: p.owners },
    start(facts): Collector<RowOwners | null> {
      const { matches, sink } = p;
      const keys = new RowKeys();
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
        ownerInodes: () => keys.inodes(),
        finish: (g) => {
          if (!p.owners) return null;
          // A capture's owners are its own; the host's come from the fd walk.
          const inodeOf = (row: number) => Math.max(0, keys.at(row));
          if (facts.source.kind === "capture" || !g.ownersResolved) {
            return { ownersOf: (row) => given[row] ?? null, inodeOf };
          }
          return compactOwners(keys, g.ownersByInode, inodeOf);
        },
      };
    },
  };
}
