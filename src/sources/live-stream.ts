/**
 * @module The live sockets one at a time, with no snapshot: for a listing of
 * 200k sockets, whose records would take more memory than their printed rows
 * (peak RSS is part of the bench). Owners are looked up afterwards, for the
 * inodes the caller kept.
 */
import type { TcpSocket } from "../model/socket.js";
import { TcpState } from "../model/tcp-state.js";
import { type LiveRequest, type SnapshotHeader, visitLivePasses } from "./live.js";
import { loadNative } from "./native.js";
import { findOwners } from "./owners.js";
import type { ProcFs } from "./procfs.js";

/**
 * Visits every socket of the request's states and families that passes its
 * filter. The socket is a cursor: read it inside visit, never keep it. Null
 * when netlink cannot be used here or the dump failed, after which visit may
 * have seen part of the sockets: start over with takeLiveSnapshot.
 */
export function streamLive(
  req: Omit<LiveRequest, "owners">,
  visit: (socket: TcpSocket) => void,
): SnapshotHeader | null {
  const filter = req.filter;
  return visitLivePasses(req, [
    {
      statesMask: req.statesMask,
      visit: (cursor) => {
        const socket = cursor.socket;
        if (!filter || filter(socket)) visit(socket);
      },
    },
  ]);
}

/** What streamed sockets keep to be given owners later: the inode, or why there is none. */
export type OwnerKey = number;
/** A TIME_WAIT socket: no fd can exist, owners are not known (null), as takeLiveSnapshot has it. */
const TIME_WAIT_KEY = -1;

export function ownerKey(socket: TcpSocket): OwnerKey {
  if (socket.inode) return socket.inode;
  return socket.state === TcpState.TIME_WAIT ? TIME_WAIT_KEY : 0;
}

/**
 * Owners for the kept keys, as takeLiveSnapshot attaches them: null for
 * TIME_WAIT, [] for a socket without an fd or whose owner was not found.
 */
export function ownersByKey(
  proc: ProcFs,
  keys: readonly OwnerKey[],
): { ownersOf: (key: OwnerKey) => TcpSocket["owners"]; warnings: string[] } {
  const inodes: number[] = [];
  for (const key of keys) if (key > 0) inodes.push(key);
  const found = findOwners(proc, inodes, { native: loadNative().addon });
  return {
    ownersOf: (key) => (key === TIME_WAIT_KEY ? null : key > 0 ? (found.byInode.get(key) ?? []) : []),
    warnings: found.warnings,
  };
}
