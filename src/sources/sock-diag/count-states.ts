/**
 * @module Pure per-state counts straight from a sock_diag dump, without
 * building a TcpSocket per socket: a summary of 200k sockets then costs one
 * pass over the bytes and no garbage (decoding them all costs ~100 MB of heap).
 */
import { TcpState } from "../../model/tcp-state.js";
import { aligned, forEachInetDiagMessage } from "./framing.js";
import { MSG } from "./layout.js";

/**
 * counts[state] = number of sockets in that state (kernel numbering; request
 * sockets counted as SYN_RECV, as the decoder reports them); counts[0] holds
 * states this code does not know. Same framing checks and errors as
 * decodeInetDiagMessages.
 */
export function countInetDiagStates(buf: Uint8Array): number[] {
  const counts = new Array<number>(TcpState.NEW_SYN_RECV + 1).fill(0);
  const bytes = aligned(buf);
  forEachInetDiagMessage(bytes, (p) => {
    const state = bytes[p + MSG.state]!;
    const bucket =
      state === TcpState.NEW_SYN_RECV ? TcpState.SYN_RECV : state < TcpState.NEW_SYN_RECV ? state : 0;
    counts[bucket]!++;
  });
  return counts;
}
