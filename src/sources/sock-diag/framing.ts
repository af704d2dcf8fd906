/**
 * @module Netlink framing of a sock_diag dump: walks the messages, checks
 * their lengths and stops at NLMSG_DONE, handing each inet_diag_msg's offset
 * to a callback. Every reader of dump bytes (decode, counts, visit) uses it,
 * so the checks and their error messages live in one place.
 */
import { InputError } from "../../model/errors.js";
import {
  MSG,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  nlmsgAlign,
  SOCK_DIAG_BY_FAMILY,
  truncatedReply,
} from "./layout.js";

/** The bytes themselves when 4-byte aligned (the addon's buffers are), else an aligned copy. */
export function aligned(buf: Uint8Array): Uint8Array {
  if (buf.byteOffset % 4 === 0) return buf;
  const copy = new Uint8Array(buf.length);
  copy.set(buf);
  return copy;
}

/**
 * Calls onMessage(offset of the struct inet_diag_msg) for every
 * SOCK_DIAG_BY_FAMILY message up to NLMSG_DONE or the end. bytes must be
 * 4-byte aligned (see aligned()). Throws InputError when the stream is cut or
 * malformed, or carries an NLMSG_ERROR, naming the byte offset.
 */
export function forEachInetDiagMessage(bytes: Uint8Array, onMessage: (msgOffset: number) => void): void {
  const u16 = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 1);
  const u32 = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  const end = bytes.length;
  let offset = 0;
  while (offset < end) {
    if (end - offset < NLMSG_HDRLEN)
      throw truncatedReply(offset, `${end - offset} bytes left, header needs 16`);
    const length = u32[offset >>> 2]!;
    const type = u16[(offset + 4) >>> 1]!;
    if (length < NLMSG_HDRLEN || length > end - offset) {
      throw truncatedReply(offset, `message length ${length}, ${end - offset} bytes left`);
    }
    if (type === NLMSG_DONE) return;
    if (type === NLMSG_ERROR) {
      const errno = length >= NLMSG_HDRLEN + 4 ? -(u32[(offset + NLMSG_HDRLEN) >>> 2]! | 0) : 0;
      throw new InputError(`sock_diag reply: kernel error ${errno} in message at byte ${offset}`);
    }
    if (type === SOCK_DIAG_BY_FAMILY) {
      if (length < NLMSG_HDRLEN + MSG.size) {
        throw truncatedReply(offset, `inet_diag_msg of ${length - NLMSG_HDRLEN} bytes, needs ${MSG.size}`);
      }
      onMessage(offset + NLMSG_HDRLEN);
    }
    offset += nlmsgAlign(length);
  }
}
