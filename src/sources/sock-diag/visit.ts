/**
 * @module Pure streaming reads of a sock_diag dump, without building a
 * TcpSocket per socket. The brief form hands each socket's state, local port
 * and peer address to a callback (summary's counts); the cursor form hands a
 * reusable cursor with every field of the socket (timewait's grouping).
 * Either makes no garbage beyond one string per distinct address.
 */
import { InputError } from "../../model/errors.js";
import { TcpState } from "../../model/tcp-state.js";
import { AddressCache } from "./address-cache.js";
import { InetDiagCursor, type SocketCursor } from "./cursor.js";
import { aligned, forEachInetDiagMessage } from "./framing.js";
import { AF_INET, AF_INET6, ID, MSG } from "./layout.js";

export type BriefVisitor = (state: TcpState, localPort: number, remoteAddress: string) => void;

/** Called once per socket with the cursor pointing at it; the cursor is only valid during the call. */
export type CursorVisitor = (socket: SocketCursor) => void;

export function visitInetDiagMessages(buf: Uint8Array, visit: BriefVisitor): void {
  const bytes = aligned(buf);
  const i32 = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  const addresses = new AddressCache(bytes, i32);
  forEachInetDiagMessage(bytes, (p) => {
    const raw = bytes[p + MSG.state]!;
    const state = raw === TcpState.NEW_SYN_RECV ? TcpState.SYN_RECV : (raw as TcpState);
    const id = p + MSG.id;
    const remote =
      bytes[p + MSG.family] === AF_INET ? addresses.v4At(id + ID.dst) : addresses.v6At(id + ID.dst);
    visit(state, (bytes[id]! << 8) | bytes[id + 1]!, remote);
  });
}

/**
 * Visits every socket of the dump in order through one cursor. Same framing
 * checks and errors as decodeInetDiagMessages, unknown families included.
 */
export function visitInetDiagCursor(buf: Uint8Array, visit: CursorVisitor): void {
  const bytes = aligned(buf);
  const cursor = new InetDiagCursor(bytes);
  forEachInetDiagMessage(bytes, (p) => {
    const family = bytes[p + MSG.family]!;
    if (family !== AF_INET && family !== AF_INET6) {
      throw new InputError(`sock_diag reply: unknown address family ${family} at byte ${p}`);
    }
    cursor.moveTo(p);
    visit(cursor);
  });
}
