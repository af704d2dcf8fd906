/**
 * @module Pure per-state counts straight from a sock_diag dump, without
 * building a TcpSocket per socket: a summary of 200k sockets then costs one
 * pass over the bytes and no garbage (decoding them all costs ~100 MB of heap).
 */
import { InputError } from "../../model/errors.js";
import { TcpState } from "../../model/tcp-state.js";
import {
  MSG,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  nlmsgAlign,
  SOCK_DIAG_BY_FAMILY,
  truncatedReply,
} from "./layout.js";

/**
 * counts[state] = number of sockets in that state (kernel numbering; request
 * sockets counted as SYN_RECV, as the decoder reports them); counts[0] holds
 * states this code does not know. Same framing checks and errors as
 * decodeInetDiagMessages.
 */
export function countInetDiagStates(buf: Uint8Array): number[] {
  const counts = new Array<number>(TcpState.NEW_SYN_RECV + 1).fill(0);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const end = buf.length;
  let offset = 0;
  while (offset < end) {
    if (end - offset < NLMSG_HDRLEN)
      throw truncatedReply(offset, `${end - offset} bytes left, header needs 16`);
    const length = view.getUint32(offset, le);
    const type = view.getUint16(offset + 4, le);
    if (length < NLMSG_HDRLEN || length > end - offset) {
      throw truncatedReply(offset, `message length ${length}, ${end - offset} bytes left`);
    }
    if (type === NLMSG_DONE) break;
    if (type === NLMSG_ERROR)
      throw new InputError(`sock_diag reply: kernel error in message at byte ${offset}`);
    if (type === SOCK_DIAG_BY_FAMILY) {
      if (length < NLMSG_HDRLEN + MSG.size) {
        throw truncatedReply(offset, `inet_diag_msg of ${length - NLMSG_HDRLEN} bytes, needs ${MSG.size}`);
      }
      const state = buf[offset + NLMSG_HDRLEN + MSG.state]!;
      const bucket =
        state === TcpState.NEW_SYN_RECV ? TcpState.SYN_RECV : state < TcpState.NEW_SYN_RECV ? state : 0;
      counts[bucket]!++;
    }
    offset += nlmsgAlign(length);
  }
  return counts;
}
