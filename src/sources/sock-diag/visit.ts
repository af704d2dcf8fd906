/**
 * @module Pure streaming read of a sock_diag dump: hands each socket's state,
 * local port and peer address to a callback without building a TcpSocket.
 * A summary of 200k sockets then makes no garbage beyond one string per
 * distinct peer address.
 */
import { TcpState } from "../../model/tcp-state.js";
import { AddressCache } from "./address-cache.js";
import { aligned, forEachInetDiagMessage } from "./framing.js";
import { AF_INET, ID, MSG } from "./layout.js";

export type BriefVisitor = (state: TcpState, localPort: number, remoteAddress: string) => void;

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
